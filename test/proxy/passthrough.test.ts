// The pass-through cache against a real repository (rpmbuild + createrepo_c) on a real HTTP server:
// byte identity, ranges, HEAD, single flight, countme, 404, traversal spellings, the side routes.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { Monitor } from '../../src/retention/monitor.ts';
import { DEFAULT_POLICY } from '../../src/retention/policy.ts';
import { HttpUpstreamSource } from '../../src/retention/repoSource.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { buildPackages, createrepo, rawGet, sha256, startProxy, tempDir, type RunningProxy } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let repoDir: string;
let pkgs: string[];
let upstream: TestHttpServer;
let proxy: RunningProxy;

const upstreamHits = (path: string) => upstream.requests.filter((r) => r.path === `/${path}` && r.method === 'GET').length;

beforeAll(async () => {
  work = await tempDir('yv-proxy-pass-');
  repoDir = join(work.path, 'upstream');
  pkgs = await buildPackages(repoDir, [
    { name: 'yvp-small', version: '1.0', release: '1' },
    { name: 'yvp-big', version: '2.0', release: '1', payloadBytes: 6_000_000 },
    { name: 'yvp-plus', version: '1.0', release: '1' },
  ]);
  createrepo(repoDir);
  upstream = await startTestHttpServer(repoDir);
  proxy = await startProxy(join(work.path, 'data'), { test: upstream.url }, { metadataTtl: '1m' });
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await work?.remove();
});

describe('pass-through', () => {
  it('serves metadata and packages byte-identical to upstream, with exact Content-Length and no encoding', async () => {
    const repomd = await rawGet(proxy.url, '/repos/test/repodata/repomd.xml', { 'cache-control': 'no-cache', 'accept-encoding': 'gzip' });
    expect(repomd.status).toBe(200);
    expect(sha256(repomd.body)).toBe(sha256(readFileSync(join(repoDir, 'repodata/repomd.xml'))));
    expect(repomd.headers['content-encoding']).toBeUndefined();
    for (const f of (await readdir(join(repoDir, 'repodata'))).filter((n) => n !== 'repomd.xml')) {
      const r = await rawGet(proxy.url, `/repos/test/repodata/${f}`);
      expect(r.status, f).toBe(200);
      expect(sha256(r.body), f).toBe(sha256(readFileSync(join(repoDir, 'repodata', f))));
    }
    for (const p of pkgs) {
      for (let round = 0; round < 2; round++) {
        const r = await rawGet(proxy.url, `/repos/test/${p}`, { 'accept-encoding': 'gzip' });
        expect(r.status, p).toBe(200);
        expect(r.aborted).toBe(false);
        expect(Number(r.headers['content-length'])).toBe(readFileSync(join(repoDir, p)).length);
        expect(r.headers['content-encoding']).toBeUndefined();
        expect(sha256(r.body), p).toBe(sha256(readFileSync(join(repoDir, p))));
      }
      expect(upstreamHits(p), p).toBe(1); // the second round came from the cache
    }
  });

  it('records a package a client fetched whole, so the monitor holds it under the downloaded policy', async () => {
    const p = pkgs.find((x) => x.includes('yvp-plus'))!;
    const pkgid = sha256(readFileSync(join(repoDir, p)));
    await rawGet(proxy.url, `/repos/test/${p}`);
    const monitor = new Monitor({
      catalog: proxy.stores.catalog, blobs: proxy.stores.blobs, logger: silentLogger,
      repos: [{ name: 'test', upstreamUrl: upstream.url, policy: DEFAULT_POLICY, source: new HttpUpstreamSource({ baseUrl: upstream.url }) }],
    });
    await expect.poll(async () => {
      await monitor.runPass();
      const rows = await proxy.stores.catalog.findByPkgid(pkgid, 'test');
      return rows.some((r) => r.downloaded && r.blobSha256 === pkgid);
    }, { timeout: 5000 }).toBe(true);
    // Only the fetched package is held for that reason.
    const other = await proxy.stores.catalog.findByPkgid(sha256(readFileSync(join(repoDir, pkgs.find((x) => x.includes('yvp-small'))!))), 'test');
    expect(other.every((r) => r.downloaded)).toBe(true); // fetched whole by the first test
  });

  it('answers one range, several ranges (multipart/byteranges), suffix ranges, 416 and HEAD on cached files', async () => {
    const p = pkgs.find((x) => x.includes('yvp-big'))!;
    const bytes = readFileSync(join(repoDir, p));
    await rawGet(proxy.url, `/repos/test/${p}`);
    const one = await rawGet(proxy.url, `/repos/test/${p}`, { range: 'bytes=1000-' });
    expect(one.status).toBe(206);
    expect(one.headers['content-range']).toBe(`bytes 1000-${bytes.length - 1}/${bytes.length}`);
    expect(one.body.equals(bytes.subarray(1000))).toBe(true);
    const suffix = await rawGet(proxy.url, `/repos/test/${p}`, { range: 'bytes=-100' });
    expect(suffix.body.equals(bytes.subarray(bytes.length - 100))).toBe(true);
    const multi = await rawGet(proxy.url, `/repos/test/${p}`, { range: 'bytes=0-95,4096-8191' });
    expect(multi.status).toBe(206);
    const ct = String(multi.headers['content-type']);
    expect(ct).toMatch(/^multipart\/byteranges; boundary=/);
    expect(Number(multi.headers['content-length'])).toBe(multi.body.length);
    const parts = parseMultipart(multi.body, ct.split('boundary=')[1]!);
    expect(parts.map((x) => x.range)).toEqual([`bytes 0-95/${bytes.length}`, `bytes 4096-8191/${bytes.length}`]);
    expect(parts[0]!.body.equals(bytes.subarray(0, 96))).toBe(true);
    expect(parts[1]!.body.equals(bytes.subarray(4096, 8192))).toBe(true);
    const bad = await rawGet(proxy.url, `/repos/test/${p}`, { range: `bytes=${bytes.length + 10}-` });
    expect(bad.status).toBe(416);
    const head = await rawGet(proxy.url, `/repos/test/${p}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(bytes.length);
    expect(head.body.length).toBe(0);
  });

  it('ignores countme (and other query parameters) in the cache key', async () => {
    const a = await rawGet(proxy.url, '/repos/test/repodata/repomd.xml?countme=1');
    const b = await rawGet(proxy.url, '/repos/test/repodata/repomd.xml?countme=4');
    expect(a.status).toBe(200);
    expect(b.body.equals(a.body)).toBe(true);
    expect(upstream.requests.some((r) => r.path.includes('countme'))).toBe(false);
  });

  it('answers 404 for what upstream does not have and for unknown repos', async () => {
    expect((await rawGet(proxy.url, '/repos/test/Packages/nothing-1-1.noarch.rpm')).status).toBe(404);
    expect((await rawGet(proxy.url, '/repos/test/repodata/0000000000000000000000000000000000000000000000000000000000000000-primary.xml.gz')).status).toBe(404);
    expect((await rawGet(proxy.url, '/repos/other/repodata/repomd.xml')).status).toBe(404);
    expect((await rawGet(proxy.url, '/repos/other.repo')).status).toBe(404);
    expect((await rawGet(proxy.url, '/repos/test/')).status).toBe(404); // no directory listings
    expect((await rawGet(proxy.url, '/repos/test/Packages/')).status).toBe(404);
    expect((await rawGet(proxy.url, '/repos/test/repodata/repomd.xml', {}, 'POST')).status).toBe(405);
  });

  it('refuses every spelling of path traversal with 400 and reads nothing', async () => {
    const before = upstream.requests.length;
    const spellings = [
      '/repos/test/../../etc/passwd', '/repos/test/Packages/../../../etc/passwd', '/repos/../etc/passwd',
      '/repos/test/%2e%2e/%2e%2e/etc/passwd', '/repos/test/%2E%2E/x', '/repos/test/.%2e/x', '/repos/test/%252e%252e/x',
      '/repos/test/Packages%2f..%2f..%2fetc%2fpasswd', '/repos/test/..%5c..%5cetc%5cpasswd', '/repos/test/..\\..\\etc\\passwd',
      '/repos/test//etc/passwd', '/repos/test/./repodata/repomd.xml', '/repos/test/a%00b', '/vault/test/../../etc/passwd',
      '/repos/%2e%2e/x', '/api/v1/../../etc/passwd',
    ];
    for (const s of spellings) expect((await rawGet(proxy.url, s)).status, s).toBe(400);
    expect(upstream.requests.length).toBe(before);
  });

  it('serves a ready .repo file, health, readiness, metrics and the dashboard', async () => {
    const repo = await rawGet(proxy.url, '/repos/test.repo');
    expect(repo.status).toBe(200);
    const text = repo.body.toString();
    expect(text).toContain('[test]');
    expect(text).toContain(`baseurl=${proxy.url}repos/test/`);
    expect(text).toMatch(/gpgcheck=0/);
    expect((await rawGet(proxy.url, '/healthz')).status).toBe(200);
    expect((await rawGet(proxy.url, '/readyz')).status).toBe(200);
    const metrics = (await rawGet(proxy.url, '/metrics')).body.toString();
    expect(metrics).toMatch(/yumvault_http_requests_total\{route="repos",status="200"\} \d+/);
    expect(metrics).toMatch(/yumvault_cache_hits_total [1-9]/);
    expect(metrics).toMatch(/yumvault_cache_misses_total [1-9]/);
    expect(metrics).toMatch(/yumvault_bytes_served_total [1-9]/);
    expect(metrics).toMatch(/yumvault_bytes_fetched_total [1-9]/);
    expect(metrics).toMatch(/yumvault_retained_versions \d+/);
    expect(metrics).toMatch(/yumvault_versions_lost \d+/);
    const dash = await rawGet(proxy.url, '/');
    expect(dash.status).toBe(200);
    expect(String(dash.headers['content-type'])).toMatch(/text\/html/);
    expect(dash.body.toString()).toContain('/repos/test.repo');
    expect(dash.body.toString()).not.toMatch(/<script|https?:\/\/(?!127)/);
  });
});

describe('single flight', () => {
  it('20 concurrent misses for one file make one upstream request and every client gets the whole file', async () => {
    const work2 = await tempDir('yv-proxy-sf-');
    try {
      const p2 = await startProxy(join(work2.path, 'data'), { test: upstream.url });
      try {
        const p = pkgs.find((x) => x.includes('yvp-big'))!;
        const want = sha256(readFileSync(join(repoDir, p)));
        await rawGet(p2.url, '/repos/test/repodata/repomd.xml');
        const before = upstreamHits(p);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => rawGet(p2.url, `/repos/test/${p}`, i % 5 === 4 ? { range: 'bytes=100-' } : {})));
        expect(upstreamHits(p) - before).toBe(1);
        for (const [i, r] of results.entries()) {
          expect(r.aborted).toBe(false);
          if (i % 5 === 4) {
            expect(r.status).toBe(206);
            expect(r.body.equals(readFileSync(join(repoDir, p)).subarray(100))).toBe(true);
          } else {
            expect(r.status).toBe(200);
            expect(sha256(r.body)).toBe(want);
          }
        }
        // The bytes are verified before the last one goes out; storing them finishes just after.
        await expect.poll(() => p2.stores.blobs.has(want), { timeout: 5000 }).toBe(true);
      } finally {
        await p2.close();
      }
    } finally {
      await work2.remove();
    }
  }, 30_000);
});

describe('clients that go away', () => {
  it('a client that hangs up mid-download does not stop the download: it completes, verified and stored', async () => {
    const work4 = await tempDir('yv-proxy-gone-');
    const p4 = await startProxy(join(work4.path, 'data'), { test: upstream.url });
    try {
      const p = pkgs.find((x) => x.includes('yvp-big'))!;
      const want = sha256(readFileSync(join(repoDir, p)));
      await rawGet(p4.url, '/repos/test/repodata/repomd.xml');
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(`${p4.url}repos/test/${p}`, (res) => {
          let got = 0;
          res.on('data', (c: Buffer) => {
            got += c.length;
            if (got > 100_000) {
              req.destroy();
              resolve();
            }
          });
        });
        req.on('error', () => {});
        req.setTimeout(10_000, () => reject(new Error('no bytes')));
      });
      await expect.poll(() => p4.stores.blobs.has(want), { timeout: 10_000 }).toBe(true);
      const again = await rawGet(p4.url, `/repos/test/${p}`);
      expect(sha256(again.body)).toBe(want);
    } finally {
      await p4.close();
      await work4.remove();
    }
  });
});

describe('the express app on its own, hot cache off', () => {
  it('serves /repos through app.listen too, streaming ranges from the blob file', async () => {
    const work3 = await tempDir('yv-proxy-app-');
    const p3 = await startProxy(join(work3.path, 'data'), { test: upstream.url }, { hotCacheMb: 0 });
    const server = p3.proxy.app.listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      const p = pkgs.find((x) => x.includes('yvp-big'))!;
      const bytes = readFileSync(join(repoDir, p));
      expect((await rawGet(base, '/repos/test/repodata/repomd.xml')).status).toBe(200);
      expect(sha256((await rawGet(base, `/repos/test/${p}`)).body)).toBe(sha256(bytes));
      const multi = await rawGet(base, `/repos/test/${p}`, { range: 'bytes=0-9,-10' });
      const parts = parseMultipart(multi.body, String(multi.headers['content-type']).split('boundary=')[1]!);
      expect(parts[1]!.body.equals(bytes.subarray(bytes.length - 10))).toBe(true);
      expect((await rawGet(base, '/repos/test/%2e%2e/x')).status).toBe(400);
      expect((await rawGet(base, '/repos/test.repo')).status).toBe(200);
      expect((await rawGet(base, '/healthz')).status).toBe(200);
      // A listed file whose blob went missing from the store is fetched again, verified, and stored.
      const primary = (await readdir(join(repoDir, 'repodata'))).find((n) => n.endsWith('-primary.xml.gz'))!;
      const want = sha256(readFileSync(join(repoDir, 'repodata', primary)));
      await p3.stores.blobs.delete(want);
      const again = await rawGet(base, `/repos/test/repodata/${primary}`);
      expect(again.status).toBe(200);
      expect(sha256(again.body)).toBe(want);
      await expect.poll(() => p3.stores.blobs.has(want)).toBe(true);
    } finally {
      server.close();
      await p3.close();
      await work3.remove();
    }
  });
});

function parseMultipart(body: Buffer, boundary: string): { range: string; body: Buffer }[] {
  const out: { range: string; body: Buffer }[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const headEnd = body.indexOf('\r\n\r\n', after);
    const head = body.subarray(after, headEnd).toString();
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd);
    out.push({ range: /Content-Range: (.*)/i.exec(head)![1]!.trim(), body: body.subarray(headEnd + 4, next) });
    pos = next + 2;
  }
  return out;
}
