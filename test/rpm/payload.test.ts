// Payload extraction end to end on packages built by the real rpmbuild (every compressor rpm here can
// write) and on ten real distribution packages: the bytes we extract must hash to FILEDIGESTS, and the
// file list and contents must equal what `rpm2cpio | cpio -idm` extracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachPayloadFile, openRpmPayload, verifyPayloadDigests } from '../../src/rpm/payload.ts';
import { PAYLOAD_MODES, specText } from '../fixtures-gen/rpmSpec.ts';
import { buildPayloadPackages, PAYLOAD_COMPRESSIONS, payloadSpec } from './testPackages.ts';
import { SHARED_FIXTURES } from './sharedFixtures.ts';

const fixtureDir = join(SHARED_FIXTURES, 'rpms');
let dir: string;
let built: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-payload-'));
  built = await buildPayloadPackages();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.rpm')).map((f) => join(fixtureDir, f)) : [];

/** Extract with the real tools; returns the root directory. */
function rpm2cpio(pkg: string): string {
  const out = mkdtempSync(join(dir, 'x-'));
  execSync(`rpm2cpio '${pkg}' | cpio -idm --quiet --no-absolute-filenames`, { cwd: out });
  return out;
}

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel))) {
    const p = `${rel}/${name}`;
    out.push(p);
    if (lstatSync(join(root, p)).isDirectory()) out.push(...walk(root, p));
  }
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function crossCheck(pkg: string): Promise<void> {
  const verification = await verifyPayloadDigests(pkg);
  expect(verification.mismatches).toEqual([]);
  expect(verification.checked).toBeGreaterThan(0);

  const root = rpm2cpio(pkg);
  const ours = new Map<string, { type: number; hash: string }>();
  const linkSets: string[][] = [];
  await forEachPayloadFile(pkg, async (file, _index, body, entry) => {
    const parts: Uint8Array[] = [];
    for await (const piece of body) parts.push(piece);
    ours.set(file.path, { type: file.mode & 0o170000, hash: sha256(Buffer.concat(parts)) });
    if (entry.hardlink?.carrier) linkSets.push(entry.hardlink.paths);
  });
  // The same paths as cpio extracted (cpio also creates the parent directories rpm does not list).
  const theirs = walk(root);
  for (const p of ours.keys()) expect(theirs).toContain(p);
  for (const p of theirs) if (!ours.has(p)) expect(lstatSync(join(root, p)).isDirectory()).toBe(true);
  // The same contents.
  const carriers = new Map<string, string>();
  for (const set of linkSets) for (const p of set) carriers.set(p, ours.get(set[set.length - 1])!.hash);
  for (const [p, { type, hash }] of ours) {
    const st = lstatSync(join(root, p));
    if (type === 0o100000) {
      expect(st.isFile()).toBe(true);
      expect(sha256(readFileSync(join(root, p)))).toBe(carriers.get(p) ?? hash);
    } else if (type === 0o120000) {
      expect(st.isSymbolicLink()).toBe(true);
      expect(sha256(Buffer.from(readlinkSync(join(root, p))))).toBe(hash);
    } else if (type === 0o040000) {
      expect(st.isDirectory()).toBe(true);
    }
  }
}

describe('packages built by rpmbuild', () => {
  for (const compressor of PAYLOAD_COMPRESSIONS) {
    it(`${compressor} payload (${PAYLOAD_MODES[compressor]}): digests match and rpm2cpio | cpio agrees`, async () => {
      await crossCheck(built[compressor]);
      const p = await openRpmPayload(built[compressor]);
      expect(p.compressor).toBe(compressor === 'none' ? 'identity' : compressor);
      const kinds = new Map<string, number>();
      let hardlinkCarrier: string[] | undefined;
      for await (const e of p.entries) {
        kinds.set(e.path, e.mode & 0o170000);
        if (e.hardlink?.carrier) hardlinkCarrier = e.hardlink.paths;
      }
      const base = `/usr/share/payload-${compressor}`;
      expect(kinds.get(`${base}/link`)).toBe(0o120000);
      expect(kinds.get(`${base}/empty`)).toBe(0o100000);
      expect(kinds.get(`${base}/with space`)).toBe(0o100000);
      expect(kinds.has(`/var/lib/payload-${compressor}/state`)).toBe(false); // %ghost: not in the payload
      expect(hardlinkCarrier?.sort()).toEqual([`${base}/h1`, `${base}/h2`, `${base}/h3`]);
    });
  }

  it('verifies xz, lzma and bzip2 payloads through the external decoders too', async () => {
    for (const c of ['xz', 'lzma', 'bzip2']) {
      const r = await verifyPayloadDigests(built[c], { external: true });
      expect(r.mismatches).toEqual([]);
      expect(r.checked).toBe(10);
    }
  });

  it('reports a file whose payload bytes were altered (uncompressed payload, so no decoder check catches it)', async () => {
    const bytes = Buffer.from(readFileSync(built.none));
    const at = bytes.indexOf('line 1500 of the text file');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'L'.charCodeAt(0);
    const altered = join(dir, 'altered.rpm');
    writeFileSync(altered, bytes);
    const r = await verifyPayloadDigests(altered);
    expect(r.mismatches).toEqual([expect.objectContaining({ path: '/usr/share/payload-none/text.txt', problem: 'digest' })]);
  });

  it('fails typed on a truncated package', async () => {
    const bytes = readFileSync(built.xz);
    const cut = join(dir, 'cut.rpm');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    await expect(verifyPayloadDigests(cut)).rejects.toMatchObject({ code: 'YV_PAYLOAD_FORMAT' });
  });

  it('reads a source package (bare file names) and a package without files', async () => {
    const top = join(dir, 'top-src');
    writeFileSync(join(dir, 'payload-gzip.spec'), specText(payloadSpec('gzip')));
    execSync(`rpmbuild -bs --quiet --define '_topdir ${top}' '${join(dir, 'payload-gzip.spec')}'`);
    const srpm = join(top, 'SRPMS', readdirSync(join(top, 'SRPMS'))[0]);
    const src = await verifyPayloadDigests(srpm);
    expect(src.mismatches).toEqual([]);
    expect(src.info.files.map((f) => f.path)).toEqual(['payload-gzip.spec']);
    expect(src.checked).toBe(1);
    writeFileSync(join(dir, 'empty.spec'), 'Name: emptypkg\nVersion: 1\nRelease: 1\nSummary: e\nLicense: MIT\nBuildArch: noarch\n%description\ne\n%files\n');
    execSync(`rpmbuild -bb --quiet --define '_topdir ${top}' '${join(dir, 'empty.spec')}'`);
    const empty = await verifyPayloadDigests(join(top, 'RPMS', 'noarch', 'emptypkg-1-1.noarch.rpm'));
    expect(empty).toMatchObject({ checked: 0, mismatches: [] });
  });

  it('stops cleanly when the caller breaks out early', async () => {
    const p = await openRpmPayload(built.xz);
    for await (const e of p.entries) {
      expect(e.path.startsWith('/')).toBe(true);
      break;
    }
  });
});

describe('real distribution packages (CentOS 2.1 to 7, EPEL 7)', () => {
  it('has the ten fixtures', () => expect(fixtures.length).toBe(10));
  for (const pkg of fixtures) {
    it(`${pkg.split('/').pop()}: digests match and rpm2cpio | cpio agrees`, async () => {
      await crossCheck(pkg);
    });
  }
});

describe('files over 4 GiB', () => {
  // test/rpm/fixtures/bigfile-1-1.noarch.rpm: rpmbuild (rpm 4.18, w1.zstdio) of a spec whose %install runs
  // `truncate -s 4400000000 %{buildroot}/data/big; echo small > %{buildroot}/data/small`. Building it
  // takes ~25 s, so the 140 KB result is kept. rpm writes LONGFILESIZES and the stripped 07070X payload.
  const big = join(import.meta.dirname, 'fixtures', 'bigfile-1-1.noarch.rpm');
  it('streams a 4.4 GB sparse file out of a stripped-cpio zstd payload', async () => {
    const sizes = new Map<string, number>();
    let nonZero = 0;
    const info = await forEachPayloadFile(big, async (file, _i, body) => {
      let n = 0;
      for await (const piece of body) {
        n += piece.length;
        if (file.path === '/data/big' && n < 1 << 22) for (const b of piece) nonZero |= b;
      }
      sizes.set(file.path, n);
    });
    expect(info.files.find((f) => f.path === '/data/big')!.size).toBe(4_400_000_000);
    expect(sizes.get('/data/big')).toBe(4_400_000_000);
    expect(sizes.get('/data/small')).toBe(6);
    expect(nonZero).toBe(0);
  }, 120_000); // ~6 s on an idle 2-core machine; generous for a loaded one
});

