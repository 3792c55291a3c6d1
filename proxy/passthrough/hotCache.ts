// The hottest blobs in memory (least recently used out first, bounded in bytes and per item): a package
// many clients fetch is answered with one socket write from a buffer, instead of an open, reads through
// libuv's thread pool and a close each time. Blobs are immutable and named by their sha256, so a buffer
// can never go stale; each is checked against its name when it is loaded.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export class HotBlobCache {
  private readonly maxBytes: number;
  private readonly maxItemBytes: number;
  private readonly items = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer | null>>();
  private bytes = 0;

  constructor(maxBytes: number, maxItemBytes = Math.min(8 * 1024 * 1024, maxBytes / 8)) {
    this.maxBytes = maxBytes;
    this.maxItemBytes = maxItemBytes;
  }

  /** Would a blob of this size be kept? */
  fits(size: number): boolean {
    return this.maxBytes > 0 && size <= this.maxItemBytes;
  }

  /** The blob's bytes from memory, loading them from `path` on first use; null when it cannot be had. */
  async get(sha256: string, path: string, size: number): Promise<Buffer | null> {
    const hit = this.items.get(sha256);
    if (hit) {
      this.items.delete(sha256); // re-insert: Map order is the recency order
      this.items.set(sha256, hit);
      return hit;
    }
    if (!this.fits(size)) return null;
    let p = this.loading.get(sha256);
    if (!p) {
      p = this.load(sha256, path, size).finally(() => this.loading.delete(sha256));
      this.loading.set(sha256, p);
    }
    return p;
  }

  private async load(sha256: string, path: string, size: number): Promise<Buffer | null> {
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch {
      return null;
    }
    if (buf.length !== size || createHash('sha256').update(buf).digest('hex') !== sha256) return null;
    this.items.set(sha256, buf);
    this.bytes += buf.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.length;
    }
    return buf;
  }
}
