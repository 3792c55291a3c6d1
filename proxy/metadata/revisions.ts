// The metadata of one upstream repository as the proxy serves it: a sequence of revisions, each one
// repomd.xml with ITS repomd.xml.asc and repomd.xml.key and every file it lists. A new upstream repomd.xml
// is adopted only after all of that is cached and verified against the checksums it gives; until then
// clients keep getting the previous revision, whole and consistent (DESIGN.md "Metadata rules"). Earlier
// revisions stay servable: a client that read an older repomd.xml can still fetch what it lists.
//
// dnf (librepo 1.14) sends `Cache-Control: no-cache` and no conditional header for repomd.xml, so the
// proxy decides freshness itself: after the repo's TTL it asks upstream conditionally, and when upstream
// fails or hangs it serves what it has with a Warning header (stale-if-error, RFC 5861 / RFC 7234 §5.5).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UpstreamError } from '../../src/errors.ts';
import { parseRepomd, type Repomd } from '../../src/repo/repomd.ts';
import type { Logger } from '../../src/retention/logger.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import { writeFileAtomic } from '../../src/util/fs.ts';
import type { RepoConfig } from '../config.ts';
import type { CacheIndex } from '../passthrough/cacheIndex.ts';
import type { Downloads } from '../passthrough/download.ts';
import { statusError, type UpstreamClient } from '../passthrough/upstream.ts';
import { fetchListed } from './listedFiles.ts';
import { PrimaryIndex, type PackageExpectation } from './primaryIndex.ts';

export interface FileRef {
  blob: string;
  size: number;
  /** "algo:hex" from repomd.xml, for listed files. */
  checksum?: string | null;
}

export interface Revision {
  /** sha256 of the repomd.xml bytes. */
  id: string;
  /** repomd.xml's <revision>. */
  revision: string;
  repomd: FileRef;
  asc: FileRef | null;
  key: FileRef | null;
  /** Every file repomd.xml lists, by href. */
  files: Record<string, FileRef>;
  primary: string | null;
  etag: string | null;
  lastModified: string | null;
  adoptedAt: number;
}

interface RepoState {
  current: Revision | null;
  previous: Revision[];
}

export interface Served {
  ref: FileRef;
  revision: Revision;
  /** A Warning header value when the answer is stale because upstream failed. */
  warning: string | null;
}

export interface MetadataDeps {
  repo: RepoConfig;
  dataDir: string;
  blobs: BlobStore;
  index: CacheIndex;
  downloads: Downloads;
  upstream: UpstreamClient;
  /** The upstream base URL to use now (mirror lists may change it). */
  baseUrl: () => Promise<string>;
  logger: Logger;
  now: () => number;
  /** How long a request waits for a new revision's files before it is answered with the previous one. */
  adoptWaitMs?: number;
  onStale?: (repo: string) => void;
  /** A new upstream revision is being served (the server starts a monitor pass for the repo). */
  onAdopted?: (repo: string, revision: Revision) => void;
}

const KEEP_PREVIOUS = 5;
const MAX_REPOMD_BYTES = 16 * 1024 * 1024;
const CLIENT_MEMORY_MS = 10 * 60_000;
const MAX_CLIENTS = 10_000;

export class RepoMetadata {
  private readonly deps: MetadataDeps;
  private readonly stateFile: string;
  private state: RepoState = { current: null, previous: [] };
  private checkedAt = 0;
  private revalidating: Promise<void> | null = null;
  private revalidatingSince = 0;
  private readonly indexes = new Map<string, Promise<PrimaryIndex | null>>();
  /** Which revision each client last got repomd.xml from: its .asc and .key must come from the same one. */
  private readonly clients = new Map<string, { id: string; at: number }>();

  constructor(deps: MetadataDeps) {
    this.deps = deps;
    this.stateFile = join(deps.dataDir, 'proxy', 'repos', `${deps.repo.name}.json`);
  }

  get current(): Revision | null {
    return this.state.current;
  }

  get revisions(): Revision[] {
    return this.state.current ? [this.state.current, ...this.state.previous] : [];
  }

  async load(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(this.stateFile, 'utf8')) as RepoState;
      if (parsed && typeof parsed === 'object' && 'current' in parsed) this.state = { current: parsed.current ?? null, previous: parsed.previous ?? [] };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.deps.logger.warn(`${this.deps.repo.name}: unreadable metadata state, starting afresh: ${(e as Error).message}`);
    }
  }

  /** repomd.xml for `client`: fresh within the TTL, else revalidated; stale with a warning when upstream fails. */
  async repomd(client: string): Promise<Served> {
    const warning = await this.refreshIfDue();
    const rev = this.state.current!;
    this.remember(client, rev.id);
    return { ref: rev.repomd, revision: rev, warning };
  }

  /** repomd.xml.asc / .key of the revision whose repomd.xml this client got; null when upstream has none. */
  async companion(name: 'repomd.xml.asc' | 'repomd.xml.key', client: string): Promise<Served | null> {
    let warning: string | null = null;
    if (!this.state.current) warning = await this.refreshIfDue();
    const seen = this.clients.get(client);
    const rev = (seen && this.deps.now() - seen.at < CLIENT_MEMORY_MS && this.revisions.find((r) => r.id === seen.id)) || this.state.current!;
    const ref = name === 'repomd.xml.asc' ? rev.asc : rev.key;
    return ref ? { ref, revision: rev, warning } : null;
  }

  /** A file some served revision lists (newest first). */
  listedFile(href: string): FileRef | null {
    for (const rev of this.revisions) {
      const ref = rev.files[href];
      if (ref) return ref;
    }
    return null;
  }

  /** What primary.xml (of the current revision, else an earlier one) says a package's bytes are. */
  async expectationFor(location: string): Promise<PackageExpectation | null> {
    for (const rev of this.revisions) {
      const index = await this.primaryIndex(rev);
      const hit = index?.lookup(location);
      if (hit) return hit;
    }
    return null;
  }

  private primaryIndex(rev: Revision): Promise<PrimaryIndex | null> {
    let p = this.indexes.get(rev.id);
    if (!p) {
      const ref = rev.primary ? rev.files[rev.primary] : undefined;
      p = ref
        ? PrimaryIndex.build(this.deps.blobs, ref.blob, rev.primary!).catch((e: unknown) => {
            this.deps.logger.error(`${this.deps.repo.name}: cannot index ${rev.primary}: ${(e as Error).message}`);
            this.indexes.delete(rev.id);
            return null;
          })
        : Promise.resolve(null);
      this.indexes.set(rev.id, p);
    }
    return p;
  }

  private remember(client: string, id: string): void {
    this.clients.delete(client);
    if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
    this.clients.set(client, { id, at: this.deps.now() });
  }

  /** Revalidates when the TTL ran out; answers the Warning to send, or throws when there is nothing to serve. */
  private async refreshIfDue(): Promise<string | null> {
    const { now, repo } = this.deps;
    if (this.state.current && now() - this.checkedAt < repo.metadataTtlMs) return null;
    const work = this.revalidate();
    try {
      if (!this.state.current) {
        await work;
        return null;
      }
      // A new revision may take a while to fetch whole: past adoptWaitMs clients get the previous one.
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        work.then(() => 'done' as const),
        // Measured from the start of the revalidation: later requests do not wait the whole time again.
        new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, this.revalidatingSince + (this.deps.adoptWaitMs ?? 5_000) - Date.now())))),
      ]).finally(() => clearTimeout(timer));
      return waited === 'late' ? '110 - "Response is Stale"' : null;
    } catch (e) {
      if (!this.state.current) throw e;
      this.deps.onStale?.(repo.name);
      this.deps.logger.warn(`${repo.name}: serving cached repomd.xml: ${(e as Error).message}`);
      const timeout = e instanceof UpstreamError && e.status === 504;
      return timeout ? '110 - "Response is Stale"' : '111 - "Revalidation Failed"';
    }
  }

  /** One revalidation per repo at a time; concurrent callers share it. */
  revalidate(): Promise<void> {
    if (!this.revalidating) {
      this.revalidatingSince = Date.now();
      this.revalidating = this.doRevalidate().finally(() => {
        this.revalidating = null;
      });
    }
    return this.revalidating;
  }

  private async doRevalidate(): Promise<void> {
    const cur = this.state.current;
    for (let attempt = 0; attempt < 3; attempt++) {
      const base = await this.deps.baseUrl();
      const url = `${base}repodata/repomd.xml`;
      const conditional: Record<string, string> = {};
      if (cur?.etag) conditional['if-none-match'] = cur.etag;
      if (cur?.lastModified) conditional['if-modified-since'] = cur.lastModified;
      const res = await this.deps.upstream.get(url, conditional);
      if (res.status === 304 && cur) {
        res.body.resume();
        this.checkedAt = this.deps.now();
        return;
      }
      if (res.status !== 200) {
        res.body.resume();
        throw statusError(url, res.status);
      }
      const bytes = await readAll(res.body, MAX_REPOMD_BYTES, url);
      const id = sha256(bytes);
      if (cur && id === cur.id) {
        cur.etag = header(res.headers.etag) ?? cur.etag;
        cur.lastModified = header(res.headers['last-modified']) ?? cur.lastModified;
        this.checkedAt = this.deps.now();
        return;
      }
      let repomd: Repomd;
      try {
        repomd = await parseRepomd(bytes, `${this.deps.repo.name} repomd.xml`);
      } catch (e) {
        throw new UpstreamError(`upstream ${url} is not a valid repomd.xml: ${(e as Error).message}`, { status: 502 });
      }
      const asc = await this.fetchOptional(`${base}repodata/repomd.xml.asc`);
      const key = await this.fetchOptional(`${base}repodata/repomd.xml.key`);
      if (asc || key) {
        // A mirror updates repomd.xml and its signature in two steps: confirm we got one pair.
        const again = await this.deps.upstream.get(url);
        if (again.status !== 200 || sha256(await readAll(again.body, MAX_REPOMD_BYTES, url)) !== id) continue;
      }
      const files = await fetchListed(this.deps, base, repomd, (href) => this.listedFile(href));
      const rev: Revision = {
        id,
        revision: repomd.revision,
        repomd: await this.putBytes(bytes),
        asc: asc ? await this.putBytes(asc) : null,
        key: key ? await this.putBytes(key) : null,
        files,
        primary: repomd.entries.find((e) => e.type === 'primary' && !e.locationBase)?.location ?? null,
        etag: header(res.headers.etag),
        lastModified: header(res.headers['last-modified']),
        adoptedAt: this.deps.now(),
      };
      const previous = [cur, ...this.state.previous].filter((r): r is Revision => r !== null && r.id !== id).slice(0, KEEP_PREVIOUS);
      const next: RepoState = { current: rev, previous };
      await writeFileAtomic(this.stateFile, JSON.stringify(next));
      this.state = next;
      this.checkedAt = this.deps.now();
      for (const key of this.indexes.keys()) if (!this.revisions.some((r) => r.id === key)) this.indexes.delete(key);
      void this.primaryIndex(rev);
      this.deps.onAdopted?.(this.deps.repo.name, rev);
      this.deps.logger.info(`${this.deps.repo.name}: serving upstream revision ${rev.revision} (${Object.keys(files).length} files)`, {
        repo: this.deps.repo.name, revision: rev.revision,
      });
      return;
    }
    throw new UpstreamError(`upstream ${this.deps.repo.name} repomd.xml kept changing while its signature was fetched`, { status: 502 });
  }

  private async fetchOptional(url: string): Promise<Buffer | null> {
    const res = await this.deps.upstream.get(url);
    if (res.status === 404 || res.status === 410 || res.status === 403) {
      res.body.resume();
      return null;
    }
    if (res.status !== 200) {
      res.body.resume();
      throw statusError(url, res.status);
    }
    return readAll(res.body, MAX_REPOMD_BYTES, url);
  }

  private async putBytes(bytes: Buffer): Promise<FileRef> {
    const r = await this.deps.blobs.put(Readable.from([bytes]));
    return { blob: r.sha256, size: r.size };
  }
}

async function readAll(body: AsyncIterable<Buffer>, limit: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > limit) throw new UpstreamError(`upstream ${url} is larger than ${limit} bytes`, { status: 502 });
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function header(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}
