// Bearer-token check for writes, run before anything else (before the body is even read).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.ts';

/** Constant-time: both sides are hashed to 32 bytes first, so neither length nor content leaks. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** 401 for every write without `Authorization: Bearer <token>`; reads pass. No token configured: writes are refused. */
export function requireTokenForWrites(token: string | null | undefined): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!token) {
      return sendError(res, 401, 'YV_AUTH', 'writes are disabled: the proxy was started without --token', { 'WWW-Authenticate': 'Bearer' });
    }
    if (!m || !tokenMatches(m[1]!, token)) {
      return sendError(res, 401, 'YV_AUTH', m ? 'wrong bearer token' : 'this request needs Authorization: Bearer TOKEN', { 'WWW-Authenticate': 'Bearer' });
    }
    next();
  };
}
