// A plain static HTTP server standing in for an upstream mirror in the demo: files under one directory,
// GET and HEAD, single byte ranges (dnf resumes and header-range fetches use them), 404 for anything else.
// Listens on 127.0.0.1 only.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';

export interface StaticServer {
  /** Base URL ending in "/": http://127.0.0.1:PORT/ */
  url: string;
  /** Requests served so far, by path (the demo shows that upstream was asked nothing after eviction). */
  readonly requests: string[];
  close(): Promise<void>;
}

function resolvePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) return undefined;
  return join(root, ...parts);
}

function contentType(path: string): string {
  if (path.endsWith('.xml')) return 'text/xml';
  if (path.endsWith('.rpm')) return 'application/x-rpm';
  if (path.endsWith('.gz')) return 'application/gzip';
  if (path.endsWith('.zst')) return 'application/zstd';
  return 'application/octet-stream';
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = resolvePath(root, new URL(req.url ?? '/', 'http://x').pathname);
  const st = path ? await stat(path).catch(() => undefined) : undefined;
  if (!path || !st || !st.isFile() || !(path + sep).startsWith(root + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const headers: Record<string, string | number> = {
    'content-type': contentType(path),
    'accept-ranges': 'bytes',
    'last-modified': st.mtime.toUTCString(),
  };
  let start = 0;
  let end = st.size - 1;
  let status = 200;
  const range = req.headers.range && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range);
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), st.size - 1);
    } else {
      start = Math.max(0, st.size - Number(range[2]));
    }
    if (start > end || start >= st.size) {
      res.writeHead(416, { 'content-range': `bytes */${st.size}` }).end();
      return;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${st.size}`;
  }
  headers['content-length'] = st.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || st.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Serves `root` on 127.0.0.1 at a random port. */
export async function startStaticServer(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
