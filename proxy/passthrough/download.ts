// Single-flight downloads: concurrent misses for one file make ONE upstream request. The body goes to a
// temp file (DATA/proxy/tmp) while it is hashed; every client tails that growing file as bytes arrive.
// The last byte is held back until the whole body verified against the expected checksum, so a client
// can never receive a complete body of wrong bytes: on a mismatch every client's connection is cut short
// (or answered 502 when nothing was sent yet) and nothing is stored. Only verified bytes reach the blob
// store, and only then does the path's cache entry name them.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumMismatchError, UpstreamError } from '../../src/errors.ts';
import type { BlobStore, PutResult } from '../../src/store/blobStore.ts';
import { statusError, toUpstreamError, type UpstreamResponse } from './upstream.ts';

export interface ExpectedChecksum {
  /** sha256, sha1, sha512… (node:crypto names). */
  algo: string;
  hex: string;
}

export interface DownloadSpec {
  url: string;
  checksum?: ExpectedChecksum | null;
  size?: number | null;
  /** Put verified bytes into the blob store (false: pass through only, e.g. a package no metadata lists). */
  store: boolean;
}

export interface DownloadResult extends PutResult {
  /** The blob store holds it (spec.store and verified). */
  stored: boolean;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

export class Download {
  readonly url: string;
  /** Total bytes, when upstream or the metadata said; null for a chunked body of unknown length. */
  size: number | null = null;
  contentType: string | null = null;
  etag: string | null = null;
  lastModified: string | null = null;
  written = 0;
  verified = false;
  failure: Error | null = null;
  /** Resolves once the body is verified (and stored, when asked); rejects on any failure. */
  readonly finished: Promise<DownloadResult>;
  private fh: FileHandle | null = null;
  private readers = 0;
  private closed = false;
  private settled = false;
  private waiters: (() => void)[] = [];
  private settleFinished!: { resolve: (r: DownloadResult) => void; reject: (e: Error) => void };

  constructor(url: string) {
    this.url = url;
    this.finished = new Promise((resolve, reject) => (this.settleFinished = { resolve, reject }));
    this.finished.catch(() => {}); // observed by readers; an unobserved failure is not a crash
  }

  /** Bytes a reader may take now: all of them once verified, else all but the last. */
  get available(): number {
    if (this.verified) return this.written;
    const cap = this.size === null ? this.written - 1 : Math.min(this.written, this.size - 1);
    return Math.max(0, cap);
  }

  get done(): boolean {
    return this.verified || this.failure !== null;
  }

  /** Waits for more bytes, verification or failure. */
  changed(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The temp file's descriptor for positional reads (valid after the unlink while the download is acquired). */
  get fd(): number {
    if (!this.fh) throw new Error('download has no body yet');
    return this.fh.fd;
  }

  acquire(): void {
    this.readers++;
  }

  release(): void {
    this.readers--;
    void this.maybeClose();
  }

  /** @internal */ notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** @internal */ attach(fh: FileHandle): void {
    this.fh = fh;
  }

  /** @internal */ fail(e: Error): void {
    if (this.failure || this.verified) return;
    this.failure = e;
    this.settled = true;
    this.notify();
    this.settleFinished.reject(e);
    void this.maybeClose();
  }

  /** @internal */ succeed(r: DownloadResult): void {
    this.settled = true;
    this.settleFinished.resolve(r);
    void this.maybeClose();
  }

  private async maybeClose(): Promise<void> {
    if (this.closed || this.readers > 0 || !this.settled) return;
    this.closed = true;
    await this.fh?.close().catch(() => {});
  }
}

export interface DownloadsOptions {
  dataDir: string;
  blobs: BlobStore;
  /** Bytes received from upstream (metrics). */
  onBytes?: (n: number) => void;
}

/** The in-flight downloads of one proxy process, by cache key. */
export class Downloads {
  private readonly tmpDir: string;
  private readonly blobs: BlobStore;
  private readonly onBytes: (n: number) => void;
  private readonly inflight = new Map<string, Download>();

  constructor(options: DownloadsOptions) {
    this.tmpDir = join(options.dataDir, 'proxy', 'tmp');
    this.blobs = options.blobs;
    this.onBytes = options.onBytes ?? (() => {});
  }

  /** Creates the temp directory and removes what a killed process left there. */
  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    for (const name of await readdir(this.tmpDir)) {
      const pid = Number(name.split('.')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
      await rm(join(this.tmpDir, name), { force: true });
    }
  }

  get(key: string): Download | undefined {
    return this.inflight.get(key);
  }

  get size(): number {
    return this.inflight.size;
  }

  /** Waits (at most `ms`) for the downloads in flight to end, so a stop leaves no half-stored blob. */
  async drain(ms: number): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    const all = Promise.all([...this.inflight.values()].map((d) => d.finished.catch(() => {})));
    await Promise.race([all, new Promise<void>((resolve) => (t = setTimeout(resolve, ms)))]).finally(() => clearTimeout(t));
  }

  /**
   * The download for `key`: the running one, or a new one that `open()` starts. Resolves once the
   * response headers are known (the caller can answer its client), rejects when upstream refused.
   * The returned download is acquired for the caller, who must release() it when done reading.
   * `onVerified` runs after the bytes are stored (write the cache entry there) and before the download
   * stops being findable, so a later request finds either the download or the entry.
   */
  async join(
    key: string,
    spec: DownloadSpec,
    open: () => Promise<UpstreamResponse>,
    onVerified: (r: DownloadResult) => Promise<void>,
  ): Promise<Download> {
    let dl = this.inflight.get(key) as (Download & { headersKnown: Promise<void> }) | undefined;
    // A failed download may linger for a moment before it leaves the map: never join it.
    if (!dl || dl.failure) {
      dl = new Download(spec.url) as Download & { headersKnown: Promise<void> };
      this.inflight.set(key, dl);
      dl.headersKnown = this.run(key, dl, spec, open, onVerified);
      dl.headersKnown.catch(() => {});
    }
    // Acquired before waiting: the temp file's handle stays open until this caller released it.
    dl.acquire();
    try {
      await dl.headersKnown;
    } catch (e) {
      dl.release();
      throw e;
    }
    return dl;
  }

  private run(key: string, dl: Download, spec: DownloadSpec, open: () => Promise<UpstreamResponse>, onVerified: (r: DownloadResult) => Promise<void>): Promise<void> {
    let headersDone!: () => void;
    let headersFailed!: (e: Error) => void;
    const headers = new Promise<void>((resolve, reject) => ((headersDone = resolve), (headersFailed = reject)));
    const tmp = join(this.tmpDir, `${process.pid}.${randomBytes(8).toString('hex')}.part`);
    let fh: FileHandle | null = null;
    let res: UpstreamResponse | null = null;
    const work = async () => {
      res = await open();
      if (res.status !== 200) {
        res.body.resume();
        throw statusError(spec.url, res.status);
      }
      const lengthHeader = res.headers['content-length'];
      const length = lengthHeader === undefined ? null : Number(lengthHeader);
      if (res.headers['content-encoding'] && res.headers['content-encoding'] !== 'identity') {
        throw new UpstreamError(`upstream sent ${spec.url} with content-encoding ${res.headers['content-encoding']}`, { status: 502 });
      }
      if (spec.size != null && length !== null && length !== spec.size) {
        throw new ChecksumMismatchError(`upstream sent ${length} bytes for ${spec.url}; the metadata says ${spec.size}`);
      }
      dl.size = spec.size ?? (length !== null && Number.isSafeInteger(length) ? length : null);
      dl.contentType = header(res.headers['content-type']);
      dl.etag = header(res.headers.etag);
      dl.lastModified = header(res.headers['last-modified']);
      fh = await open_(tmp);
      dl.attach(fh);
      headersDone();

      const sha256 = createHash('sha256');
      const other: Hash | null = spec.checksum && spec.checksum.algo !== 'sha256' ? createHash(spec.checksum.algo) : null;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (dl.size !== null && dl.written + chunk.length > dl.size) {
          throw new ChecksumMismatchError(`upstream sent more than the ${dl.size} bytes expected for ${spec.url}`);
        }
        sha256.update(chunk);
        other?.update(chunk);
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, dl.written + off);
          off += bytesWritten;
        }
        dl.written += chunk.length;
        this.onBytes(chunk.length);
        dl.notify();
      }
      if (dl.size !== null && dl.written !== dl.size) {
        throw new UpstreamError(`upstream closed ${spec.url} after ${dl.written} of ${dl.size} bytes`, { status: 502 });
      }
      const hex = sha256.digest('hex');
      if (spec.checksum) {
        const got = other ? other.digest('hex') : hex;
        if (got !== spec.checksum.hex) {
          throw new ChecksumMismatchError(`${spec.url}: ${spec.checksum.algo} is ${got}, the metadata says ${spec.checksum.hex}`);
        }
      }
      dl.size = dl.written;
      dl.verified = true;
      dl.notify();
      const result: DownloadResult = {
        sha256: hex, size: dl.written, stored: false, contentType: dl.contentType, etag: dl.etag, lastModified: dl.lastModified,
      };
      if (spec.store) {
        // The blob store verifies again while copying: a bit flipped on disk in between is caught too.
        await this.blobs.put(createReadStream(tmp), { sha256: hex, size: dl.written });
        result.stored = true;
        await onVerified(result);
      }
      // The temp file goes before anyone hears the outcome (readers hold its handle, which outlives it):
      // whoever got the answer finds nothing left behind.
      await rm(tmp, { force: true }).catch(() => {});
      dl.succeed(result);
    };
    work()
      .catch(async (e: unknown) => {
        const err = e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('YV_') ? (e as Error) : toUpstreamError(spec.url, e);
        (res as UpstreamResponse | null)?.body.destroy();
        await rm(tmp, { force: true }).catch(() => {});
        headersFailed(err);
        dl.fail(err);
      })
      .finally(async () => {
        if (this.inflight.get(key) === dl) this.inflight.delete(key);
        await rm(tmp, { force: true });
      });
    return headers;
  }
}

async function open_(path: string): Promise<FileHandle> {
  // 'w+': readers read through this same handle (positional reads), so the file can be unlinked early.
  return open(path, 'w+', 0o600);
}

function header(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
