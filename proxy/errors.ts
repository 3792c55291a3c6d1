// HTTP status for every error the proxy can answer with, decided here and only here (the API's JSON
// routers use the same table through proxy/api/errors.ts's statusForCode). Repository routes answer
// plain text, since dnf shows the body of a failed download to its user.
import type { ServerResponse } from 'node:http';
import { isYumvaultError, UpstreamError, YumvaultError } from '../src/errors.ts';
import { statusForCode } from './api/errors.ts';

/** Upstream answered 304 to a conditional request: the cached copy is current (not a failure). */
export class NotModifiedSignal extends YumvaultError {
  constructor() {
    super('YV_NOT_MODIFIED', 'upstream copy not modified');
  }
}

export function httpStatusFor(e: unknown): number {
  // An upstream failure carries the status the client should see: 404 passed on, 504 timeout, 502 else.
  if (e instanceof UpstreamError || (isYumvaultError(e) && e.code === 'YV_UPSTREAM')) return (e as UpstreamError).status ?? 502;
  if (isYumvaultError(e)) return statusForCode(e.code);
  return 500;
}

/** Answers a repository request with an error, or cuts the connection when the body already started. */
export function sendProxyError(res: ServerResponse, e: unknown): number {
  const status = httpStatusFor(e);
  if (res.headersSent) {
    // The client has a status line and part of a body: cutting the connection is the only honest answer
    // (its Content-Length is not met, so it cannot mistake the bytes for a whole file).
    res.destroy();
    return status;
  }
  const message = e instanceof Error ? e.message : String(e);
  const body = `${status} ${isYumvaultError(e) ? `${message} [${e.code}]` : 'internal error'}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
  return status;
}
