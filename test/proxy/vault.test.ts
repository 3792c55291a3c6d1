// The vault end to end: a real upstream (rpmbuild + createrepo_c over HTTP), the monitor, the API and the
// vault routers in one express app; real dnf installs an evicted build by exact NEVRA from /vault/NAME/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiRouter } from '../../proxy/api/router.ts';
import { createVaultPublisher } from '../../proxy/vault/publish.ts';
import { checkLocation, createVaultRouter } from '../../proxy/vault/router.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { Monitor } from '../../src/retention/monitor.ts';
import { DEFAULT_POLICY } from '../../src/retention/policy.ts';
import { HttpUpstreamSource } from '../../src/retention/repoSource.ts';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildRpms, publishRepo, type BuiltRpm } from '../retention/rpmRepo.ts';
import { defaultRepodataWriter } from '../../src/cli/repodataWriter.ts';

const TOKEN = 'vault-test-token';
let dir: string;
let upstream: TestHttpServer;
let proxy: Server;
let proxyUrl: string;
let catalog: SqlCatalog;
let rpms: Map<string, BuiltRpm>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-vault-'));
  const built = await buildRpms(join(dir, 'build'), ['1', '2', '3', '4', '5'].map((release) => ({ name: 'hello', version: '1.0', release })));
  rpms = new Map(built.map((b) => [b.nevra, b]));
  upstream = await startTestHttpServer(join(dir, 'upstream'));
  publishRepo(join(dir, 'upstream'), built.slice(0, 3));

  const data = join(dir, 'data');
  catalog = await SqlCatalog.open(SqliteDatabase.open(join(data, 'catalog.sqlite')));
  const blobs = await FsBlobStore.open(join(data, 'blobs'));
  const publish = createVaultPublisher({ catalog, blobs, dataDir: data, writeRepodata: await defaultRepodataWriter() });
  const monitor = new Monitor({
    catalog, blobs, logger: silentLogger, publish,
    repos: [{ name: 'base', upstreamUrl: upstream.url, policy: DEFAULT_POLICY, source: new HttpUpstreamSource({ baseUrl: upstream.url }) }],
  });
  const app = express();
  app.use(createApiRouter({ catalog, token: TOKEN, monitor }));
  app.use(createVaultRouter({ catalog, blobs, dataDir: data }));
  proxy = app.listen(0, '127.0.0.1');
  await new Promise((r) => proxy.once('listening', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await upstream?.close();
  await catalog?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body?: unknown) =>
  fetch(`${proxyUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** GET with the path sent exactly as written (fetch would normalise dot segments away). */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: (proxy.address() as AddressInfo).port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** dnf runs as a child while this process serves it: spawn, never spawnSync (that would block the server). */
function dnf(args: string[]): Promise<{ status: number; out: string }> {
  const child = spawn('dnf', ['-y', '--installroot', join(dir, 'root'), '--releasever', '1', `--setopt=reposdir=${join(dir, 'repos.d')}`,
    `--setopt=cachedir=${join(dir, 'dnfcache')}`, '--setopt=install_weak_deps=0', '--setopt=timeout=20', ...args]);
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status: status ?? -1, out })));
}

test('register, evict, one pass: dnf installs the evicted build by exact NEVRA from /vault/base/', async () => {
  const first = await post('/api/v1/monitor');
  expect(first.status).toBe(200);
  const hello1 = rpms.get('hello-1.0-1.noarch')!;
  const reg = await post('/api/v1/manifests', {
    format: 'yumvault.manifest/1',
    image: { name: 'img', sha256: 'a'.repeat(64), size: 1, compression: 'none' },
    packages: [{ name: 'hello', epoch: 0, version: '1.0', release: '1', arch: 'noarch', pkgid: hello1.sha256, headerSha256: 'b'.repeat(64), repo: `${proxyUrl}/repos/base/` }],
    residual: { sha256: 'c'.repeat(64), size: 1 },
    stats: {},
  });
  expect(reg.status).toBe(201);
  // Upstream publishes two newer builds and keeps 3: hello-1.0-1 and -2 are evicted.
  publishRepo(join(dir, 'upstream'), [...rpms.values()].slice(2, 5), [
    { id: 'TEST-SEC-1', type: 'security', severity: 'Critical', packages: [rpms.get('hello-1.0-5.noarch')!] },
  ]);
  const pass = await (await post('/api/v1/monitor?repo=base')).json() as { repos: { gone: number; lost: unknown[]; published: boolean }[] };
  expect(pass.repos[0]).toMatchObject({ gone: 2, lost: [], published: true });
  // This publication described hello-1.0-1 from the JSON cached at the previous one, not from the package.
  expect(readdirSync(join(dir, 'data', 'vault-meta'))).toEqual([`${hello1.sha256}.json`]);
  expect((await fetch(`${upstream.url}Packages/h/hello-1.0-1.noarch.rpm`)).status).toBe(404);

  // The vault is a repository: repomd.xml lists files that all answer 200.
  const repomd = await (await fetch(`${proxyUrl}/vault/base/repodata/repomd.xml`)).text();
  const hrefs = [...repomd.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
  expect(hrefs.length).toBeGreaterThanOrEqual(3);
  for (const h of hrefs) expect((await fetch(`${proxyUrl}/vault/base/${h}`)).status).toBe(200);
  // The advisory that superseded hello-1.0-1 travels with it: the vault's updateinfo.xml lists it.
  const ui = hrefs.find((h) => h.includes('updateinfo'));
  expect(ui).toBeDefined();
  const uiText = gunzipSync(Buffer.from(await (await fetch(`${proxyUrl}/vault/base/${ui}`)).arrayBuffer())).toString();
  expect(uiText).toContain('<id>TEST-SEC-1</id>');
  expect(uiText).toContain('<severity>Critical</severity>');
  // The retained package, byte for byte, with ranges.
  const rpmUrl = `${proxyUrl}/vault/base/Packages/h/hello-1.0-1.noarch.rpm`;
  const whole = Buffer.from(await (await fetch(rpmUrl)).arrayBuffer());
  expect(whole.equals(readFileSync(hello1.path))).toBe(true);
  const part = await fetch(rpmUrl, { headers: { range: 'bytes=10-19' } });
  expect(part.status).toBe(206);
  expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
  // Held but not kept: hello-1.0-2 was never held, so the vault does not offer it.
  expect((await fetch(`${proxyUrl}/vault/base/Packages/h/hello-1.0-2.noarch.rpm`)).status).toBe(404);
  for (const bad of ['/vault/base/..%2f..%2fetc/passwd', '/vault/base/Packages/../repodata/repomd.xml', '/vault/base/repodata/..%2frepomd.xml', '/vault/base/a%5c..%5cb']) {
    expect([400, 404]).toContain(await rawStatus(bad));
  }

  mkdirSync(join(dir, 'repos.d'), { recursive: true });
  const repoFile = await (await fetch(`${proxyUrl}/vault/base.repo`)).text();
  expect(repoFile).toContain(`baseurl=${proxyUrl}/vault/base/`);
  writeFileSync(join(dir, 'repos.d', 'vault.repo'), repoFile);
  const d = await dnf(['install', 'hello-1.0-1.noarch']);
  expect(d.status, d.out).toBe(0);
  expect(readFileSync(join(dir, 'root', 'usr/share/hello/VERSION'), 'utf8')).toBe('hello 1.0-1\n');
  const q = spawnSync('rpm', ['--root', join(dir, 'root'), '-q', 'hello'], { encoding: 'utf8' });
  expect(q.stdout.trim()).toBe('hello-1.0-1.noarch');
  // dnf itself reads the vault's updateinfo: the installed build is affected by TEST-SEC-1.
  const info = await dnf(['updateinfo', 'list', '--all']);
  expect(info.out).toContain('TEST-SEC-1');
});

test('checkLocation refuses every escape', () => {
  for (const bad of ['', '/etc/passwd', '../x', 'a/../b', 'a/./b', 'a\\b', 'a//b', 'a\0b']) expect(() => checkLocation(bad)).toThrow(/bad path/);
  expect(checkLocation('Packages/h/hello.rpm')).toBe('Packages/h/hello.rpm');
});

test('/vault/NAME.repo carries upstream gpgcheck and keys (the packages keep their signatures) and publicUrl', async () => {
  const app = express();
  app.use(createVaultRouter({ catalog, blobs: await FsBlobStore.open(join(dir, 'data', 'blobs')), dataDir: join(dir, 'data'), publicUrl: 'https://yum.example/', gpgFor: () => ({ gpgcheck: true, gpgkey: ['https://yum.example/keys/RPM-GPG-KEY-a', 'https://yum.example/keys/b'] }) }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const text = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/vault/base.repo`)).text();
    expect(text).toContain('baseurl=https://yum.example/vault/base/\n');
    expect(text).toContain('gpgcheck=1\n');
    expect(text).toContain('gpgkey=https://yum.example/keys/RPM-GPG-KEY-a https://yum.example/keys/b\n');
    expect(text).toContain('repo_gpgcheck=0\n');
    expect((await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/vault/nope.repo`)).status).toBe(404);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
