// The monitor against a real upstream: rpmbuild + createrepo_c, served over HTTP on 127.0.0.1.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Monitor } from '../../src/retention/monitor.ts';
import { DEFAULT_POLICY } from '../../src/retention/policy.ts';
import { HttpUpstreamSource } from '../../src/retention/repoSource.ts';
import type { Logger } from '../../src/retention/logger.ts';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildRpms, publishRepo, type BuiltRpm } from './rpmRepo.ts';

let dir: string;
let server: TestHttpServer;
let rpms: Map<string, BuiltRpm>;
const logs: string[] = [];
const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`), error: (m) => logs.push(`ERROR ${m}`) };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-monup-'));
  const built = await buildRpms(join(dir, 'build'), [
    { name: 'foo', version: '1.0', release: '1' },
    { name: 'foo', version: '1.0', release: '2' },
    { name: 'foo', version: '1.0', release: '3' },
    { name: 'foo', version: '1.1', release: '1' },
    { name: 'bar', version: '2.0', release: '1' },
    { name: 'bar', version: '2.0', release: '2' },
  ]);
  rpms = new Map(built.map((b) => [b.nevra, b]));
  server = await startTestHttpServer(join(dir, 'upstream'));
  publishRepo(join(dir, 'upstream'), ['foo-1.0-1', 'foo-1.0-2', 'foo-1.0-3', 'bar-2.0-1'].map((n) => rpms.get(`${n}.noarch`)!));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('register → held at once; eviction and a security update: superseded, gone, advisory, nothing lost', async () => {
  const catalog = await SqlCatalog.open(SqliteDatabase.open(join(dir, 'data', 'catalog.sqlite')));
  const blobs = await FsBlobStore.open(join(dir, 'data', 'blobs'));
  const source = new HttpUpstreamSource({ baseUrl: server.url });
  const monitor = new Monitor({ catalog, blobs, logger, repos: [{ name: 'base', upstreamUrl: server.url, policy: DEFAULT_POLICY, source }] });
  try {
    const first = await monitor.runPass();
    expect(first.repos[0]).toMatchObject({ scanned: true, appeared: 4, superseded: 2, retained: 0, error: null });
    // createrepo_c's <revision> is its timestamp: what people see; the scan state also names the checksums.
    expect((await catalog.getRepo('base'))!.revision).toMatch(/^\d+$/);

    const foo1 = rpms.get('foo-1.0-1.noarch')!;
    const bar1 = rpms.get('bar-2.0-1.noarch')!;
    await catalog.registerManifest({ imageSha256: 'f'.repeat(64), imageName: null, body: {}, builds: [foo1, bar1].map((b) => ({ ...b, epoch: 0, arch: 'noarch', pkgid: b.sha256, repo: 'base' })) }, Date.now());
    const held = await monitor.runPass();
    expect(held.repos[0]).toMatchObject({ scanned: false, retained: 2, downloaded: 2 });
    expect(readFileSync(blobs.localPath(foo1.sha256)).equals(readFileSync(foo1.path))).toBe(true);
    expect(server.requests.filter((r) => r.path.endsWith('.rpm')).map((r) => r.path).sort()).toEqual(['/Packages/b/bar-2.0-1.noarch.rpm', '/Packages/f/foo-1.0-1.noarch.rpm']);

    // Upstream moves on: keeps 3 foo builds (foo-1.0-1 evicted) and ships a security fix for bar.
    const bar2 = rpms.get('bar-2.0-2.noarch')!;
    publishRepo(join(dir, 'upstream'), ['foo-1.0-2', 'foo-1.0-3', 'foo-1.1-1', 'bar-2.0-1', 'bar-2.0-2'].map((n) => rpms.get(`${n}.noarch`)!), [
      { id: 'TEST-2026-0001', type: 'security', severity: 'Important', packages: [bar2] },
    ]);
    const after = await monitor.runPass();
    expect(after.repos[0]).toMatchObject({ scanned: true, appeared: 2, gone: 1, superseded: 2, advisories: 1, lost: [], error: null });
    const foo = (await catalog.findByPkgid(foo1.sha256))[0]!;
    expect(foo).toMatchObject({ upstream: false, retained: true, supersededBy: 'foo-1.0-2.noarch' });
    expect((await catalog.findByPkgid(bar1.sha256))[0]).toMatchObject({ advisoryId: 'TEST-2026-0001', advisorySeverity: 'Important', retained: true });
    expect((await catalog.listEvents({ kind: 'gone' })).map((e) => e.nevra)).toEqual(['foo-1.0-1.noarch']);
    expect(await catalog.totals()).toEqual({ retained: 2, lost: 0, held: 2 });

    // Corrupt bytes from upstream are never stored: a new referenced build fails verification, then heals.
    const foo3 = rpms.get('foo-1.0-3.noarch')!;
    server.setFault('/Packages/f/foo-1.0-3.noarch.rpm', { kind: 'corrupt', times: 1 });
    await catalog.registerManifest({ imageSha256: 'e'.repeat(64), imageName: null, body: {}, builds: [{ ...foo3, epoch: 0, arch: 'noarch', pkgid: foo3.sha256, repo: 'base' }] }, Date.now());
    const bad = await monitor.runPass();
    expect(bad.repos[0]!.failed.map((f) => f.nevra)).toEqual(['foo-1.0-3.noarch']);
    expect(await blobs.has(foo3.sha256)).toBe(false);
    const good = await monitor.runPass();
    expect(good.repos[0]).toMatchObject({ retained: 1, failed: [] });
    expect(await blobs.has(foo3.sha256)).toBe(true);
  } finally {
    await catalog.close();
  }
});

test('upstream 500s, hangs and cuts mid-body: nothing stored, no temp left, the next pass retains', async () => {
  const data = join(dir, 'data-faults');
  const catalog = await SqlCatalog.open(SqliteDatabase.open(join(data, 'catalog.sqlite')));
  const blobs = await FsBlobStore.open(join(data, 'blobs'));
  const source = new HttpUpstreamSource({ baseUrl: server.url, http: { retries: 1, retryBackoffMs: 10, headersTimeoutMs: 1000, bodyIdleTimeoutMs: 1000 } });
  const monitor = new Monitor({ catalog, blobs, logger, repos: [{ name: 'base', upstreamUrl: server.url, policy: { keep: ['all'], skipMinor: false }, source }] });
  try {
    const faults = [
      { kind: 'status', status: 500, times: 2 },
      { kind: 'hang', times: 2 },
      { kind: 'cut', afterBytes: 300, times: 2 },
      { kind: 'stall', afterBytes: 300, times: 2 },
    ] as const;
    const victims = ['foo-1.0-2', 'foo-1.0-3', 'foo-1.1-1', 'bar-2.0-2'];
    victims.forEach((v, i) => server.setFault(`/Packages/${v[0]}/${v}.noarch.rpm`, faults[i]!));
    const first = await monitor.runPass();
    expect(first.repos[0]!.failed.map((f) => f.nevra).sort()).toEqual(victims.map((v) => `${v}.noarch`).sort());
    expect(first.repos[0]!.retained).toBe(1); // bar-2.0-1, served cleanly
    for (const v of victims) expect(await blobs.has(rpms.get(`${v}.noarch`)!.sha256)).toBe(false);
    expect(readdirSync(join(data, 'blobs', 'tmp'))).toEqual([]);
    server.clearFaults();
    const second = await monitor.runPass();
    expect(second.repos[0]).toMatchObject({ retained: 4, failed: [] });
    for (const v of victims) {
      const b = rpms.get(`${v}.noarch`)!;
      expect(readFileSync(blobs.localPath(b.sha256)).equals(readFileSync(b.path))).toBe(true);
    }
  } finally {
    await monitor.close();
    await catalog.close();
  }
}, 30_000);

test('all + skipMinor on a real upstream: bug-fix-superseded builds are never fetched, the rest are', async () => {
  const data = join(dir, 'data-skipminor');
  const catalog = await SqlCatalog.open(SqliteDatabase.open(join(data, 'catalog.sqlite')));
  const blobs = await FsBlobStore.open(join(data, 'blobs'));
  const source = new HttpUpstreamSource({ baseUrl: server.url });
  const monitor = new Monitor({ catalog, blobs, logger, repos: [{ name: 'base', upstreamUrl: server.url, policy: { keep: ['all'], skipMinor: true }, source }] });
  try {
    // Upstream now lists foo 1.0-2, 1.0-3, 1.1-1 and bar 2.0-1, 2.0-2 (the first test published it).
    const before = server.requests.length;
    const r = await monitor.runPass();
    expect(r.repos[0]).toMatchObject({ skipped: 2, retained: 3, downloaded: 3, failed: [] });
    const fetched = server.requests.slice(before).filter((q) => q.path.endsWith('.rpm')).map((q) => q.path).sort();
    expect(fetched).toEqual(['/Packages/b/bar-2.0-2.noarch.rpm', '/Packages/f/foo-1.0-3.noarch.rpm', '/Packages/f/foo-1.1-1.noarch.rpm']);
    const skipped = await catalog.listEvents({ kind: 'skipped' });
    expect(skipped.map((e) => e.nevra).sort()).toEqual(['bar-2.0-1.noarch', 'foo-1.0-2.noarch']);
    expect(skipped.find((e) => e.nevra === 'foo-1.0-2.noarch')!.detail).toContain('foo-1.0-3.noarch');
  } finally {
    await monitor.close();
    await catalog.close();
  }
});
