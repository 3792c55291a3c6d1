// Conformance on real data no one on this project made: the ten distribution packages and the header
// blob in /work/shared/fixtures (expected answers from the real rpm, see its README), plus header blobs
// written by the real rpm into an rpmdb here, which must reproduce the packages' signed headers.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_MAGIC, parseHeader, parseHeaderBlob } from '../../src/rpm/header.ts';
import { packageInfo } from '../../src/rpm/info.ts';
import { LEAD_SIZE, readRpmPackage, readRpmPackageStream, readRpmPackageSync, rpmHeaderNeededBytes } from '../../src/rpm/package.ts';
import { Tag } from '../../src/rpm/tags.ts';
import { rpmQuery } from './rpmQuery.ts';
import { FIXTURE_RPMDB, FIXTURE_RPMS } from './sharedFixtures.ts';
import { buildMatrix } from './testPackages.ts';

const RPMS = FIXTURE_RPMS;
const expected = readFileSync(join(RPMS, 'expected.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'yv-rpm-fixtures-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the ten fixture packages', () => {
  it('lists all ten', () => expect(expected).toHaveLength(10));

  for (const [file, name, epoch, version, release, arch, compressor, format, algo] of expected) {
    it(file!, async () => {
      const path = join(RPMS, file!);
      const pkg = await readRpmPackage(path);
      const info = packageInfo(pkg.header, pkg.signature);
      expect([info.name, info.epoch, info.version, info.release, info.arch, info.payloadCompressor, info.payloadFormat])
        .toEqual([name, Number(epoch), version, release, arch, compressor, format]);
      expect(info.files.every((f) => f.digestAlgo === (algo === '(none)' ? 'md5' : 'sha256'))).toBe(true);
      expect(algo === '(none)' ? pkg.header.has(Tag.FILEDIGESTALGO) : pkg.header.getNumber(Tag.FILEDIGESTALGO)).toBe(algo === '(none)' ? false : Number(algo));

      const wantFiles = readFileSync(path.replace(/\.rpm$/, '.files.tsv'), 'utf8').split('\n').filter(Boolean);
      const gotFiles = info.files.map((f) => [f.path, f.digest, f.size, f.mode, f.flags, f.user, f.group, f.linkTo].join('\t'));
      expect(gotFiles).toEqual(wantFiles);

      // Everything else rpm prints about it, from the live rpm.
      const want = rpmQuery(path);
      expect(info.sourceRpm).toBe(want.sourceRpm);
      expect(info.sigmd5).toBe(want.sigmd5);
      expect(info.sha256Header).toBe(want.sha256Header);
      expect([info.summary, info.url, info.license, info.buildHost, info.buildTime, info.size, info.archiveSize])
        .toEqual([want.summary, want.url, want.license, want.buildHost, want.buildTime, want.size, want.archiveSize]);
      expect(info.files.map((f) => [f.mtime, f.inode, f.device, f.rdev, f.caps])).toEqual(want.files.map((f) => [f.mtime, f.inode, f.device, f.rdev, f.caps]));
      // SIGMD5 covers the main header and the payload: our headerStart is right.
      const bytes = readFileSync(path);
      expect(createHash('md5').update(bytes.subarray(pkg.headerStart)).digest('hex')).toBe(info.sigmd5);
    });
  }
});

describe('reading headers without the whole file', () => {
  it('rpmHeaderNeededBytes settles in three rounds on every fixture and matches readRpmPackage', async () => {
    for (const [file] of expected) {
      const bytes = readFileSync(join(RPMS, file!));
      let have = 0;
      let rounds = 0;
      for (let need = rpmHeaderNeededBytes(bytes.subarray(0, 0)); need > have; need = rpmHeaderNeededBytes(bytes.subarray(0, have))) {
        have = need;
        rounds++;
      }
      expect(rounds).toBeLessThanOrEqual(3);
      const pkg = await readRpmPackage(join(RPMS, file!));
      expect(have).toBe(pkg.headerEnd);
      expect(rpmHeaderNeededBytes(bytes)).toBe(pkg.headerEnd);
    }
  });

  it('readRpmPackageSync reads the same headers, and rejects truncated files', async () => {
    for (const [file] of expected) {
      const path = join(RPMS, file!);
      const a = await readRpmPackage(path);
      const b = readRpmPackageSync(path);
      expect([b.headerStart, b.headerEnd, b.lead]).toEqual([a.headerStart, a.headerEnd, a.lead]);
      expect(b.header.headerBytes).toEqual(a.header.headerBytes);
      expect(b.signature.headerBytes).toEqual(a.signature.headerBytes);
      const cut = join(tmp, 'cut.rpm');
      writeFileSync(cut, readFileSync(path).subarray(0, a.headerEnd - 1));
      expect(() => readRpmPackageSync(cut)).toThrow(expect.objectContaining({ code: 'YV_RPM_FORMAT' }));
      await expect(readRpmPackage(cut)).rejects.toMatchObject({ code: 'YV_RPM_FORMAT' });
    }
  });

  it('a random-access reader is asked only for header bytes', async () => {
    const bytes = readFileSync(join(RPMS, 'centos-release-7-2.1511.el7.centos.2.10.x86_64.rpm'));
    const reads: [number, number][] = [];
    // A reader that returns at most 200 bytes per call from offset 0, as a stingy range server might.
    const pkg = await readRpmPackage({
      async read(offset, length) {
        reads.push([offset, length]);
        return bytes.subarray(offset, offset + Math.min(length, offset === 0 ? 200 : length));
      },
    });
    expect(pkg.headerEnd).toBe(8896);
    expect(reads.every(([o, l]) => o + l <= pkg.headerEnd || o === 0)).toBe(true);
    expect(reads.length).toBeLessThanOrEqual(3);
  });

  it('the streaming reader hands back the stream at the payload, for any chunking', async () => {
    for (const [file] of expected.slice(0, 4)) {
      const path = join(RPMS, file!);
      const bytes = readFileSync(path);
      const wantRest = createHash('sha256').update(bytes.subarray((await readRpmPackage(path)).payloadOffset)).digest('hex');
      for (const chunk of [1, 7, 96, 113, 4096, 1 << 20]) {
        const stream = chunk === 1 << 20 ? createReadStream(path) : Readable.from(chunks(bytes, chunk), { objectMode: false });
        const pkg = await readRpmPackageStream(stream);
        const h = createHash('sha256');
        for await (const c of pkg.payload) h.update(c as Buffer);
        expect(h.digest('hex'), `${file} chunk ${chunk}`).toBe(wantRest);
        expect(pkg.header.getString(Tag.NAME)).toMatch(/release/);
      }
    }
  });

  it('the streaming reader fails with RpmFormatError on a stream that ends inside the headers', async () => {
    const bytes = readFileSync(join(RPMS, 'epel-release-7-5.noarch.rpm'));
    for (const cut of [0, 50, 96, 200, 4000]) {
      await expect(readRpmPackageStream(Readable.from(chunks(bytes.subarray(0, cut), 64)))).rejects.toMatchObject({ code: 'YV_RPM_FORMAT' });
    }
    const failing = new Readable({ read() { this.destroy(new Error('connection reset')); } });
    await expect(readRpmPackageStream(failing)).rejects.toThrow('connection reset');
  });
});

function* chunks(b: Uint8Array, size: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield Buffer.from(b.subarray(i, i + size));
}

/** Wraps a header's package form in a lead and a one-entry signature so the real rpm can query it. */
function asPackage(immutable: Uint8Array): Uint8Array {
  const lead = new Uint8Array(LEAD_SIZE);
  lead.set([0xed, 0xab, 0xee, 0xdb, 3, 0, 0, 0, 0, 1]);
  lead[77] = 1;
  lead[79] = 5;
  const sig = new Uint8Array(16 + 16 + 8);
  sig.set(HEADER_MAGIC);
  const dv = new DataView(sig.buffer);
  dv.setUint32(8, 1);
  dv.setUint32(12, 4);
  dv.setUint32(16, 1000); // RPMSIGTAG_SIZE, INT32, offset 0, count 1
  dv.setUint32(20, 4);
  dv.setUint32(28, 1);
  return Buffer.concat([lead, sig, immutable]);
}

describe('header blobs as stored in an rpmdb', () => {
  it('header-blob.bin reads as one package header, as the real rpm reads it', () => {
    const h = parseHeaderBlob(readFileSync(join(FIXTURE_RPMDB, 'header-blob.bin')));
    const info = packageInfo(h);
    expect([info.name, info.epoch, info.version, info.release, info.arch]).toEqual(['publicsuffix-list-dafsa', 0, '20210518', '2.fc35', 'noarch']);
    expect(info.payloadCompressor).toBe('zstd');
    expect(info.sigmd5).toMatch(/^[0-9a-f]{32}$/);
    expect(info.sha256Header).toMatch(/^[0-9a-f]{64}$/);
    // Its DIRINDEXES point past DIRNAMES (a fuzz seed); rpm drops such a file list, and so do we.
    expect(h.getStringArray(Tag.BASENAMES)).toHaveLength(4);
    expect(info.files).toEqual([]);
    expect(info.filesError).toMatch(/DIRINDEXES/);
    const p = join(tmp, 'blob.rpm');
    writeFileSync(p, asPackage(h.immutableBytes()));
    const q = rpmQuery(p);
    expect([q.name, q.epoch, q.version, q.release, q.arch, q.payloadCompressor]).toEqual([info.name, 0, info.version, info.release, info.arch, 'zstd']);
    // rpm's --qf cannot build FILENAMES either: it prints "(none)" for every path.
    expect(q.files.map((f) => f.path)).toEqual(['(none)', '(none)', '(none)', '(none)']);
    expect(execFileSync('rpm', ['-qpl', '--nosignature', '--nodigest', p], { encoding: 'utf8' })).toMatch(/contains no files/);
  });

  it('blobs the real rpm installed reproduce each package: signed header bytes, digests, files', async () => {
    const matrix = await buildMatrix();
    const paths = [...readdirSync(RPMS).filter((f) => f.endsWith('.rpm')).map((f) => join(RPMS, f)), ...matrix.values()];
    const root = join(tmp, 'root');
    execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--justdb', '--nodeps', '--noscripts', '--ignorearch', '--ignoreos',
      '--nosignature', '--nodigest', '--force', ...paths], { stdio: 'pipe' });
    const byNevra = new Map<string, ReturnType<typeof packageInfo>>();
    const sha256ByNevra = new Map<string, string>();
    for (const p of paths) {
      const pkg = await readRpmPackage(p);
      const info = packageInfo(pkg.header, pkg.signature);
      const key = `${info.name}-${info.epoch}:${info.version}-${info.release}.${info.arch}`;
      byNevra.set(key, info);
      sha256ByNevra.set(key, info.headerSha256);
    }
    const db = new DatabaseSync(join(root, 'var/lib/rpm/rpmdb.sqlite'), { readOnly: true });
    const rows = db.prepare('SELECT hnum, blob FROM Packages').all() as { hnum: number; blob: Uint8Array }[];
    db.close();
    expect(rows).toHaveLength(paths.length);
    for (const row of rows) {
      const h = parseHeaderBlob(row.blob);
      const info = packageInfo(h);
      const key = `${info.name}-${info.epoch}:${info.version}-${info.release}.${info.arch}`;
      const fromPkg = byNevra.get(key)!;
      expect(fromPkg, key).toBeDefined();
      expect(h.region, key).not.toBeNull();
      expect(h.indexCount).toBeGreaterThan(h.region!.indexCount); // rpm added INSTALLTIME & co.
      expect(h.getNumber(Tag.INSTALLTIME)).toBeGreaterThan(0);
      // rpm keeps SHA1HEADER of the signed region; ours is computed over the region we cut back out.
      // Every one, the rpm 3 era packages included, carries an immutable region and its SHA1HEADER.
      expect(h.region!.tag, key).toBe(Tag.HEADERIMMUTABLE);
      expect(createHash('sha1').update(h.immutableBytes()).digest('hex'), key).toBe(h.getString(Tag.SHA1HEADER));
      expect(info.headerSha256, key).toBe(sha256ByNevra.get(key));
      expect(info.sigmd5, key).toBe(fromPkg.sigmd5);
      expect(info.sha256Header, key).toBe(fromPkg.sha256Header);
      expect(info.files, key).toEqual(fromPkg.files);
      expect(info.requires, key).toEqual(fromPkg.requires);
      expect(info.changelogs, key).toEqual(fromPkg.changelogs);
    }
  }, 120_000);
});

describe('raw string bytes', () => {
  it('getStringArrayBytes gives exactly the stored bytes, also where they are not UTF-8', async () => {
    const pkg = await readRpmPackage(join(RPMS, 'epel-release-7-5.noarch.rpm'));
    const raw = pkg.header.getStringArrayBytes(Tag.BASENAMES);
    expect(raw.map((b) => Buffer.from(b).toString('utf8'))).toEqual(pkg.header.getStringArray(Tag.BASENAMES));
    // Patch one basename byte to 0xff in a copy of the header: decoded it is U+FFFD, raw it is 0xff.
    const bytes = Uint8Array.from(pkg.header.headerBytes);
    const first = raw[0]!;
    const at = first.byteOffset - pkg.header.headerBytes.byteOffset;
    bytes[at] = 0xff;
    const h = parseHeader(bytes, 0);
    expect(h.getStringArrayBytes(Tag.BASENAMES)[0]![0]).toBe(0xff);
    expect(h.getStringArray(Tag.BASENAMES)[0]!.startsWith('\ufffd')).toBe(true);
  });
});
