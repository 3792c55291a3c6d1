// The whole server as `yumvault serve` wires it (stores, monitor, vault publisher, API): dnf installs
// through /repos, upstream evicts that build, one monitor pass through the API, and dnf installs the
// evicted build by exact NEVRA from /vault; metrics and the dashboard show it. Also downloads served
// while still in flight: HEAD and ranges answered from the growing file.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../proxy/config.ts';
import { createProxyServer, type ProxyServer } from '../../proxy/server.ts';
import { openProxyServices, type ProxyServices } from '../../proxy/services.ts';
import { defaultRepodataWriter } from '../../src/cli/repodataWriter.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildPackages, createrepo, dnf, rawGet, sha256, startProxy, tempDir } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let repoDir: string;
let upstream: TestHttpServer;
let services: ProxyServices;
let proxy: ProxyServer;
let url: string;

beforeAll(async () => {
  work = await tempDir('yv-proxy-serve-');
  repoDir = join(work.path, 'upstream');
  await buildPackages(repoDir, [{ name: 'yve-app', version: '1.0', release: '1' }, { name: 'yve-big', version: '1.0', release: '1', payloadBytes: 3_000_000 }]);
  createrepo(repoDir);
  upstream = await startTestHttpServer(repoDir);
  const config = buildConfig({ metadataTtl: '0s', monitorInterval: '0' }, {}, { data: join(work.path, 'data'), listen: '127.0.0.1:0', token: 'tok', upstreams: [`e=${upstream.url}`] });
  services = await openProxyServices(config, { logger: silentLogger, writeRepodata: await defaultRepodataWriter() });
  proxy = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger: silentLogger, monitor: services.monitor });
  url = await proxy.start();
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await services?.close();
  await upstream?.close();
  await work?.remove();
});

describe('yumvault serve, all routes mounted', () => {
  it('a build fetched through /repos and then evicted upstream is installed by dnf from /vault after one pass', async () => {
    const reposDir = join(work.path, 'repos');
    mkdirSync(reposDir);
    writeFileSync(join(reposDir, 'e.repo'), (await rawGet(url, '/repos/e.repo')).body.toString());
    const r1 = await dnf(work.path, reposDir, join(work.path, 'root1'), ['install', 'yve-app-1.0-1.noarch']);
    expect(r1.status, r1.stderr).toBe(0);
    // Serving the first revision started a monitor pass for it (no timed pass runs in this test).
    await expect.poll(async () => (await services.stores.catalog.getRepo('e'))?.revision ?? null, { timeout: 10_000 }).not.toBeNull();

    // Upstream moves on and evicts 1.0-1.
    await buildPackages(repoDir, [{ name: 'yve-app', version: '1.0', release: '2' }]);
    rmSync(join(repoDir, 'Packages/yve-app-1.0-1.noarch.rpm'));
    createrepo(repoDir);

    expect((await fetch(`${url}api/v1/monitor`, { method: 'POST' })).status).toBe(401);
    const pass = await fetch(`${url}api/v1/monitor`, { method: 'POST', headers: { authorization: 'Bearer tok' } });
    expect(pass.status).toBe(200);

    const vaultRepos = join(work.path, 'vault-repos');
    mkdirSync(vaultRepos);
    const vaultRepo = await rawGet(url, '/vault/e.repo');
    expect(vaultRepo.status).toBe(200);
    writeFileSync(join(vaultRepos, 'e-vault.repo'), vaultRepo.body.toString());
    const r2 = await dnf(join(work.path, 'v'), vaultRepos, join(work.path, 'root2'), ['install', 'yve-app-1.0-1.noarch']);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readFileSync(join(work.path, 'root2/usr/share/yve-app/version'), 'utf8').trim()).toBe('1.0-1');

    const metrics = (await rawGet(url, '/metrics')).body.toString();
    expect(metrics).toMatch(/yumvault_retained_versions [1-9]/);
    const dash = (await rawGet(url, '/')).body.toString();
    expect(dash).toMatch(/<b>[1-9]\d*<\/b> retained/);
    expect((await rawGet(url, '/readyz')).status).toBe(200);
  }, 120_000);
});

describe('HEAD', () => {
  it('of a package nobody fetched yet is answered from the metadata, without downloading it', async () => {
    const data = await tempDir('yv-proxy-head-');
    const p = await startProxy(data.path, { h: upstream.url });
    try {
      const big = 'Packages/yve-big-1.0-1.noarch.rpm';
      const size = readFileSync(join(repoDir, big)).length;
      await rawGet(p.url, '/repos/h/repodata/repomd.xml');
      const before = upstream.requests.filter((r) => r.path === `/${big}`).length;
      const head = await rawGet(p.url, `/repos/h/${big}`, {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(size);
      expect(head.headers['accept-ranges']).toBe('bytes');
      await new Promise((r) => setTimeout(r, 200));
      expect(upstream.requests.filter((r) => r.path === `/${big}`).length).toBe(before);
      // A GET then fetches it as usual, the same length.
      const got = await rawGet(p.url, `/repos/h/${big}`);
      expect(got.status).toBe(200);
      expect(got.body.length).toBe(size);
    } finally {
      await p.close();
      await data.remove();
    }
  }, 30_000);
});

describe('in-flight downloads', () => {
  it('answers HEAD and ranges from a download still in progress', async () => {
    const data = await tempDir('yv-proxy-inflight-');
    const p = await startProxy(data.path, { e: upstream.url }, { upstreamIdleTimeout: '3s' });
    try {
      const big = 'Packages/yve-big-1.0-1.noarch.rpm';
      const bytes = readFileSync(join(repoDir, big));
      await rawGet(p.url, '/repos/e/repodata/repomd.xml');
      const before = upstream.requests.filter((r) => r.path === `/${big}`).length; // the upstream is shared by the tests here
      upstream.setFault(`/${big}`, { kind: 'stall', afterBytes: 1_000_000, times: 1 });
      const first = rawGet(p.url, `/repos/e/${big}`); // starts the download, which then stalls
      await new Promise((r) => setTimeout(r, 300));
      const head = await rawGet(p.url, `/repos/e/${big}`, {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(bytes.length);
      const part = await rawGet(p.url, `/repos/e/${big}`, { range: 'bytes=1000-1999' });
      expect(part.status).toBe(206);
      expect(part.body.equals(bytes.subarray(1000, 2000))).toBe(true);
      const multi = await rawGet(p.url, `/repos/e/${big}`, { range: 'bytes=0-9,500000-500009' });
      expect(multi.status).toBe(206);
      expect(multi.body.includes(bytes.subarray(500000, 500010))).toBe(true);
      expect(upstream.requests.filter((r) => r.path === `/${big}`).length).toBe(before + 1);
      const cut = await first; // the stall ends in the idle timeout: cut, nothing stored
      expect(cut.aborted).toBe(true);
      expect(await p.stores.blobs.has(sha256(bytes))).toBe(false);
    } finally {
      upstream.clearFaults();
      await p.close();
      await data.remove();
    }
  }, 30_000);
});
