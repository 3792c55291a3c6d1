// The pieces of a restore in place, on their own: positioned writes gathered into batches, the file hasher
// reading behind the writer (and hashing long zero runs without reading them), and the follower that
// waits for each package's build before letting the hasher past its references.

import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileHasher } from '../../src/image/fileHasher.ts';
import { writeAllAt } from '../../src/image/place.ts';
import { followImage, positionedWriter } from '../../src/image/placeResidual.ts';
import type { ImageSpan } from '../../src/image/residualScan.ts';

const work = mkdtempSync(join(tmpdir(), 'yv-place-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('restore in place', () => {
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
