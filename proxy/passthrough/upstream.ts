// The proxy's side of an upstream mirror: one GET with optional conditional headers, the body left as a
// stream. Timeouts are undici's own: `timeoutMs` for connecting and for the response headers (an upstream
// that hangs), `idleTimeoutMs` between body chunks (an upstream that stalls mid-body). Every failure
// becomes an UpstreamError whose status is what the client should see: 504 for a timeout, 502 otherwise.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { UpstreamError } from '../../src/errors.ts';

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

export interface UpstreamClientOptions {
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Injected in tests; by default an Agent with the timeouts above. */
  dispatcher?: Dispatcher;
  /** Called for every failed upstream exchange (metrics). */
  onError?: (url: string, error: UpstreamError) => void;
  /** Consecutive connection failures or timeouts after which an upstream host counts as offline (default 3). */
  maxFails?: number;
  /** How long it then stays offline: requests fail at once instead of each waiting out a timeout (default 30 s). */
  failTimeoutMs?: number;
  now?: () => number;
}

interface HostHealth {
  fails: number;
  offlineUntil: number;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export class UpstreamClient {
  private readonly dispatcher: Dispatcher;
  private readonly options: UpstreamClientOptions;
  private readonly health = new Map<string, HostHealth>();

  constructor(options: UpstreamClientOptions) {
    this.options = options;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: options.timeoutMs },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.idleTimeoutMs,
        keepAliveTimeout: 10_000,
        connections: 64,
      });
  }

  /** GET `url`. Any status is returned (the caller decides); transport failures throw UpstreamError. */
  async get(url: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.fetch(url, headers, signal, 0);
  }

  private async fetch(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, hops: number): Promise<UpstreamResponse> {
    const host = new URL(url).host;
    const now = this.options.now ?? Date.now;
    const health = this.health.get(host);
    // An upstream that keeps failing is offline for a while (verdaccio's max_fails/fail_timeout): clients
    // get the stale copy or the error now, instead of each waiting out a timeout. One request per window
    // probes it again.
    if (health && health.offlineUntil > now()) {
      const err = new UpstreamError(`upstream ${host} is offline after ${health.fails} failures; retrying after ${new Date(health.offlineUntil).toISOString()}`, { status: 502 });
      this.options.onError?.(url, err);
      throw err;
    }
    try {
      const res = await request(url, {
        method: 'GET',
        // identity: the proxy must pass the bytes upstream stores, never a re-encoded form of them.
        headers: { 'accept-encoding': 'identity', 'user-agent': 'yumvault-proxy/0.1', ...headers },
        dispatcher: this.dispatcher,
        signal,
      });
      this.health.delete(host);
      // Redirects are followed by hand (undici 7 moved them to an interceptor): mirrors redirect to CDNs.
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && res.headers.location) {
        res.body.resume();
        if (hops >= 5) throw new UpstreamError(`too many redirects fetching ${url}`, { status: 502 });
        return this.fetch(new URL(String(res.headers.location), url).href, headers, signal, hops + 1);
      }
      const body = res.body as unknown as Readable;
      if (res.statusCode >= 500) this.options.onError?.(url, new UpstreamError(`upstream answered ${res.statusCode} for ${url}`, { status: 502 }));
      body.on('error', (e: Error) => this.options.onError?.(url, toUpstreamError(url, e)));
      return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, body };
    } catch (e) {
      const err = toUpstreamError(url, e);
      if (!(e instanceof UpstreamError) && !signal?.aborted) {
        const h = this.health.get(host) ?? { fails: 0, offlineUntil: 0 };
        h.fails++;
        if (h.fails >= (this.options.maxFails ?? 3)) h.offlineUntil = now() + (this.options.failTimeoutMs ?? 30_000);
        this.health.set(host, h);
      }
      this.options.onError?.(url, err);
      throw err;
    }
  }

  /** Is this URL's host counted offline right now? */
  isOffline(url: string): boolean {
    const h = this.health.get(new URL(url).host);
    return !!h && h.offlineUntil > (this.options.now ?? Date.now)();
  }

  /** Stops at once: requests still waiting on upstream fail (the server drained its downloads first). */
  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.destroy();
  }
}

export function toUpstreamError(url: string, e: unknown): UpstreamError {
  if (e instanceof UpstreamError) return e;
  const code = (e as { code?: string })?.code ?? '';
  const timeout = TIMEOUT_CODES.has(code) || (e as Error)?.name === 'TimeoutError';
  return new UpstreamError(`upstream ${timeout ? 'timed out' : 'failed'} for ${url}: ${(e as Error)?.message ?? String(e)}`, {
    cause: e,
    status: timeout ? 504 : 502,
  });
}

/** An upstream answer that is not 200 (or 304 where asked for): 404 passes on as 404, the rest as 502. */
export function statusError(url: string, status: number): UpstreamError {
  return new UpstreamError(`upstream answered ${status} for ${url}`, { status: status === 404 || status === 410 ? 404 : 502 });
}
