// The tar block walker against archives written by GNU tar in every format it writes: concatenating what
// the walker hands back must give the archive byte for byte; decoded fields must match what tar lists.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, openSync, writeSync, closeSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTarFile, type TarEntry } from '../../src/image/tar.ts';
import { openTarImage } from '../../src/image/imageReader.ts';
import { serializeDirectory } from '../../src/image/dirTar.ts';

let dir: string;
let root: string;
const longName = `${'long-directory-name-'.repeat(6)}/file-${'x'.repeat(110)}.txt`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yv-tar-'));
  root = join(dir, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'var/lib/rpm-real'), { recursive: true });
  mkdirSync(join(dir, 'sparse-dir'), { recursive: true });
  writeFileSync(join(root, 'etc/hello'), 'hello world\n');
  writeFileSync(join(root, 'etc/empty'), '');
  writeFileSync(join(root, 'var/lib/rpm-real/Packages'), 'not really a database');
  symlinkSync('rpm-real', join(root, 'var/lib/rpm'));
  symlinkSync('/etc/hello', join(root, 'etc/hello-link'));
  linkSync(join(root, 'etc/hello'), join(root, 'etc/hello-hard'));
  mkdirSync(join(root, longName.slice(0, longName.lastIndexOf('/'))), { recursive: true });
  writeFileSync(join(root, longName), 'deep\n');
  writeFileSync(Buffer.concat([Buffer.from(`${root}/etc/`), Buffer.from([0x62, 0xe9, 0xff])]), 'latin1\n');
  const fd = openSync(join(dir, 'sparse-dir/sparse'), 'w');
  writeSync(fd, Buffer.from('head'), 0, 4, 0);
  writeSync(fd, Buffer.from('tail'), 0, 4, 9 * 1024 * 1024 * 1024);
  closeSync(fd);
  truncateSync(join(dir, 'sparse-dir/sparse'), 9 * 1024 * 1024 * 1024 + 4096);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function walk(path: string): Promise<{ entries: TarEntry[]; sha256: string }> {
  return withTarFile(path, async (w) => {
    const h = createHash('sha256');
    const entries: TarEntry[] = [];
    for (;;) {
      const e = await w.next();
      if (!e) break;
      entries.push(e);
      h.update(e.header);
      await w.readData(e, (c) => void h.update(c));
      h.update(await w.readPadding(e));
    }
    await w.readTrailer((c) => void h.update(c));
    return { entries, sha256: h.digest('hex') };
  });
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('tar walker', () => {
  for (const [format, extra] of [
    ['gnu', ['--sparse']],
    ['oldgnu', ['--sparse']],
    ['pax', ['--sparse']],
    ['pax', ['--sparse', '--sparse-version=1.0']],
    ['pax', ['--sparse', '--sparse-version=0.1']],
  ] as const) {
    it(`gives back ${format} ${extra.join(' ')} byte for byte, fields decoded`, async () => {
      const tar = join(dir, `${format}${extra.length}.tar`);
      execFileSync('tar', [...extra, `--format=${format}`, '-C', root, '-cf', tar, '.', '-C', join(dir, 'sparse-dir'), './sparse']);
      const { entries, sha256 } = await walk(tar);
      expect(sha256).toBe(sha(tar));
      const byPath = new Map(entries.map((e) => [e.path.replace(/^\.\//, ''), e]));
      expect(byPath.get(longName)?.kind).toBe('file');
      expect(byPath.get(longName)?.size).toBe(5);
      expect(byPath.get('etc/hello-link')).toMatchObject({ kind: 'symlink', linkname: '/etc/hello' });
      const hard = entries.filter((e) => e.path.includes('etc/hello-hard') || e.path.endsWith('etc/hello'));
      expect(hard.map((e) => e.kind).sort()).toEqual(['file', 'hardlink']);
      const sparse = byPath.get('sparse')!;
      expect(sparse.kind).toBe('sparse');
      expect(sparse.size).toBe(9 * 1024 * 1024 * 1024 + 4096);
      expect(sparse.dataSize).toBeLessThan(1 << 20);
      const odd = entries.find((e) => Buffer.from(e.pathBytes).includes(Buffer.from([0xe9, 0xff])));
      expect(odd?.kind).toBe('file');
      // tar's own listing has the same number of entries
      const listed = execFileSync('tar', ['-tf', tar]).toString().trim().split('\n').length;
      expect(entries.length).toBe(listed);
    });
  }

  for (const format of ['ustar', 'v7']) {
    it(`reads ${format} archives`, async () => {
      const tar = join(dir, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', tar, './etc/hello', './etc/hello-link', './etc/empty']);
      const { entries, sha256 } = await walk(tar);
      expect(sha256).toBe(sha(tar));
      expect(entries.map((e) => e.kind)).toEqual(['file', 'symlink', 'file']);
      expect(entries[0]!.size).toBe(12);
    });
  }

  it('keeps trailing garbage after the end-of-archive blocks', async () => {
    const tar = join(dir, 'garbage.tar');
    execFileSync('tar', ['--format=gnu', '-C', root, '-cf', tar, './etc/hello']);
    writeFileSync(tar, Buffer.concat([readFileSync(tar), Buffer.from('appended by someone\n')]));
    const { sha256 } = await walk(tar);
    expect(sha256).toBe(sha(tar));
  });

  it('refuses truncated archives and bad checksums with TarFormatError', async () => {
    const tar = join(dir, 'whole.tar');
    execFileSync('tar', ['--format=pax', '-C', root, '-cf', tar, './etc']);
    const bytes = readFileSync(tar);
    const cut = join(dir, 'cut.tar');
    writeFileSync(cut, bytes.subarray(0, 1024 + 100));
    await expect(walk(cut)).rejects.toMatchObject({ code: 'YV_TAR_FORMAT' });
    const bad = Buffer.from(bytes);
    bad[3] ^= 0x55;
    const badPath = join(dir, 'bad.tar');
    writeFileSync(badPath, bad);
    await expect(walk(badPath)).rejects.toMatchObject({ code: 'YV_TAR_FORMAT', message: expect.stringContaining('checksum') });
    const notTar = join(dir, 'not.tar');
    writeFileSync(notTar, Buffer.alloc(2048, 0x41));
    await expect(walk(notTar)).rejects.toMatchObject({ code: 'YV_TAR_FORMAT' });
  });
});

describe('tar image reader', () => {
  it('finds files by absolute path, following symlinked directories, with one header pass', async () => {
    const tar = join(dir, 'img.tar');
    execFileSync('tar', ['--sparse', '--format=gnu', '-C', root, '-cf', tar, '.']);
    const reader = openTarImage(tar);
    const f = await reader.findFile(['/usr/lib/sysimage/rpm/Packages', '/var/lib/rpm/Packages']);
    expect(f?.path).toBe('/var/lib/rpm/Packages');
    expect(f?.resolvedPath).toBe('/var/lib/rpm-real/Packages');
    expect((await f!.read()).toString()).toBe('not really a database');
    const copy = join(dir, 'copy');
    await f!.copyTo(copy);
    expect(readFileSync(copy, 'utf8')).toBe('not really a database');
    expect(await reader.findFile(['/etc/nothing'])).toBeUndefined();
    expect(await reader.listDir('/var/lib/rpm')).toEqual(['/var/lib/rpm/Packages']);
    // hardlinks resolve to the entry that carries the data
    const h = await reader.findFile(['/etc/hello-hard']);
    expect((await h!.read()).toString()).toBe('hello world\n');
  });
});

describe('directory serialization', () => {
  it('is deterministic, readable by GNU tar, and walks back byte for byte', async () => {
    const a = join(dir, 'dir-a.tar');
    const b = join(dir, 'dir-b.tar');
    await serializeDirectory(root, a);
    await serializeDirectory(root, b);
    expect(sha(a)).toBe(sha(b));
    expect(readFileSync(a).length % 10240).toBe(0);
    const listing = execFileSync('tar', ['-tvf', a]).toString();
    expect(listing).toContain(longName);
    expect(listing).toContain('etc/hello-link -> /etc/hello');
    expect(listing).toMatch(/etc\/hello-hard link to \.\/etc\/hello|etc\/hello link to \.\/etc\/hello-hard/);
    const out = join(dir, 'extracted');
    mkdirSync(out);
    execFileSync('tar', ['-xf', a, '-C', out, './etc', `./${longName}`]);
    expect(readFileSync(join(out, longName), 'utf8')).toBe('deep\n');
    const { sha256 } = await walk(a);
    expect(sha256).toBe(sha(a));
  });
});
