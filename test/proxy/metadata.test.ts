// Metadata consistency through upstream revisions: a new repomd.xml is served only once every file it lists
// is cached; repomd.xml with its .asc and .key is one unit per client; earlier revisions stay servable.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRepomd } from '../../src/repo/repomd.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildPackages, createrepo, rawGet, sha256, startProxy, tempDir, type RunningProxy } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let repoDir: string;
let upstream: TestHttpServer;
let proxy: RunningProxy;

const upstreamRepomd = () => readFileSync(join(repoDir, 'repodata/repomd.xml'));

beforeAll(async () => {
  work = await tempDir('yv-proxy-meta-');
  repoDir = join(work.path, 'upstream');
  await buildPackages(repoDir, [{ name: 'yvm-one', version: '1.0', release: '1' }]);
  createrepo(repoDir);
  writeFileSync(join(repoDir, 'repodata/repomd.xml.asc'), `signature of ${sha256(upstreamRepomd())}\n`);
  upstream = await startTestHttpServer(repoDir);
  proxy = await startProxy(join(work.path, 'data'), { m: upstream.url }, { metadataTtl: '0s' });
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await work?.remove();
});

/** Upstream publishes a new revision: a new package, new repodata, a new signature. */
async function publish(pkg: string, release: string): Promise<void> {
  await buildPackages(repoDir, [{ name: pkg, version: '1.0', release }]);
  createrepo(repoDir);
  writeFileSync(join(repoDir, 'repodata/repomd.xml.asc'), `signature of ${sha256(upstreamRepomd())}\n`);
}

describe('metadata revisions', () => {
  it('keeps repomd.xml, .asc and .key one unit per client across an upstream revision', async () => {
    const a1 = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml', {}, 'GET', '127.0.0.1');
    expect(a1.body.equals(upstreamRepomd())).toBe(true);
    expect((await rawGet(proxy.url, '/repos/m/repodata/repomd.xml.key')).status).toBe(404); // upstream has none
    await publish('yvm-two', '1');
    const b = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml', {}, 'GET', '127.0.0.2');
    expect(b.body.equals(upstreamRepomd())).toBe(true);
    expect(b.body.equals(a1.body)).toBe(false);
    // Client A read the old repomd.xml: it gets the old signature; client B the new one.
    const ascA = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml.asc', {}, 'GET', '127.0.0.1');
    const ascB = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml.asc', {}, 'GET', '127.0.0.2');
    expect(ascA.body.toString()).toBe(`signature of ${sha256(a1.body)}\n`);
    expect(ascB.body.toString()).toBe(`signature of ${sha256(b.body)}\n`);
    // Every file either revision lists answers 200 with the bytes its checksum names.
    for (const xml of [a1.body, b.body]) {
      for (const e of (await parseRepomd(xml)).entries) {
        const r = await rawGet(proxy.url, `/repos/m/${e.location}`);
        expect(r.status, e.location).toBe(200);
        expect(sha256(r.body), e.location).toBe(e.checksum.value);
      }
    }
  });

  it('serves a new repomd.xml only once every file it lists is cached; until then the previous one', async () => {
    const served = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    await publish('yvm-three', '1');
    const next = await parseRepomd(upstreamRepomd());
    const primary = next.entries.find((e) => e.type === 'primary')!;
    upstream.setFault(`/${primary.location}`, { kind: 'status', status: 500 });
    const during = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    expect(during.status).toBe(200);
    expect(during.body.equals(served.body)).toBe(true); // still the previous, complete revision
    expect(String(during.headers.warning)).toMatch(/^111 /);
    // A listed file that comes back corrupt is no better: checksums are verified before adoption.
    upstream.clearFaults();
    upstream.setFault(`/${primary.location}`, { kind: 'corrupt' });
    const corrupt = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    expect(corrupt.body.equals(served.body)).toBe(true);
    upstream.clearFaults();
    const after = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    expect(after.body.equals(upstreamRepomd())).toBe(true);
    expect(after.headers.warning).toBeUndefined();
    const p = await rawGet(proxy.url, `/repos/m/${primary.location}`);
    expect(sha256(p.body)).toBe(primary.checksum.value);
  });

  it('revalidates conditionally and keeps a restart serving what was adopted', async () => {
    const before = upstream.requests.filter((r) => r.path === '/repodata/repomd.xml').length;
    await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    const last = upstream.requests.filter((r) => r.path === '/repodata/repomd.xml').at(-1)!;
    expect(upstream.requests.filter((r) => r.path === '/repodata/repomd.xml').length).toBe(before + 1);
    expect(last.headers['if-modified-since']).toBeDefined();
    // A second proxy on the same data, upstream down: it serves the adopted revision (stale, with a warning).
    await proxy.close();
    upstream.setFault('/repodata/repomd.xml', { kind: 'status', status: 502 });
    proxy = await startProxy(join(work.path, 'data'), { m: upstream.url }, { metadataTtl: '0s' });
    const r = await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    upstream.clearFaults();
    expect(r.status).toBe(200);
    expect(r.body.equals(upstreamRepomd())).toBe(true);
    expect(String(r.headers.warning)).toMatch(/^111 /);
  });

  it('serves the new bytes when upstream re-publishes a package under the same name (re-signed build)', async () => {
    await rawGet(proxy.url, '/repos/m/repodata/repomd.xml');
    const [file] = await buildPackages(join(work.path, 'rebuild'), [{ name: 'yvm-one', version: '1.0', release: '1', payloadBytes: 3333 }]);
    const oldBytes = readFileSync(join(repoDir, file!));
    const first = await rawGet(proxy.url, `/repos/m/${file}`);
    expect(first.body.equals(oldBytes)).toBe(true);
    copyFileSync(join(work.path, 'rebuild', file!), join(repoDir, file!));
    createrepo(repoDir);
    const newBytes = readFileSync(join(repoDir, file!));
    expect(newBytes.equals(oldBytes)).toBe(false);
    await rawGet(proxy.url, '/repos/m/repodata/repomd.xml'); // the new revision is adopted
    const second = await rawGet(proxy.url, `/repos/m/${file}`);
    expect(sha256(second.body)).toBe(sha256(newBytes));
  });

  it('finds the upstream through a mirrorlist or a metalink', async () => {
    writeFileSync(join(repoDir, 'mirrorlist'), `# mirrors\n${upstream.url}\n`);
    writeFileSync(join(repoDir, 'metalink.xml'), `<?xml version="1.0"?><metalink><files><file name="repomd.xml"><resources><url protocol="http" type="http">${upstream.url}repodata/repomd.xml</url></resources></file></files></metalink>`);
    const m = await startProxy(join(work.path, 'data-mirrors'), {}, {
      repos: { ml: { mirrorlist: `${upstream.url}mirrorlist` }, mk: { metalink: `${upstream.url}metalink.xml` } },
    });
    try {
      for (const name of ['ml', 'mk']) {
        const r = await rawGet(m.url, `/repos/${name}/repodata/repomd.xml`);
        expect(r.status, name).toBe(200);
        expect(r.body.equals(upstreamRepomd()), name).toBe(true);
      }
    } finally {
      await m.close();
    }
    // A dead first mirror: once it counts as offline, the next mirror of the list serves.
    writeFileSync(join(repoDir, 'mirrorlist2'), `http://127.0.0.1:1/dead/\n${upstream.url}\n`);
    const d = await startProxy(join(work.path, 'data-mirrors2'), {}, { upstreamMaxFails: 1, repos: { md: { mirrorlist: `${upstream.url}mirrorlist2` } } });
    try {
      expect((await rawGet(d.url, '/repos/md/repodata/repomd.xml')).status).toBe(502);
      const r = await rawGet(d.url, '/repos/md/repodata/repomd.xml');
      expect(r.status).toBe(200);
      expect(r.body.equals(upstreamRepomd())).toBe(true);
    } finally {
      await d.close();
    }
  });

  it('revalidates only after the TTL', async () => {
    const ttlProxy = await startProxy(join(work.path, 'data-ttl'), { m: upstream.url }, { metadataTtl: '1h' });
    try {
      const count = () => upstream.requests.filter((r) => r.path === '/repodata/repomd.xml').length;
      await rawGet(ttlProxy.url, '/repos/m/repodata/repomd.xml');
      const n = count();
      for (let i = 0; i < 5; i++) await rawGet(ttlProxy.url, '/repos/m/repodata/repomd.xml', { 'cache-control': 'no-cache' });
      expect(count()).toBe(n);
    } finally {
      await ttlProxy.close();
    }
  });
});
