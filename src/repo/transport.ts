// How the repository client reads bytes: over HTTP(S) with undici, or from disk for file:// URLs and plain
// paths. Both hand back an async iterable body that yields exactly the requested bytes: a server that
// ignores Range (answers 200 with the whole file) is sliced here and its connection closed as soon as the
// range is complete, so callers never see the difference.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agent, Dispatcher } from 'undici';

/**
 * undici, loaded on first HTTP use: a restore or decompose from repositories on disk never pays for it.
 * (A CommonJS module: bundled, its dynamic import has only a default export; run from source, named ones.)
 */
let undici: Promise<typeof import('undici')> | undefined;
export const loadUndici = () => (undici ??= import('undici').then((m) => (m.Agent ? m : (m as unknown as { default: typeof m }).default)));
import { PathTraversalError, UpstreamError, isYumvaultError } from '../errors.ts';

/** A byte range, `end` exclusive (end undefined: to the end of the file). */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface OpenedFile {
  body: AsyncIterable<Uint8Array>;
  /** Length of `body` in bytes when known. */
  length?: number;
  /** Size of the whole file when known. */
  totalSize?: number;
  /** Abort the transfer (the body stops; the connection is closed). */
  abort(): void;
}

export interface Transport {
  /** `location` is relative to the base (or absolute http(s)/file URL for xml:base locations). */
  open(location: string, range?: ByteRange): Promise<OpenedFile>;
  close(): Promise<void>;
  readonly description: string;
}

export interface HttpOptions {
  /** An undici Dispatcher to send requests through; without one the transport makes and owns an Agent. */
  dispatcher?: Dispatcher;
  /** Milliseconds to establish a connection (own Agent only). Default 10 s. */
  connectTimeoutMs?: number;
  /** Milliseconds to wait for response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Milliseconds the body may stay idle. Default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Retries of a GET that failed before its body started (network error, timeout, 5xx, 429). Default 3. */
  retries?: number;
  /** First backoff in ms, doubled each retry (with jitter). Default 250. */
  retryBackoffMs?: number;
  /** Extra request headers (authorization, …). */
  headers?: Record<string, string>;
  userAgent?: string;
}

export const USER_AGENT = 'yumvault/0.1';

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** A transport for `base`: http(s)://…, file://…, or a plain directory path. */
export function createTransport(base: string, http: HttpOptions = {}): Transport {
  if (/^https?:\/\//i.test(base)) return new HttpTransport(base, http);
  const dir = /^file:/i.test(base) ? fileURLToPath(base) : resolve(base);
  return new FileTransport(dir);
}

/** Base URL with exactly one trailing slash (so relative locations resolve under it). */
export function normaliseBase(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

class HttpTransport implements Transport {
  private readonly base: string;
  private readonly given: Dispatcher | undefined;
  private dispatcher: Promise<Dispatcher> | undefined;
  private ownAgent: Agent | undefined;
  private readonly opts: Required<Omit<HttpOptions, 'dispatcher' | 'headers'>> & { headers: Record<string, string> };

  constructor(base: string, o: HttpOptions) {
    this.base = normaliseBase(base);
    this.opts = {
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: o.headersTimeoutMs ?? 30_000,
      bodyIdleTimeoutMs: o.bodyIdleTimeoutMs ?? 30_000,
      retries: o.retries ?? 3,
      retryBackoffMs: o.retryBackoffMs ?? 250,
      userAgent: o.userAgent ?? USER_AGENT,
      headers: o.headers ?? {},
    };
    this.given = o.dispatcher;
  }

  private dispatch(): Promise<Dispatcher> {
    this.dispatcher ??= this.given
      ? Promise.resolve(this.given)
      : loadUndici().then(({ Agent, interceptors }) => {
          this.ownAgent = new Agent({ connect: { timeout: this.opts.connectTimeoutMs } });
          // Mirrors redirect (to a CDN, to https); follow a few.
          return this.ownAgent.compose(interceptors.redirect({ maxRedirections: 5 }));
        });
    return this.dispatcher;
  }

  get description(): string {
    return this.base;
  }

  async open(location: string, range?: ByteRange): Promise<OpenedFile> {
    const url = new URL(location, this.base).href;
    let attempt = 0;
    for (;;) {
      try {
        return await this.once(url, range);
      } catch (e) {
        const retryable = !(e instanceof UpstreamError) || e.status === undefined || RETRYABLE_STATUS.has(e.status);
        if (!retryable || attempt >= this.opts.retries || isNotFound(e)) throw e;
        const wait = this.opts.retryBackoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        attempt++;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async once(url: string, range: ByteRange | undefined): Promise<OpenedFile> {
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, ...this.opts.headers };
    const wantsRange = range !== undefined && (range.start > 0 || range.end !== undefined);
    if (wantsRange) headers.range = `bytes=${range.start}-${range.end === undefined ? '' : range.end - 1}`;
    let res: Dispatcher.ResponseData;
    try {
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.dispatch()]);
      res = await request(url, {
        method: 'GET',
        headers,
        dispatcher,
        headersTimeout: this.opts.headersTimeoutMs,
        bodyTimeout: this.opts.bodyIdleTimeoutMs,
      });
    } catch (e) {
      throw new UpstreamError(`GET ${url} failed: ${describe(e)}`, { cause: e });
    }
    const status = res.statusCode;
    if (status === 404 || status === 410) {
      discard(res.body);
      throw new UpstreamError(`GET ${url}: HTTP ${status} (not found)`, { status });
    }
    if (status !== 200 && status !== 206) {
      discard(res.body);
      if (status === 416 && range && range.end === undefined) {
        return { body: (async function* () {})(), length: 0, abort() {} };
      }
      throw new UpstreamError(`GET ${url}: HTTP ${status}`, { status });
    }
    const contentLength = numberHeader(res.headers['content-length']);
    let skip = 0;
    let length = contentLength;
    let totalSize = status === 200 ? contentLength : totalFromContentRange(res.headers['content-range']);
    if (wantsRange && status === 200) {
      // The server ignored Range: read only up to the range's end, then close.
      skip = range.start;
      length = range.end === undefined ? (contentLength === undefined ? undefined : Math.max(0, contentLength - skip)) : range.end - range.start;
    } else if (wantsRange && status === 206) {
      const cr = /^bytes (\d+)-(\d+)\//.exec(String(res.headers['content-range'] ?? ''));
      if (!cr || Number(cr[1]) !== range.start) {
        discard(res.body);
        throw new UpstreamError(`GET ${url}: asked for bytes from ${range.start}, got Content-Range '${String(res.headers['content-range'])}'`, { status });
      }
    }
    const body = res.body;
    const expected = length;
    // Destroying an unfinished undici body aborts the request and closes its connection.
    const abort = () => {
      discard(body);
    };
    async function* sliced(): AsyncGenerator<Uint8Array> {
      let toSkip = skip;
      let remaining = expected;
      let got = 0;
      try {
        for await (const raw of body as AsyncIterable<Buffer>) {
          let chunk: Uint8Array = raw;
          if (toSkip > 0) {
            if (chunk.length <= toSkip) {
              toSkip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(toSkip);
            toSkip = 0;
          }
          if (remaining !== undefined && chunk.length >= remaining) {
            if (remaining > 0) yield chunk.subarray(0, remaining);
            got += remaining;
            remaining = 0;
            break;
          }
          if (remaining !== undefined) remaining -= chunk.length;
          got += chunk.length;
          yield chunk;
        }
      } catch (e) {
        if (isYumvaultError(e)) throw e;
        throw new UpstreamError(`GET ${url}: body failed after ${got} bytes: ${describe(e)}`, { cause: e, status });
      } finally {
        discard(body);
      }
      if (remaining !== undefined && remaining > 0) {
        throw new UpstreamError(`GET ${url}: body ended after ${got} of ${expected} bytes`, { status });
      }
    }
    return { body: sliced(), ...(length !== undefined ? { length } : {}), ...(totalSize !== undefined ? { totalSize } : {}), abort };
  }

  async close(): Promise<void> {
    await this.dispatcher?.catch(() => undefined);
    await this.ownAgent?.close();
  }
}

class FileTransport implements Transport {
  // A plain field, not a parameter property: Node runs .ts by stripping types only (no parameter properties).
  private readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  get description(): string {
    return this.dir;
  }

  async open(location: string, range?: ByteRange): Promise<OpenedFile> {
    const path = this.resolve(location);
    const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw new UpstreamError(`${path} does not exist`, { status: 404 });
      throw new UpstreamError(`cannot read ${path}: ${e.message}`, { cause: e });
    });
    if (!st.isFile()) throw new UpstreamError(`${path} is not a file`, { status: 404 });
    const start = Math.min(range?.start ?? 0, st.size);
    const end = Math.min(range?.end ?? st.size, st.size);
    if (end <= start) return { body: (async function* () {})(), length: 0, totalSize: st.size, abort() {} };
    const stream = createReadStream(path, { start, end: end - 1 });
    return { body: stream, length: end - start, totalSize: st.size, abort: () => stream.destroy() };
  }

  private resolve(location: string): string {
    if (/^file:/i.test(location)) return fileURLToPath(location);
    if (/^[a-z][a-z0-9+.-]*:/i.test(location)) throw new UpstreamError(`cannot read '${location}' from a local repository ${this.dir}`);
    const decoded = location.split('/').map((p) => decodeURIComponent(p));
    if (isAbsolute(location) || decoded.includes('..') || location.includes('\\')) {
      throw new PathTraversalError(`location '${location}' escapes the repository ${this.dir}`);
    }
    const path = join(this.dir, ...decoded);
    if (!path.startsWith(this.dir.endsWith(sep) ? this.dir : this.dir + sep)) throw new PathTraversalError(`location '${location}' escapes the repository ${this.dir}`);
    return path;
  }

  async close(): Promise<void> {}
}

/** The repository answered that the file does not exist (HTTP 404/410, or no such file on disk). */
export function isNotFound(e: unknown): boolean {
  return e instanceof UpstreamError ? e.status === 404 || e.status === 410 : (e as { code?: string }).code === 'YV_NOT_FOUND';
}

/** Drops a body we no longer read (undici reports the abort as an error event: nobody needs it). */
function discard(body: Dispatcher.ResponseData['body']): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

function numberHeader(v: string | string[] | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function totalFromContentRange(v: string | string[] | undefined): number | undefined {
  const m = typeof v === 'string' ? /\/(\d+)\s*$/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: string }).code;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}
