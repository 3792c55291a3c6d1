// readCpio against archives made by GNU cpio (newc, crc) and by a small writer that follows rpm's own
// stripped-format writer (lib/cpio.c: "07070X" + 8 hex digits of file index, data padded to 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { normalizeCpioPath, readCpio, readCpioWhole, type CpioEntry } from '../../src/rpm/cpio.ts';
import type { RpmFile } from '../../src/rpm/types.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yv-cpio-'));
  const root = join(dir, 'root');
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(join(root, 'usr/bin/tool'), 'tool body\n'.repeat(1000));
  writeFileSync(join(root, 'usr/empty'), '');
  writeFileSync(join(root, 'usr/bin/a'), 'hardlinked data\n');
  linkSync(join(root, 'usr/bin/a'), join(root, 'usr/bin/b'));
  linkSync(join(root, 'usr/bin/a'), join(root, 'usr/bin/c'));
  symlinkSync('tool', join(root, 'usr/bin/link'));
  writeFileSync(join(root, 'odd'), Buffer.from([1, 2, 3])); // size not a multiple of 4
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gnuCpio(format: string): Buffer {
  const list = execFileSync('find', ['.', '-mindepth', '1'], { cwd: join(dir, 'root') });
  return execFileSync('cpio', ['-o', '-H', format, '--quiet'], { cwd: join(dir, 'root'), input: list, maxBuffer: 1 << 26 });
}

interface Seen {
  entry: Omit<CpioEntry, 'body'>;
  data: Buffer;
}

async function readAll(source: Readable | AsyncIterable<Uint8Array>, files?: RpmFile[]): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const e of readCpio(source, { files })) {
    const parts: Uint8Array[] = [];
    for await (const c of e.body) parts.push(c);
    const { body: _body, ...entry } = e;
    out.push({ entry, data: Buffer.concat(parts) });
  }
  return out;
}

function pieces(b: Buffer, size: number): Readable {
  const list: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) list.push(b.subarray(i, i + size));
  return Readable.from(list);
}

describe('newc and crc archives from GNU cpio', () => {
  for (const format of ['newc', 'crc']) {
    it(`reads a ${format} archive: paths, modes, data, symlinks, hardlinks`, async () => {
      const archive = gnuCpio(format);
      const seen = await readAll(pieces(archive, 13));
      const byPath = new Map(seen.map((s) => [s.entry.path, s]));
      expect([...byPath.keys()].sort()).toEqual(['/odd', '/usr', '/usr/bin', '/usr/bin/a', '/usr/bin/b', '/usr/bin/c', '/usr/bin/link', '/usr/bin/tool', '/usr/empty']);
      expect(byPath.get('/usr/bin/tool')!.data.toString()).toBe('tool body\n'.repeat(1000));
      expect(byPath.get('/usr/bin/link')!.data.toString()).toBe('tool');
      expect(byPath.get('/usr/bin/link')!.entry.mode & 0o170000).toBe(0o120000);
      expect(byPath.get('/usr/empty')!.data.length).toBe(0);
      expect(byPath.get('/odd')!.data).toEqual(Buffer.from([1, 2, 3]));
      expect(byPath.get('/usr/bin')!.entry.mode & 0o170000).toBe(0o040000);
      // Hardlinks: only the last member of the set carries the data, and it names the whole set.
      const links = seen.filter((s) => s.entry.nlink === 3 && (s.entry.mode & 0o170000) === 0o100000);
      expect(links.length).toBe(3);
      const carrier = links.filter((s) => s.entry.hardlink?.carrier);
      expect(carrier.length).toBe(1);
      expect(carrier[0].data.toString()).toBe('hardlinked data\n');
      expect(carrier[0].entry.hardlink!.paths.sort()).toEqual(['/usr/bin/a', '/usr/bin/b', '/usr/bin/c']);
      for (const s of links) if (!s.entry.hardlink!.carrier) expect(s.data.length).toBe(0);
    });
  }
  it('skips bodies the caller does not read', async () => {
    const paths: string[] = [];
    for await (const e of readCpio(pieces(gnuCpio('newc'), 4096))) paths.push(e.path);
    expect(paths.length).toBe(9);
  });
});

// --- rpm's stripped format -------------------------------------------------------------------------

function file(path: string, mode: number, size: number, extra: Partial<RpmFile> = {}): RpmFile {
  return { path, digest: '', digestAlgo: 'sha256', size, mode, flags: 0, user: 'root', group: 'root', linkTo: '', mtime: 0, inode: 0, device: 1, rdev: 0, caps: '', ...extra };
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

/** Entries in rpm's order, with each file's data; yields the archive in pieces (big zero files streamed). */
async function* strippedArchive(entries: { fx: number; data: Buffer | number }[]): AsyncGenerator<Buffer> {
  let offset = 0;
  const emit = (b: Buffer) => {
    offset += b.length;
    return b;
  };
  const zeros = Buffer.alloc(1 << 20);
  for (const e of entries) {
    yield emit(pad4(offset));
    yield emit(Buffer.from('07070X' + hex8(e.fx)));
    yield emit(pad4(offset));
    if (typeof e.data === 'number') {
      for (let left = e.data; left > 0; left -= zeros.length) yield emit(zeros.subarray(0, Math.min(left, zeros.length)));
    } else {
      yield emit(e.data);
    }
  }
  yield emit(pad4(offset));
  const trailer = Buffer.from('070701' + '0'.repeat(8 * 4) + hex8(1) + '0'.repeat(8 * 6) + hex8(11) + '0'.repeat(8) + 'TRAILER!!!\0');
  yield emit(trailer);
  yield emit(pad4(offset));
}

const big = 4 * 1024 ** 3 + 12345; // over 4 GiB: only the stripped format can carry it
const files: RpmFile[] = [
  file('/big', 0o100644, big),
  file('/d', 0o040755, 4096),
  file('/d/ghost', 0o100644, 10, { flags: 1 << 6 }),
  file('/d/h1', 0o100644, 5, { inode: 7 }),
  file('/d/h2', 0o100644, 5, { inode: 7 }),
  file('/d/link', 0o120777, 2, { linkTo: 'h1' }),
  file('/small', 0o100600, 3),
];

/** A small stripped archive (every kind of entry, a hardlink set) and the file list it goes with. */
async function smallStripped(): Promise<{ archive: Buffer; files: RpmFile[] }> {
  const parts: Buffer[] = [];
  for await (const b of strippedArchive([
    { fx: 6, data: Buffer.from('abc') },
    { fx: 1, data: Buffer.alloc(0) },
    { fx: 5, data: Buffer.from('h1') },
    { fx: 3, data: Buffer.alloc(0) },
    { fx: 4, data: Buffer.from('12345') },
  ])) parts.push(b);
  return { archive: Buffer.concat(parts), files: files.map((f) => (f.path === '/big' ? { ...f, size: 7 } : f)) };
}

/** A repeatable pseudo-random number in [0, 1). */
function seeded(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe("rpm's stripped format (07070X)", () => {
  it('takes sizes and paths from the header list, streams a >4 GiB file, and marks the hardlink carrier', async () => {
    const archive = strippedArchive([
      { fx: 6, data: Buffer.from('abc') },
      { fx: 1, data: Buffer.alloc(0) },
      { fx: 5, data: Buffer.from('h1') },
      { fx: 3, data: Buffer.alloc(0) },
      { fx: 4, data: Buffer.from('12345') },
      { fx: 0, data: big },
    ]);
    const seen: { path: string; size: number; bytes: number; hash: string; carrier?: boolean; set?: number[] }[] = [];
    for await (const e of readCpio(archive, { files })) {
      const h = createHash('sha256');
      let bytes = 0;
      for await (const c of e.body) {
        bytes += c.length;
        if (e.size < 1e6) h.update(c);
      }
      seen.push({ path: e.path, size: e.size, bytes, hash: e.size < 1e6 ? h.digest('hex').slice(0, 8) : '', carrier: e.hardlink?.carrier, set: e.hardlink?.fileIndexes });
    }
    expect(seen.map((s) => [s.path, s.size, s.bytes])).toEqual([
      ['/small', 3, 3],
      ['/d', 0, 0],
      ['/d/link', 2, 2],
      ['/d/h1', 0, 0],
      ['/d/h2', 5, 5],
      ['/big', big, big],
    ]);
    expect(seen[3].carrier).toBe(false);
    expect(seen[4].carrier).toBe(true);
    expect(seen[4].set).toEqual([3, 4]);
  }, 20_000);
  it('1000 mutations of a stripped archive end in entries or a typed error', async () => {
    const { archive: good, files: small } = await smallStripped();
    const rand = seeded(12345);
    let typed = 0;
    for (let i = 0; i < 1000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        await readAll(Readable.from([rand() < 0.3 ? b.subarray(0, Math.floor(rand() * b.length)) : b]), small);
      } catch (e) {
        expect((e as { code?: string }).code).toMatch(/^YV_(PAYLOAD_FORMAT|PATH_TRAVERSAL)$/);
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(300);
  });
  it('needs the file list and rejects indexes outside it', async () => {
    await expect(readAll(strippedArchive([{ fx: 6, data: Buffer.from('abc') }]))).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
    await expect(readAll(strippedArchive([{ fx: 60, data: Buffer.from('abc') }]), files)).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
    await expect(readAll(strippedArchive([{ fx: 2, data: Buffer.from('abc') }]), files)).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
  });
});

describe('malformed archives', () => {
  const good = () => gnuCpio('newc');
  it('fails typed on truncation at every kind of place', async () => {
    const a = good();
    const trailer = a.indexOf('TRAILER!!!');
    for (const cut of [3, 50, 112, 130, a.indexOf('tool body') + 100, trailer - 20, trailer + 5]) {
      await expect(readAll(Readable.from([a.subarray(0, cut)]))).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
    }
  });
  it('rejects non-hex fields, bad magic, absurd name sizes', async () => {
    const a = Buffer.from(good());
    const bad1 = Buffer.from(a);
    bad1[6 + 48] = 0x47; // 'G' in the first file size
    await expect(readAll(Readable.from([bad1]))).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
    const bad2 = Buffer.from(a);
    bad2.write('070709', 0);
    await expect(readAll(Readable.from([bad2]))).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
    const bad3 = Buffer.from(a);
    bad3.write('00ffffff', 6 + 88);
    await expect(readAll(Readable.from([bad3]))).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
  });
  it('refuses paths that escape the root', async () => {
    const name = '../../etc/passwd\0';
    const header = '070701' + hex8(1) + hex8(0o100644) + hex8(0) + hex8(0) + hex8(1) + hex8(0) + hex8(2) + hex8(0) + hex8(0) + hex8(0) + hex8(0) + hex8(name.length) + hex8(0);
    const entry = Buffer.concat([Buffer.from(header + name), pad4(110 + name.length), Buffer.from('hi'), pad4(2)]);
    await expect(readAll(Readable.from([entry]))).rejects.toMatchObject({ code: 'YV_PATH_TRAVERSAL' });
  });
});

/** What readCpio and readCpioWhole make of one archive: the entries, or the error (class, code, message). */
async function outcomes(archive: Buffer, files?: RpmFile[]): Promise<{ streamed: unknown; whole: unknown }> {
  const settle = async (f: () => Promise<Seen[]> | Seen[]) => {
    try {
      return { entries: await f() };
    } catch (e) {
      const err = e as Error & { code?: string };
      return { error: [err.constructor.name, err.code, err.message] };
    }
  };
  const streamed = await settle(() => readAll(pieces(archive, 7), files));
  const whole = await settle(() =>
    [...readCpioWhole(archive, { files })].map(({ data, ...entry }) => {
      expect(data.buffer).toBe(archive.buffer); // a view, not a copy
      return { entry, data: Buffer.from(data) };
    }),
  );
  return { streamed, whole };
}

describe('readCpioWhole (an archive in memory) and readCpio agree', () => {
  it('on GNU cpio newc and crc archives, cut anywhere', async () => {
    for (const format of ['newc', 'crc']) {
      const a = gnuCpio(format);
      const { streamed, whole } = await outcomes(a);
      expect(whole).toEqual(streamed);
      expect((whole as { entries: Seen[] }).entries.length).toBeGreaterThan(5);
      for (let cut = 0; cut < a.length; cut += 13) {
        const o = await outcomes(a.subarray(0, cut));
        expect(o.whole, `${format} cut at ${cut}`).toEqual(o.streamed);
      }
    }
  });

  it('on mutated stripped and newc archives: the same entries or the same error', async () => {
    const { archive: stripped, files: small } = await smallStripped();
    const rand = seeded(777);
    let errors = 0;
    for (const [good, list] of [[stripped, small], [gnuCpio('newc'), undefined]] as const) {
      for (let i = 0; i < 300; i++) {
        const b = Buffer.from(good);
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        const o = await outcomes(b, list ? [...list] : undefined);
        expect(o.whole).toEqual(o.streamed);
        if ('error' in (o.whole as object)) errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('normalizes names the same with and without the shortcut for names already normal', () => {
    const slow = (name: string) => {
      const parts = name.split('/').filter((p) => p !== '' && p !== '.');
      return '/' + parts.join('/');
    };
    for (const name of ['./usr/bin/x', 'usr/bin/x', '/usr/bin/x', '.', './', '/', './usr//x', './usr/./x', './usr/x/', './usr/.build-id/ab', '/.hidden', 'a', './a b/ü']) {
      expect(normalizeCpioPath(name), name).toBe(slow(name));
    }
    expect(() => normalizeCpioPath('./usr/../../etc')).toThrow(/escapes the root/);
  });
});
