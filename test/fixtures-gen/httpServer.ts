// A tiny static HTTP server on 127.0.0.1 (random port) for tests: serves a directory with HEAD and Range
// (one range → 206; several → 206 multipart/byteranges), and can be told to misbehave per path so the
// client, proxy and image code can be tested against the failures real mirrors produce: ignore Range,
// answer an error status, hang (before headers or mid-body), close the connection mid-body, or serve
// wrong bytes. Every request is logged with the bytes of body actually written.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { Transform } from 'node:stream';

export type Fault =
  /** Answer 200 with the whole file whatever Range says (as some mirrors and CDNs do). */
  | { kind: 'ignoreRange' }
  /** Answer this status with a short body, `times` times (forever when absent), then behave. */
  | { kind: 'status'; status: number; times?: number }
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  | { kind: 'hang'; times?: number }
  /** Send headers and `afterBytes` bytes of body, then stall forever. */
  | { kind: 'stall'; afterBytes: number; times?: number }
  /** Send headers (full Content-Length) and `afterBytes` bytes of body, then destroy the socket. */
  | { kind: 'cut'; afterBytes: number; times?: number }
  /** Wait `ms` before answering normally. */
  | { kind: 'delay'; ms: number; times?: number }
  /** Serve the right length but flip one byte at `offset` (default: the middle) of the body. */
  | { kind: 'corrupt'; offset?: number; times?: number };

export interface RequestRecord {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes written to the socket before the response ended or was cut. */
  bytesSent: number;
  headers: IncomingMessage['headers'];
  /** performance.now() when the request arrived and when its response headers went out. */
  arrivedAt: number;
  respondedAt?: number;
}

export interface TestHttpServer {
  /** http://127.0.0.1:PORT/ (with the trailing slash). */
  url: string;
  port: number;
  requests: RequestRecord[];
  /** Most requests being answered at once since start (or the last resetPeak). */
  readonly peakConcurrent: number;
  resetPeak(): void;
  /** Misbehave for request paths that `match` (exact path like "/repodata/repomd.xml", or a RegExp). */
  setFault(match: string | RegExp, fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface FaultRule {
  match: string | RegExp;
  fault: Fault;
  used: number;
}

/** Starts serving `root`. Paths that escape it answer 400; missing files 404. */
export async function startTestHttpServer(root: string): Promise<TestHttpServer> {
  const rules: FaultRule[] = [];
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let peak = 0;

  const activeFault = (path: string): Fault | undefined => {
    for (const r of rules) {
      const hit = typeof r.match === 'string' ? r.match === path : r.match.test(path);
      if (!hit) continue;
      const times = 'times' in r.fault ? r.fault.times : undefined;
      if (times !== undefined && r.used >= times) continue;
      r.used++;
      return r.fault;
    }
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(String(err));
      } else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const record: RequestRecord = { method: req.method ?? 'GET', path, range: req.headers.range, status: 0, bytesSent: 0, headers: req.headers, arrivedAt: performance.now() };
    requests.push(record);
    // Implicit headers go through writeHead too (ServerResponse._implicitHeader).
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    (res as { writeHead: (...a: unknown[]) => ServerResponse }).writeHead = (...a: unknown[]) => {
      record.respondedAt ??= performance.now();
      return writeHead(...a);
    };
    const countingWrite = res.write.bind(res);
    res.on('finish', () => (record.status = res.statusCode));
    res.on('close', () => (record.status ||= res.statusCode));

    active++;
    peak = Math.max(peak, active);
    let counted = true;
    res.on('close', () => {
      if (counted) active--;
      counted = false;
    });
    const fault = activeFault(path);
    if (fault?.kind === 'hang') return; // never answer
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'status') {
      res.statusCode = record.status = fault.status;
      res.end(`injected ${fault.status}\n`);
      return;
    }

    const rel = normalize(path).replace(/^[/\\]+/, '');
    if (rel.startsWith('..') || rel.split(sep).includes('..')) {
      res.statusCode = record.status = 400;
      res.end('bad path\n');
      return;
    }
    const file = join(root, rel);
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) {
      res.statusCode = record.status = 404;
      res.end('not found\n');
      return;
    }
    const size = st.size;
    let ranges = fault?.kind === 'ignoreRange' ? undefined : parseRange(req.headers.range, size);
    if (ranges === 'unsatisfiable') {
      res.statusCode = record.status = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Last-Modified', st.mtime.toUTCString());

    // Count the body bytes (and apply byte-level faults) at one place: every body write goes through here.
    let sent = 0;
    const body = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        let out = chunk;
        if (fault?.kind === 'corrupt') {
          const at = (fault.offset ?? Math.floor(size / 2)) - sent;
          if (at >= 0 && at < out.length) {
            out = Buffer.from(out);
            out[at] = out[at]! ^ 0xff;
          }
        }
        if (fault?.kind === 'cut' || fault?.kind === 'stall') {
          const room = fault.afterBytes - sent;
          if (room <= 0) return cb(); // swallow the rest: a stall keeps the socket open, a cut closes it
          if (out.length >= room) {
            out = out.subarray(0, room);
            limitReached = true;
          }
        }
        sent += out.length;
        record.bytesSent = sent;
        cb(null, out);
      },
    });
    let limitReached = false;
    body.on('data', (c: Buffer) => {
      const last = limitReached;
      const more = countingWrite(c, () => {
        if (last && fault?.kind === 'cut') setTimeout(() => res.destroy(), 10);
      });
      // Respect backpressure, as a real server does: a client that stops reading stops the transfer.
      if (!more) {
        body.pause();
        res.once('drain', () => body.resume());
      }
    });
    res.on('close', () => body.destroy());
    const endBody = () => {
      if (fault?.kind === 'stall' || fault?.kind === 'cut') return;
      res.end();
    };

    if (!ranges) {
      res.statusCode = record.status = 200;
      res.setHeader('Content-Length', size);
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file).pipe(body).on('end', endBody);
      return;
    }
    if (ranges.length === 1) {
      const [s, e] = ranges[0]!;
      res.statusCode = record.status = 206;
      res.setHeader('Content-Range', `bytes ${s}-${e}/${size}`);
      res.setHeader('Content-Length', e - s + 1);
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file, { start: s, end: e }).pipe(body).on('end', endBody);
      return;
    }
    // Several ranges: multipart/byteranges (RFC 9110 §14.6).
    const boundary = 'yvtestboundary';
    const parts: Buffer[] = [];
    const { readFile } = await import('node:fs/promises');
    const all = await readFile(file);
    for (const [s, e] of ranges) {
      parts.push(Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${s}-${e}/${size}\r\n\r\n`));
      parts.push(all.subarray(s, e + 1));
    }
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const payload = Buffer.concat(parts);
    res.statusCode = record.status = 206;
    res.setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`);
    res.setHeader('Content-Length', payload.length);
    if (req.method === 'HEAD') return void res.end();
    body.on('end', endBody);
    body.end(payload);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    get peakConcurrent() {
      return peak;
    },
    resetPeak() {
      peak = active;
    },
    setFault(match, fault) {
      rules.unshift({ match, fault, used: 0 });
    },
    clearFaults() {
      rules.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** "bytes=a-b,c-,-n" → inclusive [start, end] pairs; undefined when absent or not bytes. */
function parseRange(header: string | undefined, size: number): Array<[number, number]> | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(.+)$/.exec(header.trim());
  if (!m) return undefined;
  const out: Array<[number, number]> = [];
  for (const spec of m[1]!.split(',')) {
    const r = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
    if (!r) return undefined;
    let s: number;
    let e: number;
    if (r[1] === '') {
      if (r[2] === '') return undefined;
      s = Math.max(0, size - Number(r[2]));
      e = size - 1;
    } else {
      s = Number(r[1]);
      e = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
    }
    if (s > e || s >= size) continue;
    out.push([s, e]);
  }
  return out.length ? out : 'unsatisfiable';
}
