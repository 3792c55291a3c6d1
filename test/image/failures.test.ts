// Bad input through the CLI: a one-line error on stderr, exit 1 (2 for usage), and nothing written.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackages, createRepo, standardPackages, tarRoot } from '../fixtures-gen/imageGen.ts';
import { cli, makeImageFixture, sha256Of, type ImageFixture } from './fixture.ts';

let fx: ImageFixture;
let goodDir: string;

beforeAll(async () => {
  fx = makeImageFixture('yv-image-fail-');
  goodDir = join(fx.work, 'good');
  const r = await cli('decompose', fx.tar, '--repo', fx.repoDir, '--out', goodDir, '--json');
  expect(r.code).toBe(0);
}, 120_000);

afterAll(() => fx?.cleanup());

function expectOneLineFailure(r: { code: number; stderr: string; stdout: string }, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

const nothingIn = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

describe('decompose refuses bad images', () => {
  it('a truncated tar', async () => {
    const cut = join(fx.work, 'truncated.tar');
    const bytes = readFileSync(fx.tar);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2) + 100));
    const out = join(fx.work, 'out-truncated');
    const r = await cli('decompose', cut, '--repo', fx.repoDir, '--out', out);
    expectOneLineFailure(r, 1, /truncated.*\[YV_TAR_FORMAT\]/);
    expect(nothingIn(out)).toBe(true);
  });

  it('a corrupt tar header', async () => {
    const bad = join(fx.work, 'corrupt.tar');
    const bytes = Buffer.from(readFileSync(fx.tar));
    bytes[512 * 6 + 10] ^= 0x20; // inside some header or data: walk to the first header after it
    // Corrupt the name of the 3rd header for sure: find headers by their ustar magic.
    let found = 0;
    for (let off = 0; off < bytes.length; off += 512) {
      if (bytes.subarray(off + 257, off + 262).toString() === 'ustar' && ++found === 3) {
        bytes[off] ^= 0x01;
        break;
      }
    }
    writeFileSync(bad, bytes);
    const out = join(fx.work, 'out-corrupt');
    const r = await cli('decompose', bad, '--repo', fx.repoDir, '--out', out);
    expectOneLineFailure(r, 1, /checksum.*\[YV_TAR_FORMAT\]/);
    expect(nothingIn(out)).toBe(true);
  });

  it('a file that is not an image, and usage errors (exit 2)', async () => {
    const junk = join(fx.work, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(4096, 0x5a));
    const r = await cli('decompose', junk, '--repo', fx.repoDir, '--out', join(fx.work, 'out-junk'));
    expectOneLineFailure(r, 1, /YV_TAR_FORMAT/);
    expectOneLineFailure(await cli('decompose', fx.tar, '--out', join(fx.work, 'x')), 2, /--repo/);
    expectOneLineFailure(await cli('restore', goodDir, '--repo', fx.repoDir, '--out', join(fx.work, 'x.tar'), '--substitute', 'major'), 2, /--substitute/);
    expectOneLineFailure(await cli('restore', goodDir, '--repo', fx.repoDir, '--out', join(fx.work, 'x.tar'), '--upgrade', 'nosuch=1-1'), 2, /nosuch/);
    // --out the wrong kind of thing: said before any work, not as a raw EISDIR/EEXIST at the end
    expectOneLineFailure(await cli('restore', goodDir, '--repo', fx.repoDir, '--out', fx.work), 2, /--out .* is a directory: give the path of the image file/);
    expectOneLineFailure(await cli('decompose', fx.tar, '--repo', fx.repoDir, '--out', junk), 2, /--out .*junk\.bin exists and is not a directory/);
  });
});

describe('restore refuses bad decompositions and wrong builds', () => {
  function copyDir(name: string): string {
    const dir = join(fx.work, name);
    mkdirSync(dir);
    for (const f of ['manifest.json', 'residual.zst']) copyFileSync(join(goodDir, f), join(dir, f));
    return dir;
  }

  it('a corrupt residual (checksum, then a consistent but undecodable one)', async () => {
    const dir = copyDir('corrupt-residual');
    const res = Buffer.from(readFileSync(join(dir, 'residual.zst')));
    res[Math.floor(res.length / 2)] ^= 0xff;
    writeFileSync(join(dir, 'residual.zst'), res);
    const out = join(fx.work, 'restored-corrupt.tar');
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /does not match the manifest.*\[YV_RESIDUAL_FORMAT\]/);
    expect(existsSync(out)).toBe(false);
    // The manifest updated to the corrupt bytes: the content itself must be refused.
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.residual = { sha256: sha256Of(join(dir, 'residual.zst')), size: res.length };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /YV_RESIDUAL_FORMAT/);
    expect(existsSync(out)).toBe(false);
  });

  it("a manifest that belongs to another image", async () => {
    const otherTar = join(fx.work, 'other.tar');
    tarRoot(join(fx.work, 'root'), otherTar, 'gnu');
    const otherDir = join(fx.work, 'other');
    expect((await cli('decompose', otherTar, '--repo', fx.repoDir, '--out', otherDir)).code).toBe(0);
    const dir = copyDir('wrong-manifest');
    copyFileSync(join(otherDir, 'manifest.json'), join(dir, 'manifest.json'));
    const out = join(fx.work, 'restored-wrong.tar');
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /does not match the manifest/);
    expect(existsSync(out)).toBe(false);
    // Residual checksum made to match: the image the residual records still differs.
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.residual = JSON.parse(readFileSync(join(goodDir, 'manifest.json'), 'utf8')).residual;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /another image.*\[YV_MANIFEST\]/);
    expect(existsSync(out)).toBe(false);
    // Not a manifest at all
    writeFileSync(join(dir, 'manifest.json'), '{"format": "something/2"}');
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /YV_MANIFEST/);
    // verify names the difference
    expectOneLineFailure(await cli('verify', goodDir, otherTar), 1, /sha256.*\[YV_VERIFY\]/);
    expect((await cli('verify', goodDir, fx.tar)).code).toBe(0);
  });

  it('an image larger than the free space where it is to be written: refused before anything is fetched', async () => {
    const dir = copyDir('huge-image');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.image.size = 2 ** 52; // 4 PiB
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const out = join(fx.work, 'not-yet', 'restored-huge.tar');
    expectOneLineFailure(await cli('restore', dir, '--repo', fx.repoDir, '--out', out), 1, /restoring .*restored-huge\.tar needs 4096\.0 TiB and .* has .* free.*\[YV_NO_SPACE\]/);
    expect(existsSync(join(fx.work, 'not-yet'))).toBe(false);
  });

  it('a repository serving a different build under the same name', async () => {
    const impostorDir = join(fx.work, 'impostor-repo');
    const rebuilt = buildPackages(join(fx.work, 'rebuild'), standardPackages().filter((p) => p.name === 'alpha'), impostorDir);
    for (const f of readdirSync(fx.repoDir)) if (f.endsWith('.rpm') && !f.startsWith('alpha-')) copyFileSync(join(fx.repoDir, f), join(impostorDir, f));
    createRepo(impostorDir);
    expect(rebuilt[0]!.endsWith('alpha-1.0-1.noarch.rpm')).toBe(true);
    const out = join(fx.work, 'restored-impostor.tar');
    const r = await cli('restore', goodDir, '--repo', impostorDir, '--out', out);
    expectOneLineFailure(r, 1, /different build of alpha-1\.0-1\.noarch.*\[YV_CHECKSUM_MISMATCH\]/);
    expect(existsSync(out)).toBe(false);
    // The right build in a later repository is found past the wrong one.
    const ok = await cli('restore', goodDir, '--repo', impostorDir, '--repo', fx.repoDir, '--out', out, '--json');
    expect(ok.code).toBe(0);
    expect(sha256Of(out)).toBe(sha256Of(fx.tar));
    // decompose does not take the impostor as the installed build: same NEVRA, other header
    const d = await cli('decompose', fx.tar, '--repo', impostorDir, '--out', join(fx.work, 'd-impostor'), '--json');
    expect(d.code).toBe(0);
    const summary = JSON.parse(d.stdout);
    expect(summary.packagesMissing).toEqual(['alpha-1.0-1.noarch']);
    expect(summary.packagesFound).toBe(3);
    // …and that decomposition restores bit for bit too (alpha's files are in its residual)
    const out2 = join(fx.work, 'restored-impostor2.tar');
    expect((await cli('restore', join(fx.work, 'd-impostor'), '--repo', impostorDir, '--out', out2)).code).toBe(0);
    expect(sha256Of(out2)).toBe(sha256Of(fx.tar));
  });

  it('a repository on this machine whose file is not what its metadata says', async () => {
    // The metadata (and the manifest's pkgid) name alpha's build; the file under that name is another
    // package. Read in place, its header is not the manifest's, so it is hashed whole before any of it is used.
    const lying = join(fx.work, 'lying-repo');
    mkdirSync(lying);
    for (const f of readdirSync(fx.repoDir)) if (f.endsWith('.rpm')) copyFileSync(join(fx.repoDir, f), join(lying, f));
    createRepo(lying);
    const alpha = readdirSync(lying).find((f) => f.startsWith('alpha-'))!;
    const beta = readdirSync(lying).find((f) => f.startsWith('beta-'))!;
    copyFileSync(join(lying, beta), join(lying, alpha));
    const out = join(fx.work, 'restored-lying.tar');
    const r = await cli('restore', goodDir, '--repo', lying, '--out', out);
    expectOneLineFailure(r, 1, new RegExp(`${alpha}: sha256 [0-9a-f]{64}, the repository.s metadata .and the manifest.s pkgid. say.*\\[YV_CHECKSUM_MISMATCH\\]`));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(fx.work).filter((f) => f.startsWith('restored-lying'))).toEqual([]);
  });

  it('a repository on this machine whose file has its header but not its payload', async () => {
    // A file whose header is the build's is used without hashing it whole: the image's sha256 covers its
    // bytes. When that fails, or the payload cannot be read, the file is hashed and named all the same.
    const header = (await import('../../src/rpm/package.ts')).parseRpmPackageBytes;
    for (const [i, at] of [0.5, 0.97].entries()) {
      const broken = join(fx.work, `broken-payload-repo-${i}`);
      mkdirSync(broken);
      for (const f of readdirSync(fx.repoDir)) if (f.endsWith('.rpm')) copyFileSync(join(fx.repoDir, f), join(broken, f));
      createRepo(broken);
      const alpha = readdirSync(broken).find((f) => f.startsWith('alpha-'))!;
      const bytes = Buffer.from(readFileSync(join(broken, alpha)));
      const { payloadOffset } = header(bytes);
      bytes[payloadOffset + Math.floor((bytes.length - payloadOffset) * at)] ^= 0x5a;
      writeFileSync(join(broken, alpha), bytes);
      const out = join(fx.work, `restored-broken-${i}.tar`);
      const r = await cli('restore', goodDir, '--repo', broken, '--out', out);
      expectOneLineFailure(r, 1, new RegExp(`${alpha}: sha256 [0-9a-f]{64}, the repository.s metadata .and the manifest.s pkgid. say.*\\[YV_CHECKSUM_MISMATCH\\]`));
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a repository on this machine whose file has its header and a payload that reads well but differs', async () => {
    // Every file's content in alpha's payload changed by one byte, recompressed: the header is the build's,
    // the payload inflates and walks without error, so only the image's sha256 can tell; then the .rpm is
    // hashed and named (not just "the image differs").
    const { parseRpmPackageBytes } = await import('../../src/rpm/package.ts');
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const changed = join(fx.work, 'changed-payload-repo');
    mkdirSync(changed);
    for (const f of readdirSync(fx.repoDir)) if (f.endsWith('.rpm')) copyFileSync(join(fx.repoDir, f), join(changed, f));
    createRepo(changed);
    const alpha = readdirSync(changed).find((f) => f.startsWith('alpha-'))!;
    const bytes = readFileSync(join(changed, alpha));
    const { payloadOffset } = parseRpmPackageBytes(bytes);
    expect(bytes.subarray(payloadOffset, payloadOffset + 2)).toEqual(Buffer.from([0x1f, 0x8b])); // alpha's payload is gzip
    const cpio = Buffer.from(gunzipSync(bytes.subarray(payloadOffset)));
    let flipped = 0;
    for (let at = 0; cpio.subarray(at, at + 6).toString() === '070701'; ) {
      const hex = (o: number) => parseInt(cpio.subarray(at + o, at + o + 8).toString(), 16);
      const size = hex(54);
      const nameEnd = at + 110 + hex(94);
      const data = nameEnd + ((4 - (nameEnd % 4)) % 4);
      if (size > 0) {
        cpio[data] ^= 0x01;
        flipped++;
      }
      at = data + size + ((4 - ((data + size) % 4)) % 4);
    }
    expect(flipped).toBeGreaterThan(0);
    writeFileSync(join(changed, alpha), Buffer.concat([bytes.subarray(0, payloadOffset), gzipSync(cpio)]));
    const out = join(fx.work, 'restored-changed.tar');
    const r = await cli('restore', goodDir, '--repo', changed, '--out', out);
    expectOneLineFailure(r, 1, new RegExp(`${alpha}: sha256 [0-9a-f]{64}, the repository.s metadata .and the manifest.s pkgid. say.*\\[YV_CHECKSUM_MISMATCH\\]`));
    expect(existsSync(out)).toBe(false);
  });

  it('a build no repository has', async () => {
    const partial = join(fx.work, 'partial-repo');
    mkdirSync(partial);
    for (const f of readdirSync(fx.repoDir)) if (f.endsWith('.rpm') && !f.startsWith('delta-')) copyFileSync(join(fx.repoDir, f), join(partial, f));
    createRepo(partial);
    const out = join(fx.work, 'restored-partial.tar');
    expectOneLineFailure(await cli('restore', goodDir, '--repo', partial, '--out', out), 1, /delta-1\.0-1\.noarch is in no repository.*\[YV_NOT_FOUND\]/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('an image without an rpm database', () => {
  it('decomposes with a warning on stderr (all of it in the residual) and restores bit for bit; a corrupt database still fails', async () => {
    const root = join(fx.work, 'no-rpmdb-root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'hostname'), 'builder\n');
    writeFileSync(join(root, 'data.bin'), Buffer.alloc(300_000, 7));
    const tar = join(fx.work, 'no-rpmdb.tar');
    tarRoot(root, tar, 'gnu');
    const out = join(fx.work, 'd-no-rpmdb');
    const d = await cli('decompose', tar, '--repo', fx.repoDir, '--out', out, '--json');
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/^warning: .*has no rpm database.*the whole image goes into the residual$/m);
    const s = JSON.parse(d.stdout);
    expect(s).toMatchObject({ packages: 0, packagesFound: 0, filesReferenced: 0 });
    const restored = join(fx.work, 'restored-no-rpmdb.tar');
    const r = await cli('restore', out, '--repo', fx.repoDir, '--out', restored, '--json');
    expect(r.code).toBe(0);
    expect(sha256Of(restored)).toBe(sha256Of(tar));

    // A database that is there but is not one is not "no database": that stays an error.
    mkdirSync(join(root, 'var', 'lib', 'rpm'), { recursive: true });
    writeFileSync(join(root, 'var', 'lib', 'rpm', 'rpmdb.sqlite'), Buffer.alloc(8192, 0x5a));
    const badTar = join(fx.work, 'bad-rpmdb.tar');
    tarRoot(root, badTar, 'gnu');
    const bad = join(fx.work, 'd-bad-rpmdb');
    expectOneLineFailure(await cli('decompose', badTar, '--repo', fx.repoDir, '--out', bad), 1, /\[YV_RPMDB\]/);
    expect(nothingIn(bad)).toBe(true);
  });
});
