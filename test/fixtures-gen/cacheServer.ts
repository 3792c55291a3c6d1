// A local stand-in for the GitHub Actions cache service, speaking the protocols @actions/cache uses:
//  v1: the artifactcache REST API (GET cache, POST caches (reserve), PATCH chunk uploads with Content-Range,
//      POST caches/ID (commit), plain GET of archiveLocation);
//  v2: twirp JSON (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL) with the archive
//      PUT to a "signed URL" the way the Azure blob SDK uploads a block blob in one shot.
// It lives in test/ only: it exists so the action's cache path is tested for real.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

interface Entry {
  id: number;
  key: string;
  version: string;
  data: Buffer[];
  chunks: Map<number, Buffer>;
  size: number;
  committed: boolean;
  created: number;
}

export interface CacheServer {
  url: string;
  /** Environment for the action process: v1 or v2 protocol. */
  env(version: 'v1' | 'v2'): Record<string, string>;
  entries(): { key: string; version: string; size: number; committed: boolean }[];
  requests: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const b = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': b.length });
  res.end(b);
}

export async function startCacheServer(): Promise<CacheServer> {
  const entries: Entry[] = [];
  const requests: string[] = [];
  let nextId = 1;
  let base = '';

  const find = (keys: string[], version: string): Entry | undefined => {
    const committed = entries.filter((e) => e.committed && e.version === version);
    const exact = committed.find((e) => e.key === keys[0]);
    if (exact) return exact;
    for (const k of keys) {
      const hits = committed.filter((e) => e.key.startsWith(k)).sort((a, b) => b.created - a.created || b.id - a.id);
      if (hits[0]) return hits[0];
    }
    return undefined;
  };
  const assemble = (e: Entry): Buffer => {
    const offsets = [...e.chunks.keys()].sort((a, b) => a - b);
    return Buffer.concat(offsets.map((o) => e.chunks.get(o)!));
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', base);
      requests.push(`${req.method} ${url.pathname}`);
      const p = url.pathname;
      // ---- v1 ----
      if (req.method === 'GET' && p === '/_apis/artifactcache/cache') {
        const keys = (url.searchParams.get('keys') ?? '').split(',');
        const e = find(keys, url.searchParams.get('version') ?? '');
        if (!e) return void res.writeHead(204).end();
        return json(res, 200, { cacheKey: e.key, scope: 'refs/heads/main', archiveLocation: `${base}download/${e.id}` });
      }
      if (req.method === 'GET' && p === '/_apis/artifactcache/caches') return json(res, 200, { totalCount: 0, artifactCaches: [] });
      if (req.method === 'POST' && p === '/_apis/artifactcache/caches') {
        const r = JSON.parse((await body(req)).toString()) as { key: string; version: string };
        if (entries.some((e) => e.key === r.key && e.version === r.version)) {
          return json(res, 409, { message: `Cache already exists. Scope: refs/heads/main, Key: ${r.key}, Version: ${r.version}` });
        }
        const e: Entry = { id: nextId++, key: r.key, version: r.version, data: [], chunks: new Map(), size: 0, committed: false, created: Date.now() };
        entries.push(e);
        return json(res, 201, { cacheId: e.id });
      }
      const m = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(p);
      if (m) {
        const e = entries.find((x) => x.id === Number(m[1]));
        if (!e) return json(res, 404, { message: 'no such cache' });
        if (req.method === 'PATCH') {
          const range = /^bytes (\d+)-(\d+)\/\*$/.exec(String(req.headers['content-range'] ?? ''));
          const b = await body(req);
          if (!range || Number(range[2]) - Number(range[1]) + 1 !== b.length) return json(res, 400, { message: 'bad Content-Range' });
          e.chunks.set(Number(range[1]), b);
          return void res.writeHead(204).end();
        }
        if (req.method === 'POST') {
          const r = JSON.parse((await body(req)).toString()) as { size: number };
          const data = assemble(e);
          if (data.length !== r.size) return json(res, 400, { message: `size ${r.size} != uploaded ${data.length}` });
          e.data = [data];
          e.size = data.length;
          e.committed = true;
          return void res.writeHead(204).end();
        }
      }
      const d = /^\/download\/(\d+)$/.exec(p);
      if (req.method === 'GET' && d) {
        const e = entries.find((x) => x.id === Number(d[1]) && x.committed);
        if (!e) return void res.writeHead(404).end();
        const data = Buffer.concat(e.data);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
        return void res.end(data);
      }
      // ---- v2 (twirp JSON + one-shot block blob PUT) ----
      const t = /^\/twirp\/github\.actions\.results\.api\.v1\.CacheService\/(\w+)$/.exec(p);
      if (req.method === 'POST' && t) {
        const r = JSON.parse((await body(req)).toString()) as Record<string, unknown>;
        const key = String(r.key ?? '');
        const version = String(r.version ?? '');
        if (t[1] === 'CreateCacheEntry') {
          if (entries.some((e) => e.key === key && e.version === version)) return json(res, 200, { ok: false, message: 'already exists' });
          const e: Entry = { id: nextId++, key, version, data: [], chunks: new Map(), size: 0, committed: false, created: Date.now() };
          entries.push(e);
          return json(res, 200, { ok: true, signedUploadUrl: `${base}blob/devstoreaccount1/cache/${e.id}?sig=test` });
        }
        if (t[1] === 'FinalizeCacheEntryUpload') {
          const e = entries.find((x) => x.key === key && x.version === version);
          const size = Number(r.sizeBytes ?? r.size_bytes);
          if (!e || e.size !== size) return json(res, 200, { ok: false });
          e.committed = true;
          return json(res, 200, { ok: true, entryId: String(e.id) });
        }
        if (t[1] === 'GetCacheEntryDownloadURL') {
          const restoreKeys = (r.restoreKeys ?? r.restore_keys ?? []) as string[];
          const e = find([key, ...restoreKeys], version);
          if (!e) return json(res, 200, { ok: false });
          return json(res, 200, { ok: true, signedDownloadUrl: `${base}download/${e.id}`, matchedKey: e.key });
        }
        return json(res, 404, { code: 'bad_route', msg: `no method ${t[1]}` });
      }
      const b2 = /^\/blob\/devstoreaccount1\/cache\/(\d+)$/.exec(p);
      if (req.method === 'PUT' && b2) {
        const e = entries.find((x) => x.id === Number(b2[1]));
        if (!e || req.headers['x-ms-blob-type'] !== 'BlockBlob') return void res.writeHead(400).end();
        const data = await body(req);
        e.data = [data];
        e.size = data.length;
        res.writeHead(201, {
          etag: `"0x${e.id.toString(16)}"`,
          'last-modified': new Date().toUTCString(),
          'x-ms-request-id': String(e.id),
          'x-ms-version': '2024-11-04',
          'x-ms-request-server-encrypted': 'true',
          'content-length': '0',
        });
        return void res.end();
      }
      res.writeHead(404).end();
    } catch (err) {
      if (!res.headersSent) json(res, 500, { message: (err as Error).message });
      else res.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    env(version) {
      const common = { ACTIONS_RUNTIME_TOKEN: 'test-runtime-token', GITHUB_SERVER_URL: 'https://github.com' };
      return version === 'v1'
        ? { ...common, ACTIONS_CACHE_URL: base }
        : { ...common, ACTIONS_RESULTS_URL: base, ACTIONS_CACHE_SERVICE_V2: 'true' };
    },
    entries: () => entries.map((e) => ({ key: e.key, version: e.version, size: e.size, committed: e.committed })),
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
