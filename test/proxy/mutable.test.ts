// Files that are neither metadata listed by repomd.xml, nor packages, nor named by a checksum (keys,
// .treeinfo, mirror lists): cached, revalidated with If-None-Match / If-Modified-Since after the TTL,
// served stale with a Warning when upstream fails, 404 when upstream says they are gone.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, startProxy, tempDir, type RunningProxy } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let server: Server;
let proxy: RunningProxy;
const seen: IncomingMessage['headers'][] = [];
const state = { body: 'key one\n', etag: '"v1"', status: 200 };

beforeAll(async () => {
  work = await tempDir('yv-proxy-mutable-');
  server = createServer((req, res) => {
    if (req.url === '/chunked.txt') {
      // No Content-Length: a chunked body of unknown length, written in pieces.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('part one\n');
      setTimeout(() => res.end('part two\n'), 50);
      return;
    }
    if (req.url === '/empty') return void res.writeHead(200, { 'Content-Length': 0 }).end();
    if (req.url !== '/RPM-GPG-KEY-test') return void res.writeHead(404).end();
    seen.push(req.headers);
    if (state.status !== 200) return void res.writeHead(state.status).end('nope');
    if (req.headers['if-none-match'] === state.etag) return void res.writeHead(304, { ETag: state.etag }).end();
    res.writeHead(200, { ETag: state.etag, 'Content-Length': Buffer.byteLength(state.body) }).end(state.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy = await startProxy(join(work.path, 'data'), { u: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
});

afterAll(async () => {
  await proxy?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await work?.remove();
});

describe('mutable files', () => {
  it('passes a chunked body of unknown length and an empty file through, and caches them', async () => {
    for (let round = 0; round < 2; round++) {
      const c = await rawGet(proxy.url, '/repos/u/chunked.txt');
      expect(c.status).toBe(200);
      expect(c.aborted).toBe(false);
      expect(c.body.toString()).toBe('part one\npart two\n');
      const ranged = await rawGet(proxy.url, '/repos/u/chunked.txt', { range: 'bytes=5-7' });
      expect(ranged.status).toBe(206);
      expect(ranged.body.toString()).toBe('one');
      const e = await rawGet(proxy.url, '/repos/u/empty');
      expect(e.status).toBe(200);
      expect(e.headers['content-length']).toBe('0');
      expect(e.body.length).toBe(0);
    }
  });

  it('revalidates conditionally, serves stale on errors, passes a 404 on', async () => {
    const first = await rawGet(proxy.url, '/repos/u/RPM-GPG-KEY-test');
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe('key one\n');
    const again = await rawGet(proxy.url, '/repos/u/RPM-GPG-KEY-test');
    expect(again.body.toString()).toBe('key one\n');
    expect(seen.at(-1)!['if-none-match']).toBe('"v1"'); // asked conditionally, got 304
    Object.assign(state, { body: 'key two\n', etag: '"v2"' });
    expect((await rawGet(proxy.url, '/repos/u/RPM-GPG-KEY-test')).body.toString()).toBe('key two\n');
    state.status = 500;
    const stale = await rawGet(proxy.url, '/repos/u/RPM-GPG-KEY-test');
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe('key two\n');
    expect(String(stale.headers.warning)).toMatch(/^111 /);
    state.status = 404;
    expect((await rawGet(proxy.url, '/repos/u/RPM-GPG-KEY-test')).status).toBe(404);
  });
});
