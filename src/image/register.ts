// Talks to the proxy's API (DESIGN.md "Proxy URL contract"): register a manifest so the proxy holds every
// build it references; read what the proxy knows about builds (advisories) for restore.

import { AuthError, UpstreamError } from '../errors.ts';

function apiUrl(proxyUrl: string, path: string): string {
  return `${proxyUrl.replace(/\/+$/, '')}/api/v1/${path}`;
}

async function failure(res: Response, what: string): Promise<never> {
  let detail = '';
  try {
    const body = (await res.json()) as { error?: { message?: string } | string; message?: string };
    detail = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message ?? '');
  } catch {
    // not JSON: the status says enough
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(`${what}: the proxy refused the token (HTTP ${res.status})${detail ? `: ${detail}` : ''}; pass --token`);
  throw new UpstreamError(`${what}: HTTP ${res.status}${detail ? `: ${detail}` : ''}`, { status: res.status });
}

/** POST /api/v1/manifests; answers the manifest id the proxy gave it. */
export async function registerManifest(proxyUrl: string, manifestJson: string, token?: string): Promise<string> {
  const url = apiUrl(proxyUrl, 'manifests');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: manifestJson,
    });
  } catch (e) {
    throw new UpstreamError(`registering with ${url} failed: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) await failure(res, `registering with ${url}`);
  const body = (await res.json()) as { id?: unknown };
  return String(body.id ?? '');
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
  if (!res.ok) await failure(res, url);
  return res.json();
}
