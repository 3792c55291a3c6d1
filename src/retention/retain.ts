// The retention step: every version the policy keeps and we do not hold yet is fetched while upstream
// still lists it, verified against primary.xml's checksum, stored as a blob and marked retained. What is
// already gone is recorded lost, loudly. Each version is one blob put (atomic) then one catalog update:
// a kill between the two is healed by the next pass, which finds the blob and only records it.
import { createHash } from 'node:crypto';
import { ChecksumMismatchError, isYumvaultError, RepoMetadataError } from '../errors.ts';
import { checksumAlgo } from '../repo/repomd.ts';
import { isSha256Hex, type BlobStore } from '../store/blobStore.ts';
import type { Catalog, PackageVersion } from '../store/catalog.ts';
import { formatNevra } from '../rpm/nevra.ts';
import type { Logger } from './logger.ts';
import { isMinorUpdate, type RetentionPolicy } from './policy.ts';
import { successorOf } from './scan.ts';
import type { UpstreamSource } from './upstream.ts';

export interface RetainDeps {
  catalog: Catalog;
  blobs: BlobStore;
  upstream: UpstreamSource;
  logger: Logger;
  now: () => number;
  /** Parallel downloads (default 4). */
  concurrency?: number;
  /** Called after each version is handled (held, lost or failed), with how many so far. */
  onHandled?: (count: number) => void;
}

export interface LostVersion {
  nevra: string;
  pkgid: string;
  /** Registered manifests that reference it: the images that can no longer be restored exactly. */
  manifests: number[];
}

export interface RetainResult {
  retained: number;
  downloaded: number;
  skipped: number;
  lost: LostVersion[];
  failed: { nevra: string; error: string }[];
}

/** skipMinor: versions superseded by a bug-fix update of the same upstream version are not kept. */
export async function applySkipMinor(deps: Pick<RetainDeps, 'catalog' | 'now'>, repo: string, candidates: readonly PackageVersion[]): Promise<Set<number>> {
  const skipped = new Set<number>();
  for (const v of candidates) {
    if (v.supersededAt === null || v.skipReason !== null) continue;
    const versions = await deps.catalog.versionsOf(repo, v.name, v.arch);
    const next = successorOf(v, versions);
    if (next && isMinorUpdate(v, next)) {
      await deps.catalog.markSkipped(v.id, `skipMinor: superseded by the bug-fix update ${formatNevra(next)}`, deps.now());
      skipped.add(v.id);
    }
  }
  return skipped;
}

/** After a scan: versions kept earlier (retained at first listing) that a bug-fix update now supersedes. */
export async function skipMinorSuperseded(deps: Pick<RetainDeps, 'catalog' | 'now'>, repo: string): Promise<number> {
  let skipped = 0;
  let afterId = 0;
  for (;;) {
    const page = await deps.catalog.listSuperseded(repo, 200, afterId);
    if (page.length === 0) return skipped;
    afterId = page[page.length - 1]!.id;
    skipped += (await applySkipMinor(deps, repo, page)).size;
  }
}

export async function retainPending(deps: RetainDeps, repo: string, policy: RetentionPolicy): Promise<RetainResult> {
  const result: RetainResult = { retained: 0, downloaded: 0, skipped: 0, lost: [], failed: [] };
  let afterId = 0;
  for (;;) {
    const page = await deps.catalog.pendingRetention(repo, policy.keep, 100, afterId);
    if (page.length === 0) return result;
    afterId = page[page.length - 1]!.id;
    const skipped = policy.skipMinor ? await applySkipMinor(deps, repo, page) : new Set<number>();
    result.skipped += skipped.size;
    const todo = page.filter((v) => !skipped.has(v.id));
    await forEachLimited(todo, deps.concurrency ?? 4, async (v) => {
      await retainOne(deps, v, result);
      deps.onHandled?.(result.retained + result.lost.length + result.failed.length);
    });
  }
}

async function retainOne(deps: RetainDeps, v: PackageVersion, result: RetainResult): Promise<void> {
  const nevra = formatNevra(v);
  // Held already (a client fetched it through the proxy, or a killed pass stored it): record only.
  const heldAs = await alreadyHeld(deps.blobs, v);
  if (heldAs) {
    await deps.catalog.markHeld(v.id, heldAs, true, deps.now());
    result.retained++;
    return;
  }
  if (!v.upstream) {
    const manifests = await deps.catalog.manifestsReferencing(v.pkgid);
    const detail = `upstream evicted it before it was held${manifests.length ? `; breaks manifests ${manifests.join(', ')}` : ''}`;
    await deps.catalog.markLost(v.id, detail, deps.now());
    deps.logger.error(`LOST ${nevra} in ${v.repo}: ${detail}`, { repo: v.repo, nevra, pkgid: v.pkgid, manifests });
    result.lost.push({ nevra, pkgid: v.pkgid, manifests });
    return;
  }
  try {
    const sha256 = await download(deps, v);
    await deps.catalog.markHeld(v.id, sha256, true, deps.now());
    deps.logger.info(`retained ${nevra} in ${v.repo}`, { repo: v.repo, nevra });
    result.retained++;
    result.downloaded++;
  } catch (e) {
    // Left pending: the next pass tries again while upstream still lists it.
    const msg = isYumvaultError(e) ? `${e.message} [${e.code}]` : (e as Error).message;
    deps.logger.warn(`cannot retain ${nevra} in ${v.repo}: ${msg}`, { repo: v.repo, nevra });
    result.failed.push({ nevra, error: msg });
  }
}

async function alreadyHeld(blobs: BlobStore, v: PackageVersion): Promise<string | null> {
  if (v.blobSha256 && (await blobs.has(v.blobSha256))) return v.blobSha256;
  if (v.checksumType === 'sha256' && isSha256Hex(v.pkgid) && (await blobs.has(v.pkgid))) return v.pkgid;
  return null;
}

/** Downloads into the blob store, verified by primary.xml's checksum (sha256 by the store itself). */
async function download(deps: RetainDeps, v: PackageVersion): Promise<string> {
  // A malformed entry in primary.xml fails this version alone (checked before anything is fetched).
  const algo = checksumAlgo(v.checksumType);
  if (!algo) throw new RepoMetadataError(`primary.xml checksum type '${v.checksumType}' is not supported for ${formatNevra(v)} (sha1, sha224, sha256, sha384, sha512, md5 are)`);
  const digits = v.pkgid.length;
  if (algo === 'sha256' && !isSha256Hex(v.pkgid)) {
    throw new RepoMetadataError(`primary.xml gives ${formatNevra(v)} a sha256 checksum of ${digits} hex digits (a sha256 has 64)`);
  }
  const source = await deps.upstream.download(v);
  if (algo === 'sha256') {
    return (await deps.blobs.put(source, { sha256: v.pkgid, size: v.size })).sha256;
  }
  // Another algorithm: hash alongside; bytes that fail it are not recorded (the orphan blob is harmless:
  // it is named by its own sha256 and nothing points at it).
  const hash = createHash(algo);
  const piped = (async function* () {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      yield chunk;
    }
  })();
  const put = await deps.blobs.put(piped, { size: v.size });
  const got = hash.digest('hex');
  if (got !== v.pkgid) throw new ChecksumMismatchError(`${formatNevra(v)}: ${algo} is ${got}, primary.xml says ${v.pkgid}`);
  return put.sha256;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
