// Which blob answers a path of an upstream repository: DATA/proxy/index/<repo>/<sha256(path)>.json, one
// small JSON file per cached path, written atomically after the blob it names is durable. A crash leaves
// either the old entry or the new one, never an entry naming bytes that are not there. File names are
// hashes: no request path ever becomes a file name.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/util/fs.ts';
import { isSha256Hex } from '../../src/store/blobStore.ts';

export interface CacheEntry {
  path: string;
  blob: string;
  size: number;
  /** When upstream last confirmed these bytes (ms since the epoch); mutable files revalidate after a TTL. */
  checkedAt: number;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  /** "algo:hex" the bytes were verified against (metadata checksum), when there was one. */
  checksum?: string | null;
}

export class CacheIndex {
  private readonly root: string;
  /** Entries read or written by this process (bounded; immutable entries never change). */
  private readonly memo = new Map<string, CacheEntry>();
  private readonly maxMemo: number;

  constructor(dataDir: string, maxMemo = 100_000) {
    this.root = join(dataDir, 'proxy', 'index');
    this.maxMemo = maxMemo;
  }

  private fileFor(repo: string, path: string): string {
    const h = createHash('sha256').update(path).digest('hex');
    return join(this.root, repo, h.slice(0, 2), `${h}.json`);
  }

  async get(repo: string, path: string): Promise<CacheEntry | null> {
    const key = `${repo}\0${path}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    let text: string;
    try {
      text = await readFile(this.fileFor(repo, path), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let entry: CacheEntry;
    try {
      entry = JSON.parse(text) as CacheEntry;
    } catch {
      return null; // unreadable entry: treat as a miss, the next fetch rewrites it
    }
    if (entry.path !== path || !isSha256Hex(entry.blob) || !Number.isSafeInteger(entry.size)) return null;
    this.remember(key, entry);
    return entry;
  }

  async set(repo: string, entry: CacheEntry): Promise<void> {
    await writeFileAtomic(this.fileFor(repo, entry.path), JSON.stringify(entry));
    this.remember(`${repo}\0${entry.path}`, entry);
  }

  private remember(key: string, entry: CacheEntry): void {
    if (this.memo.size >= this.maxMemo) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(key, entry);
  }
}
