// GET/HEAD /repos/NAME/PATH: byte-identical pass-through with a cache. Each path falls in one class:
//  - repodata/repomd.xml (+ .asc, .key): the metadata unit, served per revision (metadata/revisions.ts);
//  - a file the served repomd.xml lists: that revision's bytes;
//  - *.rpm: immutable, stored only after its checksum matched primary.xml;
//  - repodata/<hex>-name: immutable, named by its own checksum, verified against the name;
//  - anything else (mirrorlist, metalink, .treeinfo, keys…): mutable, revalidated after the TTL,
//    served stale with a Warning when upstream fails.
// `countme` and every other query parameter are left out of the cache key (and of the upstream request).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isYumvaultError, NotFoundError } from '../../src/errors.ts';
import type { Logger } from '../../src/retention/logger.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { Catalog } from '../../src/store/catalog.ts';
import type { RepoConfig } from '../config.ts';
import { httpStatusFor, NotModifiedSignal, sendProxyError } from '../errors.ts';
import type { RepoMetadata } from '../metadata/revisions.ts';
import { checksumAlgo } from '../../src/repo/repomd.ts';
import { contentTypeFor } from '../contentType.ts';
import type { PackageExpectation } from '../metadata/primaryIndex.ts';
import type { ProxyMetrics } from '../metrics.ts';
import { encodePath, parseRepoPath } from '../paths.ts';
import type { CacheEntry, CacheIndex } from './cacheIndex.ts';
import type { Download, DownloadResult, Downloads } from './download.ts';
import type { HotBlobCache } from './hotCache.ts';
import type { MirrorChooser } from './mirrors.ts';
import { BlobMissingError, sendBody, type BodySource } from './respond.ts';
import { statusError, type UpstreamClient } from './upstream.ts';

export interface RepoRuntime {
  config: RepoConfig;
  metadata: RepoMetadata;
  mirrors: MirrorChooser;
}

export interface PassthroughDeps {
  repos: ReadonlyMap<string, RepoRuntime>;
  blobs: BlobStore;
  catalog: Catalog;
  index: CacheIndex;
  downloads: Downloads;
  upstream: UpstreamClient;
  metrics: ProxyMetrics;
  logger: Logger;
  now: () => number;
  /** Misses up to this size are verified before the answer starts (default 1 MiB in the server). */
  verifyBeforeSendBytes: number;
  /** The hottest small blobs in memory. */
  hot: HotBlobCache;
  /** Downloads already recorded in the catalog by this process. */
  recorded: Set<string>;
}

interface Answer {
  status: number;
}

const UNIT = new Set(['repodata/repomd.xml', 'repodata/repomd.xml.asc', 'repodata/repomd.xml.key']);
const CHECKSUM_NAMED = /^repodata\/([0-9a-f]{32,128})-[^/]+$/;

/** Handles one /repos/… request (`rest` is the raw URL path after "/repos/", query removed). */
export async function handleRepoRequest(deps: PassthroughDeps, req: IncomingMessage, res: ServerResponse, rest: string): Promise<Answer> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
      return { status: 405 };
    }
    const { repo, path } = parseRepoPath(rest);
    const runtime = deps.repos.get(repo);
    if (!runtime) throw new NotFoundError(`no repository named ${JSON.stringify(repo)} on this proxy`);
    const client = req.socket.remoteAddress ?? '';
    if (UNIT.has(path)) return await serveUnit(deps, runtime, req, res, path, client);
    const listed = runtime.metadata.listedFile(path);
    if (listed) {
      const hit = await tryServeBlob(deps, req, res, listed.blob, listed.size, contentTypeFor(path), {});
      if (hit) return hit;
      // The blob went missing under us: fetch it again, verified against the checksum repomd.xml gave.
      const [algo, hex] = (listed.checksum ?? '').split(':');
      return await serveImmutable(deps, runtime, req, res, path, algo && hex ? { algo, hex } : null);
    }
    if (path.endsWith('.rpm')) return await servePackage(deps, runtime, req, res, path);
    const named = CHECKSUM_NAMED.exec(path);
    const byName = named ? checksumFromName(named[1]!) : null;
    // Named by its checksum: immutable, verified against the name. Anything else may change upstream.
    if (byName) return await serveImmutable(deps, runtime, req, res, path, byName);
    return await serveMutable(deps, runtime, req, res, path);
  } catch (e) {
    const status = sendProxyError(res, e);
    if (status >= 500) deps.logger.warn(`${req.method} /repos/${rest}: ${(e as Error).message}`);
    return { status };
  }
}

async function serveUnit(deps: PassthroughDeps, rt: RepoRuntime, req: IncomingMessage, res: ServerResponse, path: string, client: string): Promise<Answer> {
  const name = path.slice('repodata/'.length) as 'repomd.xml' | 'repomd.xml.asc' | 'repomd.xml.key';
  const served = name === 'repomd.xml' ? await rt.metadata.repomd(client) : await rt.metadata.companion(name, client);
  if (!served) throw new NotFoundError(`upstream ${rt.config.name} has no ${path}`);
  if (served.warning) deps.metrics.staleServed++;
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache', 'X-Yumvault-Revision': served.revision.revision };
  if (served.warning) headers.Warning = served.warning;
  if (name === 'repomd.xml' && served.revision.lastModified) headers['Last-Modified'] = served.revision.lastModified;
  return serveBlob(deps, req, res, served.ref.blob, served.ref.size, contentTypeFor(path), headers);
}

async function servePackage(deps: PassthroughDeps, rt: RepoRuntime, req: IncomingMessage, res: ServerResponse, path: string): Promise<Answer> {
  const repo = rt.config.name;
  const cached = await deps.index.get(repo, path);
  let expect: PackageExpectation | null = await rt.metadata.expectationFor(path);
  // Upstream re-published other bytes under the same name (a re-signed build): the current metadata wins.
  const current = !cached || !expect || !cached.checksum || cached.checksum === `${expect.checksum.algo}:${expect.checksum.hex}`;
  if (cached && current) {
    const pkgid = cached.checksum?.startsWith('sha256:') ? cached.checksum.slice(7) : null;
    const hit = await tryServeBlob(deps, req, res, cached.blob, cached.size, contentTypeFor(path), {}, (whole) => whole && recordDownload(deps, repo, path, pkgid, cached));
    if (hit) return hit;
  }
  // The monitor may hold it already (retained or fetched for a manifest).
  const row = await deps.catalog.findByLocation(repo, path).catch(() => null);
  if (row?.blobSha256 && (!expect || expect.checksum.algo !== 'sha256' || expect.checksum.hex === row.pkgid)) {
    const st = await deps.blobs.stat(row.blobSha256);
    const hit = st ? await tryServeBlob(deps, req, res, row.blobSha256, st.size, contentTypeFor(path), {}) : null;
    if (hit) return hit;
  }
  if (!rt.metadata.current) {
    await rt.metadata.revalidate().catch(() => {});
    expect = await rt.metadata.expectationFor(path);
  }
  if (!expect && row && checksumAlgo(row.checksumType)) {
    expect = { checksum: { algo: checksumAlgo(row.checksumType)!, hex: row.pkgid }, size: row.size, pkgid: checksumAlgo(row.checksumType) === 'sha256' ? row.pkgid : null };
  }
  // HEAD of a package the metadata lists and nobody has fetched yet: its size is known, and a HEAD must not
  // cost a whole download (it used to start one: a mirror checker's HEADs fetched every package).
  if (req.method === 'HEAD' && expect && !req.headers.range) {
    res.writeHead(200, { 'Content-Type': contentTypeFor(path), 'Accept-Ranges': 'bytes', 'Content-Length': expect.size }).end();
    return { status: 200 };
  }
  // A package no metadata lists is passed through but never stored: nothing vouches for its bytes.
  return serveMiss(deps, rt, req, res, path, expect ? { checksum: expect.checksum, size: expect.size } : null, !!expect, (r, whole) => {
    if (whole && r.stored) recordDownload(deps, repo, path, expect?.pkgid ?? null, { blob: r.sha256, size: r.size });
  });
}

async function serveImmutable(deps: PassthroughDeps, rt: RepoRuntime, req: IncomingMessage, res: ServerResponse, path: string, checksum: { algo: string; hex: string } | null): Promise<Answer> {
  const cached = await deps.index.get(rt.config.name, path);
  const hit = cached ? await tryServeBlob(deps, req, res, cached.blob, cached.size, contentTypeFor(path), {}) : null;
  if (hit) return hit;
  return serveMiss(deps, rt, req, res, path, checksum ? { checksum, size: null } : null, true);
}

async function serveMutable(deps: PassthroughDeps, rt: RepoRuntime, req: IncomingMessage, res: ServerResponse, path: string): Promise<Answer> {
  const repo = rt.config.name;
  const cached = await deps.index.get(repo, path);
  const usable = cached && (await deps.blobs.has(cached.blob)) ? cached : null;
  if (usable && deps.now() - usable.checkedAt < rt.config.metadataTtlMs) {
    return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), {});
  }
  const conditional: Record<string, string> = {};
  if (usable?.etag) conditional['if-none-match'] = usable.etag;
  if (usable?.lastModified) conditional['if-modified-since'] = usable.lastModified;
  try {
    return await serveMiss(deps, rt, req, res, path, null, true, undefined, conditional);
  } catch (e) {
    if (!usable || res.headersSent) throw e;
    if (e instanceof NotModifiedSignal) {
      const fresh = { ...usable, checkedAt: deps.now() };
      await deps.index.set(repo, fresh);
      return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), {});
    }
    const status = httpStatusFor(e);
    if (status === 404) throw e;
    deps.metrics.staleServed++;
    const warning = status === 504 ? '110 - "Response is Stale"' : '111 - "Revalidation Failed"';
    return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), { Warning: warning });
  }
}

/** A cache miss: join (or start) the one upstream download of this path and stream it as it arrives. */
async function serveMiss(
  deps: PassthroughDeps,
  rt: RepoRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  expect: { checksum: { algo: string; hex: string }; size: number | null } | null,
  store: boolean,
  after?: (r: DownloadResult, whole: boolean) => void,
  conditional: Record<string, string> = {},
): Promise<Answer> {
  const repo = rt.config.name;
  const base = await rt.mirrors.baseUrl();
  const url = `${base}${encodePath(path)}`;
  deps.metrics.cacheMisses++;
  const dl: Download = await deps.downloads.join(
    `${repo}\0${path}`,
    { url, checksum: expect?.checksum ?? null, size: expect?.size ?? null, store },
    async () => {
      const r = await deps.upstream.get(url, conditional);
      if (r.status === 304 && Object.keys(conditional).length > 0) {
        r.body.resume();
        throw new NotModifiedSignal();
      }
      if (r.status !== 200) {
        r.body.resume();
        throw statusError(url, r.status);
      }
      return r;
    },
    (r) => deps.index.set(repo, {
      path, blob: r.sha256, size: r.size, checkedAt: deps.now(), etag: r.etag, lastModified: r.lastModified, contentType: r.contentType,
      checksum: expect ? `${expect.checksum.algo}:${expect.checksum.hex}` : null,
    } satisfies CacheEntry),
  );
  try {
    // Small files are verified whole before the first byte goes out, so a corrupt upstream is a clean 502;
    // big ones stream as they arrive (their last byte waits for the verdict).
    if (dl.size !== null && dl.size <= deps.verifyBeforeSendBytes) await dl.finished;
    const source: BodySource = { kind: 'download', download: dl };
    const outcome = await sendBody(req, res, deps.blobs, source, { contentType: contentTypeFor(path) });
    deps.metrics.bytesServed += outcome.bytes;
    if (after) dl.finished.then((r) => after(r, outcome.whole), () => {});
    return { status: res.statusCode };
  } catch (e) {
    if (isYumvaultError(dl.failure) && dl.failure.code === 'YV_CHECKSUM_MISMATCH') deps.metrics.checksumMismatches++;
    throw dl.failure ?? e;
  } finally {
    dl.release();
  }
}

async function serveBlob(
  deps: PassthroughDeps,
  req: IncomingMessage,
  res: ServerResponse,
  blob: string,
  size: number,
  contentType: string,
  headers: Record<string, string>,
  after?: (whole: boolean) => unknown,
): Promise<Answer> {
  const local = deps.hot.fits(size) ? deps.blobs.localPath?.(blob) : undefined;
  const buffer = local ? await deps.hot.get(blob, local, size) : null;
  const source: BodySource = buffer ? { kind: 'memory', buffer } : { kind: 'blob', sha256: blob, size };
  const outcome = await sendBody(req, res, deps.blobs, source, { contentType, headers });
  deps.metrics.cacheHits++;
  deps.metrics.bytesServed += outcome.bytes;
  after?.(outcome.whole);
  return { status: res.statusCode };
}

/** serveBlob, or null when the blob is gone (the caller goes on as for a miss). */
async function tryServeBlob(...args: Parameters<typeof serveBlob>): Promise<Answer | null> {
  try {
    return await serveBlob(...args);
  } catch (e) {
    if (e instanceof BlobMissingError) return null;
    throw e;
  }
}

function recordDownload(deps: PassthroughDeps, repo: string, location: string, pkgid: string | null, blob: { blob: string; size: number }): void {
  // Once per package and process is enough (the catalog keeps it): a hot package must not cost a write each time.
  const key = `${repo}\0${location}\0${blob.blob}`;
  if (deps.recorded.has(key)) return;
  if (deps.recorded.size > 200_000) deps.recorded.clear();
  deps.recorded.add(key);
  deps.catalog.recordDownload(repo, { location, pkgid, blob: { sha256: blob.blob, size: blob.size } }, deps.now()).catch((e: unknown) => {
    deps.recorded.delete(key);
    deps.logger.warn(`${repo}: cannot record the download of ${location}: ${(e as Error).message}`);
  });
}

function checksumFromName(hex: string): { algo: string; hex: string } | null {
  const algo = { 32: 'md5', 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' }[hex.length];
  return algo ? { algo, hex } : null;
}
