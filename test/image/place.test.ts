// The pieces of a restore in place, on their own: positioned writes gathered into batches, the file hasher
// reading behind the writer (and hashing long zero runs without reading them), and the follower that
// waits for each package's build before letting the hasher past its references.

import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileHasher } from '../../src/image/fileHasher.ts';
import { placeContents, writeAllAt } from '../../src/image/place.ts';
import type { PayloadFile, WholeFile } from '../../src/image/builds.ts';
import type { RpmFile } from '../../src/rpm/types.ts';
import { followImage, positionedWriter } from '../../src/image/placeResidual.ts';
import type { ImageSpan } from '../../src/image/residualScan.ts';
import { placeWorkerCount, restoreWorkerCount } from '../../src/image/restore.ts';

const work = mkdtempSync(join(tmpdir(), 'yv-place-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('restore in place', () => {
  it('takes a worker per core but one: 2 to 4 when streaming, 1 to 3 in place (the main thread writes builds too)', () => {
    expect([1, 2, 3, 4, 6, 64].map((cores) => restoreWorkerCount(cores))).toEqual([2, 2, 2, 3, 4, 4]);
    expect(restoreWorkerCount()).toBeGreaterThanOrEqual(2);
    expect([1, 2, 3, 4, 6, 64].map((cores) => placeWorkerCount(cores))).toEqual([1, 1, 2, 3, 3, 3]);
  });

  it('writes residual bytes and package files at their offsets, hashes in order, zero runs from memory', async () => {
    // image: [hdr 512][pkg 0: 3000 bytes][pad 72][hdr 512][zeros 5 MiB][pkg 1: 2 MiB][tail 1024]
    const hdr = Buffer.alloc(512, 0x41);
    const a = Buffer.alloc(3000, 0x61);
    const b = Buffer.alloc(2 << 20, 0x62);
    const parts = [hdr, a, Buffer.alloc(72), hdr, Buffer.alloc(5 << 20), b, Buffer.alloc(1024, 0x7a)];
    const image = Buffer.concat(parts);
    const offsets: number[] = [];
    parts.reduce((o, p) => (offsets.push(o), o + p.length), 0);
    const path = join(work, 'image.tar');
    const fd = openSync(path, 'w+');
    ftruncateSync(fd, image.length);
    const w = positionedWriter(fd);
    w.put(hdr, offsets[0]!);
    w.put(Buffer.alloc(72), offsets[2]!);
    w.put(hdr, offsets[3]!);
    w.put(parts[6]!, offsets[6]!);
    w.flush();
    const spans: ImageSpan[] = [
      { kind: 'pkg', pkg: 0, offset: offsets[1]! },
      { kind: 'zeros', offset: offsets[4]!, size: 5 << 20 },
      { kind: 'pkg', pkg: 1, offset: offsets[5]! },
    ];
    const seen: number[] = [];
    const hasher = createFileHasher(path, (n) => seen.push(n));
    // Package 1 is "built" before package 0: the follower still lets the hasher past 0 only once it is there.
    const order: string[] = [];
    const built = (pkg: number) =>
      new Promise<void>((resolve) =>
        setTimeout(
          () => {
            writeAllAt(fd, pkg === 0 ? a : b, offsets[pkg === 0 ? 1 : 5]!);
            order.push(`built ${pkg}`);
            resolve();
          },
          pkg === 0 ? 50 : 10,
        ),
      );
    await followImage(spans, image.length, built, hasher);
    const d = await hasher.digest();
    closeSync(fd);
    expect(order).toEqual(['built 0', 'built 1']);
    expect(d).toEqual({ sha256: sha(image), size: image.length });
    expect(readFileSync(path).equals(image)).toBe(true);
    expect(seen.at(-1)).toBe(image.length);
  });

  it('a hasher asked past the end of the file fails with a message naming it', async () => {
    const path = join(work, 'short');
    const fd = openSync(path, 'w');
    writeAllAt(fd, Buffer.alloc(100, 1), 0);
    closeSync(fd);
    const hasher = createFileHasher(path);
    hasher.advance(200);
    await expect(hasher.digest()).rejects.toThrow(/short.*ends at 100/);
    await hasher.close();
  });
});

describe('placeContents', () => {
  const file = (path: string, content: Buffer): RpmFile => ({ path, digest: createHash('sha256').update(content).digest('hex'), digestAlgo: 'sha256', size: content.length, mode: 0o100644, flags: 0, user: 'root', group: 'root', linkTo: '', mtime: 0, inode: 0, device: 0, rdev: 0, caps: '' }) as RpmFile;
  const job = { index: 0, choice: 'exact' as const, nevra: { name: 'p', epoch: 0, version: '1', release: '1', arch: 'noarch' } };
  // The same entries as a streamed payload (bodies in the pieces given) or as one held whole in memory
  // (each file's data one view: pieces joined).
  function* inMemory(entries: { fileIndex: number; chunks: Buffer[] }[]): Generator<WholeFile> {
    for (const e of entries) yield { fileIndex: e.fileIndex, data: Buffer.concat(e.chunks) };
  }
  async function* streamed(entries: { fileIndex: number; chunks: Buffer[] }[]): AsyncGenerator<PayloadFile> {
    for (const e of entries) {
      yield {
        fileIndex: e.fileIndex,
        body: (async function* () {
          for (const c of e.chunks) yield c;
        })(),
      };
    }
  }

  for (const form of ['streamed', 'in memory'] as const) {
    const payload = form === 'streamed' ? streamed : inMemory;
    it(`${form}: writes each wanted file at all its offsets, from bodies in many pieces; skips the rest; empty files need nothing`, async () => {
      const big = Buffer.alloc(300_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      const small = Buffer.from('hello\n');
      const files = [file('/usr/lib/big', big), file('/etc/unwanted', Buffer.from('no')), file('/usr/share/small', small), file('/empty', Buffer.alloc(0))];
      const path = join(work, 'placed');
      const fd = openSync(path, 'w+');
      ftruncateSync(fd, 700_000);
      const needs = [
        { digest: files[0]!.digest, size: big.length, path: '/usr/lib/big', offsets: [1000, 350_000] },
        { digest: files[2]!.digest, size: small.length, path: '/usr/share/small', offsets: [690_000] },
        { digest: files[3]!.digest, size: 0, path: '/empty', offsets: [0] },
      ];
      const pieces = [big.subarray(0, 70_000), big.subarray(70_000, 70_001), big.subarray(70_001)];
      await placeContents(job, files, payload([{ fileIndex: 1, chunks: [Buffer.from('no')] }, { fileIndex: 0, chunks: pieces }, { fileIndex: 2, chunks: [small] }]), needs, fd);
      closeSync(fd);
      const out = readFileSync(path);
      expect(out.subarray(1000, 1000 + big.length).equals(big)).toBe(true);
      expect(out.subarray(350_000, 350_000 + big.length).equals(big)).toBe(true);
      expect(out.subarray(690_000, 690_000 + small.length).equals(small)).toBe(true);
      expect(out.subarray(0, 1000).every((b) => b === 0)).toBe(true);
    });

    it(`${form}: refuses a payload whose file is longer or shorter than its header says, or that lacks a wanted file`, async () => {
      const content = Buffer.from('0123456789');
      const files = [file('/f', content)];
      const need = [{ digest: files[0]!.digest, size: content.length, path: '/f', offsets: [0] }];
      const fd = openSync(join(work, 'refused'), 'w+');
      try {
        await expect(placeContents(job, files, payload([{ fileIndex: 0, chunks: [content, Buffer.from('x')] }]), need, fd)).rejects.toThrow(/\/f in its payload is longer than its header's 10 bytes/);
        await expect(placeContents(job, files, payload([{ fileIndex: 0, chunks: [content.subarray(0, 4)] }]), need, fd)).rejects.toThrow(/\/f in its payload has 4 bytes, its header says 10/);
        await expect(placeContents(job, files, payload([]), need, fd)).rejects.toThrow(/payload lacks the file .*\/f.*corrupt/);
        await expect(placeContents(job, files, payload([{ fileIndex: 0, chunks: [content] }]), [{ ...need[0]!, size: 11 }], fd)).rejects.toThrow(/has 10 bytes in its header, the residual recorded 11/);
      } finally {
        closeSync(fd);
      }
    });
  }
});
