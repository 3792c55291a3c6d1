// The files a new repomd.xml lists, each cached and verified against the checksum repomd.xml gives before
// the revision is adopted (a client must never see a repomd.xml whose primary.xml 404s). A file an earlier
// revision already holds with the same checksum is not fetched again.
import type { Repomd } from '../../src/repo/repomd.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { RepoConfig } from '../config.ts';
import type { CacheIndex } from '../passthrough/cacheIndex.ts';
import type { Downloads } from '../passthrough/download.ts';
import type { UpstreamClient } from '../passthrough/upstream.ts';
import { encodePath } from '../paths.ts';
import { checksumAlgo } from '../../src/repo/repomd.ts';
import type { FileRef } from './revisions.ts';

export interface ListedDeps {
  repo: RepoConfig;
  blobs: BlobStore;
  index: CacheIndex;
  downloads: Downloads;
  upstream: UpstreamClient;
  now: () => number;
}

/** Every file the new repomd.xml lists, cached and verified (four at a time). */
export async function fetchListed(deps: ListedDeps, base: string, repomd: Repomd, known: (href: string) => FileRef | null): Promise<Record<string, FileRef>> {
  const entries = repomd.entries.filter((e) => !e.locationBase);
  const files: Record<string, FileRef> = {};
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const e = entries[next++]!;
      files[e.location] = await ensureListed(deps, known, base, e.location, e.checksum.type, e.checksum.value, e.size ?? null);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, entries.length) }, worker));
  return files;
}

async function ensureListed(deps: ListedDeps, known: (href: string) => FileRef | null, base: string, href: string, type: string, value: string, size: number | null): Promise<FileRef> {
  const algo = checksumAlgo(type);
  const checksum = algo ? `${algo}:${value}` : null;
  const had = known(href);
  if (had && checksum && had.checksum === checksum && (await deps.blobs.has(had.blob))) return had;
  const { repo, index, downloads, upstream, blobs, now } = deps;
  const entry = await index.get(repo.name, href);
  if (entry && checksum && entry.checksum === checksum && (await blobs.has(entry.blob))) return { blob: entry.blob, size: entry.size, checksum };
  const url = `${base}${encodePath(href)}`;
  const dl = await downloads.join(
    `${repo.name}\0${href}`,
    { url, checksum: algo ? { algo, hex: value } : null, size, store: true },
    () => upstream.get(url),
    (r) => index.set(repo.name, { path: href, blob: r.sha256, size: r.size, checkedAt: now(), etag: r.etag, lastModified: r.lastModified, contentType: r.contentType, checksum }),
  );
  try {
    const r = await dl.finished;
    return { blob: r.sha256, size: r.size, checksum };
  } finally {
    dl.release();
  }
}
