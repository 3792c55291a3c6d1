// Round trips on images made by the real tools: rpmbuild packages (gzip, xz, zstd payloads) installed by
// the real rpm into a root, edited as built images are, tarred by GNU tar (pax with --xattrs, gnu;
// --sparse with a 9 GiB sparse file); decomposed and restored from a file:// repository and over HTTP,
// sha256-identical to the original.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decomposeImage } from '../../src/image/decompose.ts';
import { readManifest } from '../../src/image/manifest.ts';
import { restoreImage } from '../../src/image/restore.ts';
import { verifyImage } from '../../src/image/verify.ts';
import { buildPackages, createRepo, deltaPackage, editRoot, installRoot, standardPackages, tarRoot } from '../fixtures-gen/imageGen.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';

let work: string;
let repoDir: string;
let server: TestHttpServer;
let paxTar: string;
let gnuTar: string;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yv-image-rt-'));
  repoDir = join(work, 'repo');
  const rpms = buildPackages(work, [...standardPackages(), deltaPackage('1.0', '1')], repoDir);
  createRepo(repoDir);
  const root = join(work, 'root');
  installRoot(root, rpms, '/var/lib/rpm');
  editRoot(root, { sparseBytes: 9 * 1024 ** 3, xattrs: true });
  paxTar = join(work, 'image-pax.tar');
  gnuTar = join(work, 'image-gnu.tar');
  tarRoot(root, paxTar, 'pax', { xattrs: true });
  tarRoot(root, gnuTar, 'gnu');
  server = await startTestHttpServer(repoDir);
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('decompose → restore round trips', () => {
  it('pax with xattrs and a 9 GiB sparse file, from a file:// repository', async () => {
    const dir = join(work, 'd-pax');
    const repo = pathToFileURL(repoDir).href;
    const s = await decomposeImage({ image: paxTar, repos: [repo], outDir: dir });
    expect(s.image.sha256).toBe(sha(paxTar));
    expect(s.image.compression).toBe('none');
    expect(s.packages).toBe(4);
    expect(s.packagesFound).toBe(4);
    expect(s.packagesMissing).toEqual([]);
    // alpha: binary, README, the hardlinked library, the long path; beta: binary (mode changed only) and
    // data; gamma: both data files via the hardlink the image added; delta: its two files
    expect(s.filesReferenced).toBe(11);
    expect(s.storedBytes).toBeLessThan(s.bytesReferenced / 10);
    const m = await readManifest(dir);
    expect(m.packages.map((p) => p.name).sort()).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect(m.packages.find((p) => p.name === 'gamma')).toMatchObject({ epoch: 2, version: '0.9', release: '1', arch: 'noarch', repo });
    const rpmSha = sha(join(repoDir, 'alpha-1.0-1.noarch.rpm'));
    expect(m.packages.find((p) => p.name === 'alpha')!.pkgid).toBe(rpmSha);

    const out = join(work, 'restored-pax.tar');
    const r = await restoreImage({ dir, repos: [repo], out, writeMode: 'stream', spoolMemory: 200_000 }); // through the spool: part in memory, part on disk
    expect(r).toMatchObject({ sha256: sha(paxTar), size: statSync(paxTar).size, verified: 'exact', substitutions: [], upgrades: [], advisories: [] });
    expect(sha(out)).toBe(sha(paxTar));
    expect((await verifyImage(dir, out)).ok).toBe(true);
    // GNU tar agrees it is the same archive, xattrs included
    const listing = execFileSync('tar', ['--xattrs', '-tvf', out]).toString();
    expect(listing).toContain('./usr/bin/alpha');
  });

  it('in place (the default for an exact restore into a plain file): on worker threads and on this thread', async () => {
    const dir = join(work, 'd-pax');
    const repo = pathToFileURL(repoDir).href;
    if (!existsSync(dir)) await decomposeImage({ image: paxTar, repos: [repo], outDir: dir });
    const lines: string[] = [];
    const out = join(work, 'restored-inplace.tar');
    const r = await restoreImage({ dir, repos: [repo], out, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes('written in place'))).toBe(true);
    expect(r).toMatchObject({ sha256: sha(paxTar), size: statSync(paxTar).size, verified: 'exact' });
    expect(sha(out)).toBe(sha(paxTar));
    // Three workers and this thread writing builds at once (as on a machine of 4 cores): the same bytes.
    const wide = join(work, 'restored-inplace-wide.tar');
    expect((await restoreImage({ dir, repos: [repo], out: wide, concurrency: 4 })).sha256).toBe(sha(paxTar));
    expect(sha(wide)).toBe(sha(paxTar));
    rmSync(wide);
    // Injected dependencies run on this thread (no workers): the same bytes.
    const { defaultDeps } = await import('../../src/image/sources.ts');
    const here = join(work, 'restored-inplace-here.tar');
    const r2 = await restoreImage({ dir, repos: [repoDir], out: here, deps: defaultDeps() });
    expect(r2.sha256).toBe(sha(paxTar));
    expect(sha(here)).toBe(sha(paxTar));
    // …and so does the spool on this thread
    const streamed = join(work, 'restored-stream-here.tar');
    expect((await restoreImage({ dir, repos: [repoDir], out: streamed, deps: defaultDeps(), writeMode: 'stream' })).sha256).toBe(sha(paxTar));
    for (const f of [out, here, streamed]) rmSync(f);
  });

  it('gnu format, over HTTP: headers fetched by Range, not whole packages', async () => {
    const dir = join(work, 'd-gnu');
    server.requests.length = 0;
    const s = await decomposeImage({ image: gnuTar, repos: [server.url], outDir: dir });
    expect(s.packagesFound).toBe(4);
    const pkgRequests = server.requests.filter((q) => q.path.endsWith('.rpm'));
    expect(pkgRequests.length).toBeGreaterThan(0);
    for (const q of pkgRequests) expect(q.range).toMatch(/^bytes=/);
    const out = join(work, 'restored-gnu.tar');
    const r = await restoreImage({ dir, repos: [server.url], out, writeMode: 'stream', spoolMemory: 0 }); // all through the disk spool
    expect(r.sha256).toBe(sha(gnuTar));
    expect(sha(out)).toBe(sha(gnuTar));
  });

  it("over HTTP/1.0 from Python's http.server: each response ends by closing its connection", async () => {
    // A body this side has not read yet when the server closes the connection (restore's threads are busy
    // writing builds) must still be read whole: undici before 8 crashed the process there.
    const py = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', repoDir], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let seen = '';
        py.stdout!.on('data', (d: Buffer) => {
          seen += d.toString();
          const m = /port (\d+)/.exec(seen);
          if (m) resolve(Number(m[1]));
        });
        py.once('exit', (code) => reject(new Error(`python3 -m http.server exited (${code})`)));
      });
      const url = `http://127.0.0.1:${port}/`;
      // Restore in place downloads into memory (no temp file), verified as it streams, within a budget.
      const { openBuildRepo } = await import('../../src/image/sources.ts');
      const { MemoryBudget } = await import('../../src/image/builds.ts');
      const repo = openBuildRepo(url);
      const build = (await repo.find({ name: 'alpha', epoch: 0, version: '1.0', release: '1', arch: 'noarch' }))!;
      const dest = join(work, 'alpha-in-memory.rpm');
      const got = await repo.download(build, dest, { memory: new MemoryBudget(1 << 20) });
      expect(existsSync(dest)).toBe(false);
      expect(createHash('sha256').update(got.bytes!).digest('hex')).toBe(build.sha256);
      got.release!();
      await repo.close?.();
      const dir = join(work, 'd-http10');
      const s = await decomposeImage({ image: paxTar, repos: [url], outDir: dir });
      expect(s.packagesFound).toBe(4);
      for (const writeMode of ['auto', 'stream'] as const) {
        const out = join(work, `restored-http10-${writeMode}.tar`);
        expect((await restoreImage({ dir, repos: [url], out, writeMode })).sha256).toBe(sha(paxTar));
        expect(sha(out)).toBe(sha(paxTar));
        rmSync(out);
      }
    } finally {
      py.kill();
    }
  });

  it('compressed input (zstd, gzip, xz) is inflated once; compressed output by extension', async () => {
    for (const [tool, ext, kind] of [
      ['zstd', 'zst', 'zstd'],
      ['gzip', 'gz', 'gzip'],
      ['xz', 'xz', 'xz'],
    ] as const) {
      const compressed = join(work, `image.tar.${ext}`);
      execFileSync('sh', ['-c', `${tool} -c < '${gnuTar}' > '${compressed}'`]);
      const dir = join(work, `d-${ext}`);
      const lines: string[] = [];
      const s = await decomposeImage({ image: compressed, repos: [repoDir], outDir: dir, log: (l) => lines.push(l) });
      expect(s.image).toMatchObject({ compression: kind, sha256: sha(gnuTar) });
      expect(lines.some((l) => l.includes('inflating'))).toBe(true);
      expect((await verifyImage(dir, compressed)).ok).toBe(true);
    }
    const out = join(work, 'restored.tar.gz');
    await restoreImage({ dir: join(work, 'd-zst'), repos: [repoDir], out });
    const plain = join(work, 'restored-gunzipped.tar');
    execFileSync('sh', ['-c', `gzip -dc < '${out}' > '${plain}'`]);
    expect(sha(plain)).toBe(sha(gnuTar));
  });

  it('a pipe (FIFO) carrying a compressed image is read once into a temp file', async () => {
    const fifo = join(work, 'image.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `zstd -q -c < '${gnuTar}' > '${fifo}'`], { stdio: 'ignore' });
    const closed = new Promise((resolve) => writer.once('close', resolve));
    const s = await decomposeImage({ image: fifo, repos: [repoDir], outDir: join(work, 'd-fifo') });
    expect(await closed).toBe(0);
    expect(s.image).toMatchObject({ compression: 'zstd', sha256: sha(gnuTar) });
    expect(s.packagesFound).toBe(4);
  });

  it('a directory image (rpmdb under /usr/lib/sysimage/rpm) restores to its deterministic tar', async () => {
    const root = join(work, 'root-dir');
    installRoot(root, readdirSync(repoDir).filter((f) => f.endsWith('.rpm')).map((f) => join(repoDir, f)), '/usr/lib/sysimage/rpm');
    editRoot(root, {});
    const dir = join(work, 'd-dir');
    const s = await decomposeImage({ image: root, repos: [repoDir], outDir: dir });
    expect(s.image.compression).toBe('directory');
    expect(s.packagesFound).toBe(4);
    const out = join(work, 'restored-dir.tar');
    const r = await restoreImage({ dir, repos: [repoDir], out });
    expect(r.sha256).toBe(s.image.sha256);
    expect((await verifyImage(dir, root)).ok).toBe(true);
    expect((await verifyImage(dir, out)).ok).toBe(true);
    // GNU tar extracts it to the same tree
    const x = join(work, 'x-dir');
    execFileSync('mkdir', ['-p', x]);
    execFileSync('tar', ['-xf', out, '-C', x]);
    expect(sha(join(x, 'usr/lib64/gamma.bin'))).toBe(sha(join(root, 'usr/lib64/gamma.bin')));
    expect(existsSync(join(x, 'usr/lib/sysimage/rpm/rpmdb.sqlite'))).toBe(true);
  });
});
