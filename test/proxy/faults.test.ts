// Upstream misbehaving (the failures real mirrors produce): corrupt bytes, error statuses, hangs, stalls
// and connections closed mid-body. Nothing corrupt is ever served whole or stored; metadata is served stale
// with a Warning when upstream fails after it was cached.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildPackages, createrepo, rawGet, sha256, startProxy, tempDir, type RunningProxy } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let repoDir: string;
let small: string;
let big: string;
let upstream: TestHttpServer;
let proxy: RunningProxy;

const hits = (path: string) => upstream.requests.filter((r) => r.path === `/${path}` && r.method === 'GET').length;

beforeAll(async () => {
  work = await tempDir('yv-proxy-faults-');
  repoDir = join(work.path, 'upstream');
  const pkgs = await buildPackages(repoDir, [
    { name: 'yvf-small', version: '1.0', release: '1' },
    { name: 'yvf-big', version: '1.0', release: '1', payloadBytes: 4_000_000 },
  ]);
  small = pkgs.find((p) => p.includes('small'))!;
  big = pkgs.find((p) => p.includes('big'))!;
  createrepo(repoDir);
  upstream = await startTestHttpServer(repoDir);
  proxy = await startProxy(join(work.path, 'data'), { f: upstream.url }, { upstreamTimeout: '700ms', upstreamIdleTimeout: '700ms' });
  expect((await rawGet(proxy.url, '/repos/f/repodata/repomd.xml')).status).toBe(200);
}, 180_000);

afterEach(() => upstream.clearFaults());

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await work?.remove();
});

async function notStored(file: string): Promise<void> {
  const want = sha256(readFileSync(join(repoDir, file)));
  expect(await proxy.stores.blobs.has(want)).toBe(false);
  // No blob at all holds the corrupt bytes: only metadata blobs exist besides verified packages.
  const tmp = await readdir(join(proxy.config.dataDir, 'proxy', 'tmp'));
  expect(tmp).toEqual([]);
}

describe('upstream faults', () => {
  it('corrupt bytes of a small package: 502, nothing stored; the next good answer is cached', async () => {
    upstream.setFault(`/${small}`, { kind: 'corrupt', times: 1 });
    const r = await rawGet(proxy.url, `/repos/f/${small}`);
    expect(r.status).toBe(502);
    expect(r.body.toString()).toContain('YV_CHECKSUM_MISMATCH');
    await notStored(small);
    const ok = await rawGet(proxy.url, `/repos/f/${small}`);
    expect(ok.status).toBe(200);
    expect(sha256(ok.body)).toBe(sha256(readFileSync(join(repoDir, small))));
    const metrics = (await rawGet(proxy.url, '/metrics')).body.toString();
    expect(metrics).toMatch(/yumvault_checksum_mismatches_total [1-9]/);
  });

  it('corrupt bytes of a streamed package: the client never gets a whole body, nothing is stored', async () => {
    upstream.setFault(`/${big}`, { kind: 'corrupt', times: 1 });
    const clients = await Promise.all([rawGet(proxy.url, `/repos/f/${big}`), rawGet(proxy.url, `/repos/f/${big}`)]);
    for (const r of clients) {
      expect(r.status === 502 || r.aborted).toBe(true);
      if (r.status === 200) expect(r.body.length).toBeLessThan(readFileSync(join(repoDir, big)).length);
    }
    await new Promise((res) => setTimeout(res, 100));
    await notStored(big);
  });

  it('5xx and 404 from upstream on a miss pass on as 502 and 404', async () => {
    upstream.setFault(`/${small}`, { kind: 'status', status: 500 });
    await proxy.stores.blobs.delete(sha256(readFileSync(join(repoDir, small))));
    const fresh = await startProxy(join(work.path, 'data-5xx'), { f: upstream.url });
    try {
      expect((await rawGet(fresh.url, `/repos/f/${small}`)).status).toBe(502);
      upstream.setFault(`/${small}`, { kind: 'status', status: 404 });
      expect((await rawGet(fresh.url, `/repos/f/${small}`)).status).toBe(404);
      const metrics = (await rawGet(fresh.url, '/metrics')).body.toString();
      expect(metrics).toMatch(/route="repos",status="502"\} 1/);
      expect(metrics).toMatch(/yumvault_upstream_errors_total 1\n/); // the 500; a 404 is an answer, not an error
    } finally {
      await fresh.close();
    }
  });

  it('a hanging upstream on a miss is a 504 after the timeout', async () => {
    const fresh = await startProxy(join(work.path, 'data-hang'), { f: upstream.url }, { upstreamTimeout: '500ms' });
    try {
      await rawGet(fresh.url, '/repos/f/repodata/repomd.xml');
      upstream.setFault(`/${small}`, { kind: 'hang' });
      const t0 = Date.now();
      const r = await rawGet(fresh.url, `/repos/f/${small}`);
      expect(r.status).toBe(504);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await fresh.close();
    }
  });

  it('a connection closed mid-body: the client sees a cut transfer, nothing is stored, the retry fetches again', async () => {
    const fresh = await startProxy(join(work.path, 'data-cut'), { f: upstream.url });
    try {
      await rawGet(fresh.url, '/repos/f/repodata/repomd.xml');
      upstream.setFault(`/${big}`, { kind: 'cut', afterBytes: 1_500_000, times: 1 });
      const before = hits(big);
      const r = await rawGet(fresh.url, `/repos/f/${big}`);
      expect(r.aborted || r.status >= 500).toBe(true);
      expect(await fresh.stores.blobs.has(sha256(readFileSync(join(repoDir, big))))).toBe(false);
      const again = await rawGet(fresh.url, `/repos/f/${big}`);
      expect(again.status).toBe(200);
      expect(sha256(again.body)).toBe(sha256(readFileSync(join(repoDir, big))));
      expect(hits(big) - before).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('a stalled body streams what arrived, then is cut after the idle timeout (never completed)', async () => {
    const fresh = await startProxy(join(work.path, 'data-stall'), { f: upstream.url }, { upstreamIdleTimeout: '500ms' });
    try {
      await rawGet(fresh.url, '/repos/f/repodata/repomd.xml');
      upstream.setFault(`/${big}`, { kind: 'stall', afterBytes: 2_000_000, times: 1 });
      const r = await rawGet(fresh.url, `/repos/f/${big}`);
      expect(r.status).toBe(200);
      expect(r.aborted).toBe(true);
      expect(r.body.length).toBeGreaterThan(0); // it streamed as bytes arrived
      expect(r.body.length).toBeLessThanOrEqual(2_000_000);
      expect(await fresh.stores.blobs.has(sha256(readFileSync(join(repoDir, big))))).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('repomd.xml is served stale with Warning 111 when upstream errs and 110 when it hangs', async () => {
    const want = readFileSync(join(repoDir, 'repodata/repomd.xml'));
    upstream.setFault('/repodata/repomd.xml', { kind: 'status', status: 503 });
    const err = await rawGet(proxy.url, '/repos/f/repodata/repomd.xml', { 'cache-control': 'no-cache' });
    expect(err.status).toBe(200);
    expect(err.body.equals(want)).toBe(true);
    expect(String(err.headers.warning)).toMatch(/^111 /);
    upstream.clearFaults();
    upstream.setFault('/repodata/repomd.xml', { kind: 'hang' });
    const hang = await rawGet(proxy.url, '/repos/f/repodata/repomd.xml');
    expect(hang.status).toBe(200);
    expect(hang.body.equals(want)).toBe(true);
    expect(String(hang.headers.warning)).toMatch(/^110 /);
    upstream.clearFaults();
    const fresh = await rawGet(proxy.url, '/repos/f/repodata/repomd.xml');
    expect(fresh.headers.warning).toBeUndefined();
    const metrics = (await rawGet(proxy.url, '/metrics')).body.toString();
    expect(metrics).toMatch(/yumvault_stale_served_total [2-9]/);
    expect(metrics).toMatch(/yumvault_upstream_errors_total [1-9]/);
  });

  it('a slow revalidation answers stale after adoptWaitMs, and later requests do not wait again', async () => {
    const slow = await startProxy(join(work.path, 'data-slow'), { f: upstream.url }, { upstreamTimeout: '10s' }, { adoptWaitMs: 400 });
    try {
      await rawGet(slow.url, '/repos/f/repodata/repomd.xml');
      upstream.setFault('/repodata/repomd.xml', { kind: 'hang', times: 1 });
      let t0 = Date.now();
      const first = await rawGet(slow.url, '/repos/f/repodata/repomd.xml');
      expect(first.status).toBe(200);
      expect(String(first.headers.warning)).toMatch(/^110 /);
      expect(Date.now() - t0).toBeLessThan(3000);
      t0 = Date.now();
      const second = await rawGet(slow.url, '/repos/f/repodata/repomd.xml');
      expect(String(second.headers.warning)).toMatch(/^110 /);
      expect(Date.now() - t0).toBeLessThan(300);
    } finally {
      await slow.close();
    }
  });

  it('an upstream that keeps timing out is offline for a while: stale metadata and errors come at once', async () => {
    const off = await startProxy(join(work.path, 'data-offline'), { f: upstream.url }, { upstreamTimeout: '300ms', upstreamMaxFails: 2, upstreamFailTimeout: '1h' });
    try {
      await rawGet(off.url, '/repos/f/repodata/repomd.xml');
      upstream.setFault('/repodata/repomd.xml', { kind: 'hang' });
      upstream.setFault(`/${small}`, { kind: 'hang' });
      expect((await rawGet(off.url, '/repos/f/repodata/repomd.xml')).headers.warning).toMatch(/^110 /);
      expect((await rawGet(off.url, `/repos/f/${small}`)).status).toBe(504); // the second timeout in a row
      const before = upstream.requests.length;
      const t0 = Date.now();
      const stale = await rawGet(off.url, '/repos/f/repodata/repomd.xml');
      const miss = await rawGet(off.url, `/repos/f/${small}`);
      expect(Date.now() - t0).toBeLessThan(250); // no timeout waited out
      expect(String(stale.headers.warning)).toMatch(/^111 /);
      expect(miss.status).toBe(502);
      expect(miss.body.toString()).toMatch(/offline/);
      expect(upstream.requests.length).toBe(before); // upstream was left alone
    } finally {
      upstream.clearFaults();
      await off.close();
    }
  });

  it('with nothing cached, an upstream failure on repomd.xml is the error itself', async () => {
    const fresh = await startProxy(join(work.path, 'data-nometa'), { f: upstream.url }, { upstreamTimeout: '500ms' });
    try {
      upstream.setFault('/repodata/repomd.xml', { kind: 'status', status: 500 });
      expect((await rawGet(fresh.url, '/repos/f/repodata/repomd.xml')).status).toBe(502);
      upstream.clearFaults();
      upstream.setFault('/repodata/repomd.xml', { kind: 'hang' });
      expect((await rawGet(fresh.url, '/repos/f/repodata/repomd.xml')).status).toBe(504);
    } finally {
      await fresh.close();
    }
  });
});
