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
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export class UpstreamClient {
  private readonly dispatcher: Dispatcher;
  private readonly options: UpstreamClientOptions;

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
    try {
      const res = await request(url, {
        method: 'GET',
        // identity: the proxy must pass the bytes upstream stores, never a re-encoded form of them.
        headers: { 'accept-encoding': 'identity', 'user-agent': 'yumvault-proxy/0.1', ...headers },
        dispatcher: this.dispatcher,
        signal,
      });
      // Redirects are followed by hand (undici 7 moved them to an interceptor): mirrors redirect to CDNs.
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && res.headers.location) {
        res.body.resume();
        const next = new URL(String(res.headers.location), url).href;
        const hops = Number(headers['x-yumvault-hops'] ?? 0);
        if (hops >= 5) throw new UpstreamError(`too many redirects fetching ${url}`, { status: 502 });
        return this.get(next, { ...headers, 'x-yumvault-hops': String(hops + 1) }, signal);
      }
      const body = res.body as unknown as Readable;
      if (res.statusCode >= 500) this.options.onError?.(url, new UpstreamError(`upstream answered ${res.statusCode} for ${url}`, { status: 502 }));
      body.on('error', (e: Error) => this.options.onError?.(url, toUpstreamError(url, e)));
      return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, body };
    } catch (e) {
      const err = toUpstreamError(url, e);
      this.options.onError?.(url, err);
      throw err;
    }
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
