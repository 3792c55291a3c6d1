import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Monitor } from '../../src/retention/monitor.ts';
import { DEFAULT_POLICY, isMinorUpdate, parsePolicy, type RetentionPolicy } from '../../src/retention/policy.ts';
import type { Logger } from '../../src/retention/logger.ts';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { PostgresDatabase } from '../../src/store/postgres.ts';
import type { Catalog } from '../../src/store/catalog.ts';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../store/pgCluster.ts';
import { FakeUpstream, fakePackage, type FakePackage } from './fakeUpstream.ts';

let dir: string;
let catalog: Catalog;
let blobs: FsBlobStore;
let upstream: FakeUpstream;
let logs: string[];
let clock: number;

const logger: Logger = {
  info: (m) => logs.push(`info ${m}`),
  warn: (m) => logs.push(`warn ${m}`),
  error: (m) => logs.push(`error ${m}`),
};

function monitor(policy: RetentionPolicy = DEFAULT_POLICY, publish?: (repo: string) => Promise<void>): Monitor {
  return new Monitor({ catalog, blobs, logger, now: () => ++clock, publish, repos: [{ name: 'base', upstreamUrl: 'http://127.0.0.1:9/base/', policy, source: upstream }] });
}

async function register(pkgs: FakePackage[], image = 'a'.repeat(64)): Promise<number> {
  const { id } = await catalog.registerManifest({ imageSha256: image, imageName: 'img', body: {}, builds: pkgs.map((p) => ({ ...p, repo: 'base' })) }, ++clock);
  return id;
}

// The monitor's decisions run on both catalogs: SQLite (embedded) and PostgreSQL (scale-out).
const pgReason = pgUnavailableReason();
if (pgReason) console.warn(`SKIPPING monitor tests on PostgreSQL: ${pgReason}`);
let cluster: PgCluster | null = null;
beforeAll(() => {
  if (!pgReason) cluster = startPgCluster();
});
afterAll(() => cluster?.stop());

async function openCatalog(backend: string): Promise<Catalog> {
  if (backend === 'sqlite') return SqlCatalog.open(SqliteDatabase.open(join(dir, 'catalog.sqlite')));
  const db = await PostgresDatabase.connect(cluster!.url);
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  return SqlCatalog.open(db);
}

let backend = 'sqlite';
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-monitor-'));
  catalog = await openCatalog(backend);
  blobs = await FsBlobStore.open(join(dir, 'blobs'));
  upstream = new FakeUpstream();
  logs = [];
  clock = 1000;
});
afterEach(async () => {
  await catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const kinds = async (kind: string): Promise<string[]> => (await catalog.listEvents({ kind: kind as never })).map((e) => e.nevra);

const backends = pgReason ? ['sqlite'] : ['sqlite', 'postgres'];
describe.each(backends)('Monitor on %s', (which) => {
  beforeAll(() => {
    backend = which;
  });

  test('referenced builds are held at once; supersession and eviction lose nothing referenced', async () => {
    const v1 = fakePackage('foo', '1.0', '1');
    const v2 = fakePackage('foo', '1.0', '2');
    const bar = fakePackage('bar', '2', '1');
    upstream.publish([v1, v2, bar]);
    const m = monitor();
    const first = await m.runPass();
    expect(first.repos[0]).toMatchObject({ scanned: true, appeared: 3, superseded: 1, retained: 0, error: null });
    await register([v1]);
    const held = await m.runPass();
    expect(held.repos[0]).toMatchObject({ scanned: false, retained: 1, downloaded: 1 });
    expect(await blobs.has(v1.pkgid)).toBe(true);
    expect(upstream.downloads).toEqual([v1.location]);

    const v3 = fakePackage('foo', '1.1', '1');
    upstream.publish([v2, v3, bar]);
    const after = await m.runPass();
    expect(after.repos[0]).toMatchObject({ scanned: true, appeared: 1, gone: 1, superseded: 1, lost: [] });
    const row = (await catalog.findByPkgid(v1.pkgid))[0]!;
    expect(row).toMatchObject({ upstream: false, retained: true, blobSha256: v1.pkgid, supersededBy: 'foo-1.0-2.x86_64' });
    expect(await kinds('superseded')).toEqual(['foo-1.0-1.x86_64', 'foo-1.0-2.x86_64']);
    expect(await kinds('gone')).toEqual(['foo-1.0-1.x86_64']);
    expect(await kinds('retained')).toEqual(['foo-1.0-1.x86_64']);
    const vault = (await catalog.vaultPackages('base', 100, 0)).map((p) => p.pkgid);
    expect(vault).toEqual([v1.pkgid]);
  });

  test('a referenced build already gone is recorded lost, loudly, with the manifests it breaks', async () => {
    const v1 = fakePackage('foo', '1.0', '1');
    const v2 = fakePackage('foo', '1.0', '2');
    upstream.publish([v1]);
    const m = monitor();
    await m.runPass();
    upstream.publish([v2]);
    await m.runPass();
    const id = await register([v1]);
    const report = await m.runPass();
    expect(report.repos[0]!.lost).toEqual([{ nevra: 'foo-1.0-1.x86_64', pkgid: v1.pkgid, manifests: [id] }]);
    expect(m.lostCount).toBe(1);
    expect(logs.some((l) => l.startsWith('error LOST foo-1.0-1.x86_64'))).toBe(true);
    expect((await catalog.listEvents({ kind: 'lost' }))[0]!.detail).toContain(`breaks manifests ${id}`);
    expect(await catalog.totals()).toEqual({ retained: 0, lost: 1, held: 0 });
    // Reported once, not on every pass.
    expect((await m.runPass()).repos[0]!.lost).toEqual([]);
    // Back upstream (a lagging mirror): no longer lost, and held at once.
    upstream.publish([v1, v2]);
    const back = await m.runPass();
    expect(back.repos[0]).toMatchObject({ retained: 1, lost: [] });
    expect((await catalog.findByPkgid(v1.pkgid))[0]).toMatchObject({ lostAt: null, retained: true });
  });

  test('policy all fetches each version when first listed; corrupt bytes are refused and retried', async () => {
    const a = fakePackage('a', '1', '1');
    const b = fakePackage('b', '1', '1');
    upstream.publish([a, b]);
    upstream.corrupt.set(b.location, Buffer.from('evil bytes'));
    const m = monitor(parsePolicy({ keep: ['all'] }));
    const r1 = await m.runPass();
    expect(r1.repos[0]).toMatchObject({ retained: 1 });
    expect(r1.repos[0]!.failed.map((f) => f.nevra)).toEqual(['b-1-1.x86_64']);
    expect(r1.repos[0]!.failed[0]!.error).toContain('YV_CHECKSUM_MISMATCH');
    expect(await blobs.has(b.pkgid)).toBe(false);
    upstream.corrupt.clear();
    const r2 = await m.runPass();
    expect(r2.repos[0]).toMatchObject({ retained: 1, failed: [] });
    expect(await blobs.has(b.pkgid)).toBe(true);
  });

  test('a package with a malformed checksum fails alone, with the reason; the rest of the pass goes on', async () => {
    const good = fakePackage('good', '1', '1');
    const shortSha = { ...fakePackage('short', '1', '1'), pkgid: 'ab'.repeat(20) };
    const oddAlgo = { ...fakePackage('odd', '1', '1'), checksumType: 'whirlpool' };
    upstream.publish([good, shortSha, oddAlgo]);
    const r = (await monitor(parsePolicy({ keep: ['all'] })).runPass()).repos[0]!;
    expect(r).toMatchObject({ error: null, retained: 1 });
    expect(await blobs.has(good.pkgid)).toBe(true);
    const failed = new Map(r.failed.map((f) => [f.nevra, f.error]));
    expect([...failed.keys()].sort()).toEqual(['odd-1-1.x86_64', 'short-1-1.x86_64']);
    expect(failed.get('short-1-1.x86_64')).toContain('a sha256 checksum of 40 hex digits');
    expect(failed.get('odd-1-1.x86_64')).toContain("checksum type 'whirlpool' is not supported");
  });

  test('skipMinor: a build superseded by a bug-fix update is not kept; a real version bump is', async () => {
    const p100 = fakePackage('lib', '1.0.0', '1');
    const q1 = fakePackage('tool', '2.0', '1');
    upstream.publish([p100, q1]);
    const m = monitor(parsePolicy({ keep: ['all'], skipMinor: true }));
    await m.runPass();
    const p101 = fakePackage('lib', '1.0.1', '1');
    const q2 = fakePackage('tool', '3.0', '1');
    upstream.publish([p101, q2]);
    const r = await m.runPass();
    expect(r.repos[0]!.skipped).toBe(1);
    const lib = (await catalog.findByPkgid(p100.pkgid))[0]!;
    expect(lib.skipReason).toContain('lib-1.0.1-1.x86_64');
    expect(lib.retained).toBe(false);
    expect((await catalog.findByPkgid(q1.pkgid))[0]!.retained).toBe(true);
    expect((await catalog.vaultPackages('base', 100, 0)).map((v) => v.name).sort()).toEqual(['lib', 'tool', 'tool']);
    expect(await kinds('skipped')).toEqual(['lib-1.0.0-1.x86_64']);
  });

  test('a security advisory is recorded against the versions it supersedes', async () => {
    const old = fakePackage('ssl', '3.0', '1');
    const fixed = fakePackage('ssl', '3.0', '2');
    upstream.publish([old]);
    const m = monitor();
    await m.runPass();
    upstream.publish([old, fixed], [
      { id: 'FEDORA-2026-abc', type: 'security', severity: 'Critical', packages: [fixed] },
      { id: 'FEDORA-2026-bug', type: 'bugfix', severity: null, packages: [fixed] },
    ]);
    const r = await m.runPass();
    expect(r.repos[0]!.advisories).toBe(1);
    expect((await catalog.findByPkgid(old.pkgid))[0]).toMatchObject({ advisoryId: 'FEDORA-2026-abc', advisorySeverity: 'Critical' });
    expect((await catalog.findByPkgid(fixed.pkgid))[0]!.advisoryId).toBeNull();
  });

  test('a client download is held without fetching again; upstream failure is recorded, not fatal', async () => {
    const a = fakePackage('a', '1', '1');
    upstream.publish([a]);
    const put = await blobs.put([a.bytes], { sha256: a.pkgid });
    await catalog.upsertRepo('base', 'http://127.0.0.1:9/base/');
    await catalog.recordDownload('base', { location: a.location, blob: put });
    const published: string[] = [];
    const m = monitor(DEFAULT_POLICY, async (r) => void published.push(r));
    const r = await m.runPass();
    expect(r.repos[0]).toMatchObject({ retained: 1, downloaded: 0, published: true });
    expect(upstream.downloads).toEqual([]);
    expect(published).toEqual(['base']);
    upstream.failSnapshot = true;
    const bad = await m.runPass();
    expect(bad.repos[0]!.error).toContain('500');
    expect((await catalog.getRepo('base'))!.lastPassError).toContain('500');
  });

  test('one monitor at a time', async () => {
    upstream.publish([fakePackage('a', '1', '1')]);
    const release = await catalog.tryMonitorLock();
    expect((await monitor().runPass()).ran).toBe(false);
    await release!();
    expect((await monitor().runPass()).ran).toBe(true);
  });
});

describe('policy', () => {
  test('isMinorUpdate', () => {
    const v = (version: string, release: string, epoch = 0) => ({ epoch, version, release });
    expect(isMinorUpdate(v('1.0', '1'), v('1.0', '2'))).toBe(true);
    expect(isMinorUpdate(v('1.2.3', '1'), v('1.2.4', '1'))).toBe(true);
    expect(isMinorUpdate(v('1.2.3', '1'), v('1.3.0', '1'))).toBe(false);
    expect(isMinorUpdate(v('1.0', '1'), v('1.1', '1'))).toBe(false);
    expect(isMinorUpdate(v('1.0', '1'), v('1.0', '2', 1))).toBe(false);
  });
  test('parsePolicy names the bad value', () => {
    expect(parsePolicy(undefined)).toEqual({ keep: ['referenced', 'downloaded'], skipMinor: false });
    expect(parsePolicy({ keep: 'referenced,all' })).toEqual({ keep: ['referenced', 'all'], skipMinor: false });
    expect(() => parsePolicy({ keep: ['everything'] }, 'repos.base.retention')).toThrow(/repos\.base\.retention\.keep.*everything/);
    expect(() => parsePolicy({ skipMinor: 'yes' })).toThrow(/skipMinor must be true or false/);
  });
});
