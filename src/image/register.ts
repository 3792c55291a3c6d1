// Talks to the proxy's API (DESIGN.md "Proxy URL contract"): register a manifest so the proxy holds every
// build it references; read what the proxy knows about builds (advisories) for restore.

import { AuthError, UpstreamError } from '../errors.ts';
import { loadUndici } from '../repo/transport.ts';

/** The URL of an API route (`path` relative to /api/v1/) of the proxy at `proxyUrl`. */
export function apiUrl(proxyUrl: string, path: string): string {
  return `${proxyUrl.replace(/\/+$/, '')}/api/v1/${path}`;
}

/** The error for an API answer that is not a success: the proxy's own message when its body carries one. */
function failure(status: number, body: string, what: string): Error {
  let detail = '';
  try {
    const json = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    detail = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message ?? '');
  } catch {
    // not JSON: the status says enough
  }
  if (status === 401 || status === 403) return new AuthError(`${what}: the proxy refused the token (HTTP ${status})${detail ? `: ${detail}` : ''}; pass --token`);
  return new UpstreamError(`${what}: HTTP ${status}${detail ? `: ${detail}` : ''}`, { status });
}

/**
 * The proxy answers a registration once it holds every build the manifest references (it fetches those it
 * lacks from upstream first): for a large image on a slow upstream that can be many minutes, past fetch's
 * default five-minute wait for the response headers.
 */
const REGISTER_TIMEOUT_MS = 30 * 60_000;

/** POST /api/v1/manifests; answers the manifest id the proxy gave it. */
export async function registerManifest(proxyUrl: string, manifestJson: string, token?: string): Promise<string> {
  const url = apiUrl(proxyUrl, 'manifests');
  const { Agent, request } = await loadUndici(); // only a registration needs it: restore loads this module too
  const dispatcher = new Agent({ headersTimeout: REGISTER_TIMEOUT_MS, bodyTimeout: REGISTER_TIMEOUT_MS });
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: manifestJson,
      dispatcher,
    }).catch((e: Error) => {
      throw new UpstreamError(`registering with ${url} failed: ${e.message}`, { cause: e });
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw failure(res.statusCode, text, `registering with ${url}`);
    const body = JSON.parse(text) as { id?: unknown };
    return String(body.id ?? '');
  } finally {
    await dispatcher.close();
  }
}

/** GET a JSON document of the proxy API (path relative to /api/v1/). */
export async function getApiJson(proxyUrl: string, path: string): Promise<unknown> {
  const url = apiUrl(proxyUrl, path);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new UpstreamError(`${url} failed: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw failure(res.status, await res.text().catch(() => ''), url);
  return res.json();
}
