import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUILDS, DEMO_PACKAGE_NAMES } from '../../src/demo/demoPackages.ts';
import { startStaticServer, type StaticServer } from '../../src/demo/staticServer.ts';
import { generatePool, publish, window, type PoolBuild, type RepodataWriter } from '../../src/demo/upstreamRepo.ts';
import { run, runAsync } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-upstream-'));
let pool: Map<string, PoolBuild[]>;
let server: StaticServer;
let listed = 0;

// The real createrepo_c as the repodata writer: the demo's own steps are checked independently of src/repo.
const createrepo: RepodataWriter = async (repoDir, packages) => {
  const list = join(dir, 'pkglist');
  writeFileSync(list, packages.map((p) => `${p.relativePath}\n`).join(''));
  const r = run('createrepo_c', ['-q', '--pkglist', list, repoDir]);
  if (r.status !== 0) throw new Error(r.stderr);
};

beforeAll(async () => {
  pool = await generatePool();
  server = await startStaticServer(join(dir, 'up'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo upstream', () => {
  it('generates every build of every package, deterministically', async () => {
    expect([...pool.keys()].sort()).toEqual([...DEMO_PACKAGE_NAMES].sort());
    for (const builds of pool.values()) expect(builds.map((b) => b.build)).toEqual(DEMO_BUILDS.map((_, i) => i));
    const again = await generatePool({ names: ['demo-shell'], builds: 2 });
    expect(again.get('demo-shell')!.map((b) => b.rpm.sha256)).toEqual(pool.get('demo-shell')!.slice(0, 2).map((b) => b.rpm.sha256));
  });

  it('publishes a window of builds, then moves on and evicts the old ones; dnf sees each state', async () => {
    const repo = join(dir, 'up', 'demo');
    const first = await publish(repo, window(pool, 0, 3), createrepo);
    expect(first.evicted).toEqual([]);
    expect(readdirSync(join(repo, 'Packages'))).toHaveLength(3 * DEMO_PACKAGE_NAMES.length);
    const list = async () =>
      (await runAsync('dnf', [
        '-q', '--refresh', '--setopt=reposdir=/nonexistent', `--setopt=cachedir=${join(dir, `cache-${++listed}`)}`,
        '--repofrompath', `demo,${server.url}demo/`, '--repo', 'demo', 'repoquery', '--showduplicates', '--qf', '%{name}-%{evr}', 'demo-shell',
      ])).stdout.trim().split('\n').sort();
    expect(await list()).toEqual(['demo-shell-1.0-1', 'demo-shell-1.0-2', 'demo-shell-1.1-1']);
    const second = await publish(repo, window(pool, 3, 6), createrepo);
    expect(second.evicted).toHaveLength(3 * DEMO_PACKAGE_NAMES.length);
    expect(second.evicted).toContain('demo-shell-1.1-1.x86_64.rpm');
    expect(readdirSync(join(repo, 'Packages')).sort()).toEqual(window(pool, 3, 6).map((b) => b.rpm.fileName).sort());
    expect(await list()).toEqual(['demo-shell-1.1-2', 'demo-shell-1.2-1', 'demo-shell-2.0-1']);
  });

  it('the static server answers ranges, HEAD and 404, and refuses to leave its root', async () => {
    const b = window(pool, 3, 4)[0]!;
    const url = `${server.url}demo/Packages/${b.rpm.fileName}`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(b.rpm.bytes.length);
    const part = await fetch(url, { headers: { range: `bytes=${b.rpm.headerStart}-${b.rpm.headerEnd - 1}` } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.from(b.rpm.bytes.subarray(b.rpm.headerStart, b.rpm.headerEnd)));
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(Buffer.from(b.rpm.bytes.subarray(b.rpm.bytes.length - 10)));
    expect((await fetch(url, { headers: { range: `bytes=${b.rpm.bytes.length}-` } })).status).toBe(416);
    expect((await fetch(`${server.url}demo/Packages/nope.rpm`)).status).toBe(404);
    expect((await fetch(`${server.url}demo/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}demo/Packages/${b.rpm.fileName}`, { method: 'POST' })).status).toBe(405);
  });
});
