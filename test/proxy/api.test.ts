import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApiRouter } from '../../proxy/api/router.ts';
import { tokenMatches } from '../../proxy/api/auth.ts';
import { resolveRepoName } from '../../proxy/api/manifestBody.ts';
import { Monitor } from '../../src/retention/monitor.ts';
import { DEFAULT_POLICY } from '../../src/retention/policy.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { FakeUpstream, fakePackage } from '../retention/fakeUpstream.ts';

const TOKEN = 's3cret-token';
let dir: string;
let catalog: SqlCatalog;
let server: Server;
let base: string;
let upstream: FakeUpstream;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-api-'));
  catalog = await SqlCatalog.open(SqliteDatabase.open(join(dir, 'catalog.sqlite')));
  const blobs = await FsBlobStore.open(join(dir, 'blobs'));
  upstream = new FakeUpstream();
  const monitor = new Monitor({ catalog, blobs, logger: silentLogger, repos: [{ name: 'base', upstreamUrl: 'http://127.0.0.1:9/base/', policy: DEFAULT_POLICY, source: upstream }] });
  const app = express();
  app.use(createApiRouter({ catalog, token: TOKEN, monitor, policies: { base: DEFAULT_POLICY } }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

// Test bodies are read loosely: the assertions below are the type check.
const j = async (r: Response) => JSON.parse(await r.text());

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

function manifest(pkgs: ReturnType<typeof fakePackage>[], image = 'c'.repeat(64)) {
  return {
    format: 'yumvault.manifest/1',
    image: { name: 'web.tar', sha256: image, size: 1, compression: 'none' },
    packages: pkgs.map((p) => ({ name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch, pkgid: p.pkgid, headerSha256: 'd'.repeat(64), repo: `http://127.0.0.1:8080/repos/base/` })),
    residual: { sha256: 'e'.repeat(64), size: 1 },
    stats: {},
  };
}

describe('API', () => {
  test('writes without the right token are 401 and change nothing, before the body is read', async () => {
    const v1 = fakePackage('foo', '1', '1');
    upstream.publish([v1]);
    const body = JSON.stringify(manifest([v1]));
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const r = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect((await j(r)).error.code).toBe('YV_AUTH');
    }
    // Even a malformed body gets 401, not 400: the token is checked first.
    expect((await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(401);
    expect((await fetch(`${base}/api/v1/monitor`, { method: 'POST' })).status).toBe(401);
    expect((await j(await fetch(`${base}/api/v1/manifests`))).manifests).toEqual([]);
    expect(await catalog.listRepos()).toEqual([]);
    expect(upstream.downloads).toEqual([]);
  });

  test('register → held at once; idempotent by image sha256; GET shows each build state', async () => {
    const v1 = fakePackage('foo', '1', '1');
    const v2 = fakePackage('foo', '1', '2');
    const gone = fakePackage('old', '0.1', '1');
    upstream.publish([v1, gone]);
    expect((await fetch(`${base}/api/v1/monitor?repo=base`, { method: 'POST', headers: auth })).status).toBe(200);
    upstream.publish([v1, v2]);
    const r = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: JSON.stringify(manifest([v1, gone])) });
    expect(r.status).toBe(201);
    const reg = await j(r);
    expect(reg).toMatchObject({ id: 1, created: true, held: true, lost: ['old-0.1-1.x86_64'] });
    expect(upstream.downloads).toEqual([v1.location]);
    const again = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: JSON.stringify(manifest([v1, gone])) });
    expect(again.status).toBe(200);
    expect((await j(again)).id).toBe(1);

    upstream.publish([v2]);
    await fetch(`${base}/api/v1/monitor`, { method: 'POST', headers: auth });
    const one = await j(await fetch(`${base}/api/v1/manifests/1`));
    expect(one.builds.map((b: { nevra: string; state: string; held: boolean }) => [b.nevra, b.state, b.held])).toEqual([
      ['foo-1-1.x86_64', 'retained', true],
      ['old-0.1-1.x86_64', 'lost', false],
    ]);
    expect(one.manifest.image.name).toBe('web.tar');
    expect(one.builds[0].repo).toBe('base'); // the proxy URL in the manifest, recorded as the repo's name
    expect(one.counts).toMatchObject({ retained: 1, lost: 1 });
    expect((await fetch(`${base}/api/v1/manifests/99`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/manifests/abc`)).status).toBe(404);

    const repos = (await j(await fetch(`${base}/api/v1/repos`))).repos;
    expect(repos[0]).toMatchObject({ name: 'base', counts: { retained: 1, lost: 1 }, policy: { keep: ['referenced', 'downloaded'] } });
    const pk = (await j(await fetch(`${base}/api/v1/packages?repo=base`))).packages;
    expect(pk.find((p: { nevra: string }) => p.nevra === 'foo-1-1.x86_64')).toMatchObject({ upstream: false, retained: true, reasons: ['referenced'] });
    const lostOnly = await j(await fetch(`${base}/api/v1/packages?repo=base&lost=1`));
    expect(lostOnly.packages.map((p: { nevra: string }) => p.nevra)).toEqual(['old-0.1-1.x86_64']);
    expect(lostOnly.next).toBeNull();
    const byName = await j(await fetch(`${base}/api/v1/packages?repo=base&name=foo&limit=1`));
    expect(byName.packages.map((p: { nevra: string }) => p.nevra)).toEqual(['foo-1-1.x86_64']);
    expect(byName.next).toBe(1);
    expect((await j(await fetch(`${base}/api/v1/packages?repo=base&advisory=1`))).packages).toEqual([]);
    const ev = (await j(await fetch(`${base}/api/v1/events?repo=base&kind=lost`))).events;
    expect(ev.map((e: { nevra: string }) => e.nevra)).toEqual(['old-0.1-1.x86_64']);
  });

  test('a repository whose metadata checksums are sha1: its builds are matched by NEVRA, held and reported', async () => {
    // The manifest's pkgid is the .rpm's sha256; this repo's primary.xml names its packages by sha1.
    const sha1Listed = (p: ReturnType<typeof fakePackage>) => ({ ...p, checksumType: 'sha1', pkgid: createHash('sha1').update(p.bytes).digest('hex') });
    const v1 = sha1Listed(fakePackage('foo', '1', '1'));
    const v2 = sha1Listed(fakePackage('foo', '1', '2'));
    const other = sha1Listed(fakePackage('bar', '2', '1'));
    upstream.publish([v1, other]);
    expect((await fetch(`${base}/api/v1/monitor?repo=base`, { method: 'POST', headers: auth })).status).toBe(200);
    const sha256Of = (p: { bytes: Buffer }) => createHash('sha256').update(p.bytes).digest('hex');
    const body = manifest([{ ...v1, pkgid: sha256Of(v1) }, { ...other, pkgid: sha256Of(other) }]);
    const r = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect(r.status).toBe(201);
    expect(await j(r)).toMatchObject({ held: true, lost: [], counts: { upstream: 2, unknown: 0, held: 2 } });
    upstream.publish([v2]);
    await fetch(`${base}/api/v1/monitor`, { method: 'POST', headers: auth });
    const one = await j(await fetch(`${base}/api/v1/manifests/1`));
    expect(one.builds.map((b: { nevra: string; state: string; held: boolean; foundIn: string }) => [b.nevra, b.state, b.held, b.foundIn])).toEqual([
      ['foo-1-1.x86_64', 'retained', true, 'base'],
      ['bar-2-1.x86_64', 'retained', true, 'base'],
    ]);
    // The dashboard's summaries count them the same way.
    expect((await catalog.manifestSummaries())[0]).toMatchObject({ id: 1, builds: 2, retained: 2, upstream: 0, lost: 0, held: 2, other: 0 });
    // A sha256 repository's row with the same NEVRA but another pkgid is another build: not matched.
    const rebuilt = fakePackage('foo', '1', '1');
    const elsewhere = manifest([{ ...rebuilt, pkgid: 'f'.repeat(64) }], 'a'.repeat(64));
    const r2 = await j(await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: JSON.stringify(elsewhere) }));
    const two = await j(await fetch(`${base}/api/v1/manifests/${r2.id}`));
    expect(two.builds[0].state).toBe('retained'); // same NEVRA in a sha1 repo: that repo cannot tell builds apart by pkgid
  });

  test('bad requests are JSON errors', async () => {
    const bad = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: JSON.stringify({ format: 'other' }) });
    expect(bad.status).toBe(400);
    expect((await j(bad)).error.code).toBe('YV_MANIFEST');
    const badJson = await fetch(`${base}/api/v1/manifests`, { method: 'POST', headers: auth, body: '{' });
    expect(badJson.status).toBe(400);
    expect((await fetch(`${base}/api/v1/packages`)).status).toBe(400);
    expect((await fetch(`${base}/api/v1/packages?repo=nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/events?kind=weird`)).status).toBe(400);
    const badOffset = await fetch(`${base}/api/v1/manifests?offset=-1`);
    expect(badOffset.status).toBe(400);
    expect((await j(badOffset)).error.message).toBe('query parameter offset must be a non-negative integer; got "-1"');
    const nf = await fetch(`${base}/api/v1/nothing`);
    expect(nf.status).toBe(404);
    expect((await j(nf)).error.code).toBe('YV_NOT_FOUND');
  });

  test('helpers', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    const repos = [{ name: 'base', upstreamUrl: 'http://mirror.example/base/' }];
    expect(resolveRepoName('base', repos)).toBe('base');
    expect(resolveRepoName('http://proxy:8080/vault/base/', repos)).toBe('base');
    expect(resolveRepoName('http://mirror.example/base', repos)).toBe('base');
    expect(resolveRepoName('file:///srv/x', repos)).toBeNull();
  });
});
