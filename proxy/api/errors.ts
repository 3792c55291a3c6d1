// JSON errors for the API and vault routes: one table from our error codes to HTTP statuses, one factory
// for the body. Every error answer is `{ "error": { "code", "message" } }`.
import type { ErrorRequestHandler, Response } from 'express';
import { isYumvaultError } from '../../src/errors.ts';

const STATUS_BY_CODE: Record<string, number> = {
  YV_AUTH: 401,
  YV_NOT_FOUND: 404,
  YV_MANIFEST: 400,
  YV_USAGE: 400,
  YV_PATH_TRAVERSAL: 400,
  YV_CHECKSUM_MISMATCH: 502,
  YV_UPSTREAM: 502,
  YV_BUSY: 409,
  YV_STORAGE: 500,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ error: { code, message } });
}

/** Final error handler for the API routers: typed errors keep their code, body-parser errors become 400/413. */
export const jsonErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isYumvaultError(err)) {
    sendError(res, statusForCode(err.code), err.code, err.message);
    return;
  }
  const e = err as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'YV_BAD_REQUEST', `request body is not valid JSON: ${e.message ?? ''}`);
  if (e?.type === 'entity.too.large') return sendError(res, 413, 'YV_TOO_LARGE', 'request body is too large');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'YV_BAD_REQUEST', e.message ?? 'bad request');
  sendError(res, 500, 'YV_INTERNAL', `internal error: ${e?.message ?? String(err)}`);
};
