// RepoClient: reads one yum repository (http(s)://, file:// or a plain path) — repomd.xml, primary and
// updateinfo as streams, single files and byte ranges, a package's headers only (Range), and whole
// packages verified against primary's checksum while they stream. Network policy (timeouts, retries,
// user agent) lives in transport.ts; this file knows the repository layout.

import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Nevra } from '../rpm/types.ts';
import { ChecksumMismatchError, RepoMetadataError, UpstreamError } from '../errors.ts';
import { checksumAlgo, parseRepomd, repomdEntry, type Checksum, type Repomd, type RepomdEntry } from './repomd.ts';
import { streamPrimary, type PrimaryPackage } from './primary.ts';
import { formatNevra, nevraKey } from '../rpm/nevra.ts';
import { streamUpdateinfo, type Advisory } from './updateinfo.ts';
import { createTransport, isNotFound, normaliseBase, type ByteRange, type HttpOptions, type Transport } from './transport.ts';
import { parseRpmPackageBytes, rpmHeaderNeededBytes, type RandomAccessReader, type RpmPackage } from '../rpm/package.ts';
import { Limiter } from './limiter.ts';

export interface RepoClientOptions extends HttpOptions {
  /** Requests in flight at once (downloads, ranges, metadata). Default 8. */
  concurrency?: number;
  /** A transport to read through (shared with its owner; close() closes it). Default: one for baseUrl. */
  transport?: Transport;
}

/** What the client keeps per package in its NEVRA index (no dependencies, files or texts). */
export type PackageRef = Pick<PrimaryPackage, 'name' | 'epoch' | 'version' | 'release' | 'arch' | 'checksum' | 'pkgid' | 'location' | 'size' | 'time' | 'headerRange' | 'sourceRpm'>;

export interface RemoteHeaderBytes {
  /** The package's first bytes: lead, signature header (with padding) and main header. */
  bytes: Buffer;
  /** How many range requests it took. */
  requests: number;
}

export class RepoClient {
  readonly baseUrl: string;
  private readonly transport: Transport;
  private readonly limiter: Limiter;
  private repomdCache: Promise<Repomd> | undefined;
  private index: Promise<Map<string, PackageRef[]>> | undefined;

  constructor(baseUrl: string, opts: RepoClientOptions = {}) {
    this.baseUrl = normaliseBase(baseUrl);
    this.transport = opts.transport ?? createTransport(this.baseUrl, opts);
    this.limiter = new Limiter(opts.concurrency ?? 8);
  }

  /** Fetches and parses repodata/repomd.xml (each call fetches anew and resets the package index). */
  async fetchRepomd(): Promise<Repomd> {
    const p = this.fetchBuffer('repodata/repomd.xml', undefined, undefined, MAX_REPOMD_BYTES).then((b) => parseRepomd(b, `${this.baseUrl}repodata/repomd.xml`));
    this.repomdCache = p;
    this.index = undefined;
    p.catch(() => {
      if (this.repomdCache === p) this.repomdCache = undefined;
    });
    return p;
  }

  /** The last fetched repomd.xml, fetching it once if needed. */
  repomd(): Promise<Repomd> {
    return this.repomdCache ?? this.fetchRepomd();
  }

  /**
   * Streams primary's packages (decompressed, parsed one by one). The compressed bytes are hashed on the
   * way: a primary that does not match repomd's checksum fails at its end with ChecksumMismatchError.
   */
  async *streamPrimary(repomd?: Repomd): AsyncGenerator<PrimaryPackage> {
    const opened = await this.openMetadata('primary', repomd);
    if (!opened) throw new RepoMetadataError(`${this.baseUrl}repodata/repomd.xml lists no primary`);
    yield* streamPrimary(opened.bytes, { fileName: this.baseUrl + opened.entry.location });
  }

  /** Streams updateinfo's advisories; nothing when the repository has no updateinfo. */
  async *streamUpdateinfo(repomd?: Repomd): AsyncGenerator<Advisory> {
    const opened = await this.openMetadata('updateinfo', repomd);
    if (!opened) return;
    yield* streamUpdateinfo(opened.bytes, this.baseUrl + opened.entry.location);
  }

  /**
   * Opens the metadata file of `type`. When the repomd was not given and the file is gone (a mirror
   * published a new revision since we read repomd.xml), repomd.xml is fetched again once.
   */
  private async openMetadata(type: string, given: Repomd | undefined): Promise<{ entry: RepomdEntry; bytes: AsyncIterable<Uint8Array> } | undefined> {
    let md = given ?? (await this.repomd());
    for (let attempt = 0; ; attempt++) {
      const entry = repomdEntry(md, type);
      if (!entry) return undefined;
      const it = this.verifiedMetadata(entry);
      try {
        const first = await it.next();
        const bytes = (async function* () {
          if (!first.done) yield first.value;
          yield* it;
        })();
        return { entry, bytes };
      } catch (e) {
        if (given || attempt > 0 || !isNotFound(e)) throw e;
        md = await this.fetchRepomd();
      }
    }
  }

  /** A metadata file's bytes as they stream, checked against repomd's checksum when the stream ends. */
  async *verifiedMetadata(entry: RepomdEntry): AsyncGenerator<Uint8Array> {
    const hash = createHasher(entry.checksum, entry.location);
    for await (const chunk of this.openStream(entry.location, undefined, entry.locationBase)) {
      hash.update(chunk);
      yield chunk;
    }
    const got = hash.digest('hex');
    if (got !== entry.checksum.value) {
      throw new ChecksumMismatchError(`${this.baseUrl}${entry.location}: ${entry.checksum.type} is ${got}, repomd.xml says ${entry.checksum.value}`);
    }
  }

  /**
   * A file of the repository as a stream (relative to the base, or absolute when `base` — an xml:base —
   * is given). With `range` only those bytes (end exclusive) are read, whether or not the server honours
   * Range. HTTP failures are UpstreamError (status 404 for a missing file).
   */
  openFile(relPath: string, opts: { range?: ByteRange; base?: string } = {}): Readable {
    return Readable.from(this.openStream(relPath, opts.range, opts.base), { objectMode: false });
  }

  /** Bytes [start, end) of a file, whole in memory (for headers and other small reads). Retried. */
  async fetchRange(relPath: string, start: number, end: number, base?: string): Promise<Buffer> {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start)) {
      throw new RangeError(`fetchRange: bad range [${start}, ${end})`);
    }
    if (end === start) return Buffer.alloc(0);
    return this.fetchBuffer(relPath, { start, end }, base);
  }

  /**
   * The lead, signature and main header of a package, fetched with Range: one request when primary
   * gives the header range, else two or three growing requests.
   */
  async readRemoteHeaderBytes(pkg: Pick<PackageRef, 'location' | 'headerRange'>): Promise<RemoteHeaderBytes> {
    const loc = pkg.location;
    let have = Buffer.alloc(0);
    let requests = 0;
    // primary.xml's header-range is a hint from upstream: a bogus one (say, end = 1 TB) must not pull a whole
    // package into memory, so the first read is capped; a real header beyond the cap takes one more round.
    let want = pkg.headerRange && pkg.headerRange.end > 0 ? Math.min(pkg.headerRange.end, MAX_HINTED_HEADER_BYTES) : 4096;
    for (let i = 0; i < 6; i++) {
      if (want > have.length) {
        const more = await this.fetchRange(loc.href, have.length, want, loc.base);
        requests++;
        have = Buffer.concat([have, more]);
      }
      const need = rpmHeaderNeededBytes(have);
      if (need <= have.length) return { bytes: have.subarray(0, need), requests };
      if (have.length < want) throw new UpstreamError(`${this.baseUrl}${loc.href}: package ends after ${have.length} bytes, inside its headers`);
      // At most three rounds without header-range: lead + signature intro, main intro, main header.
      want = need;
    }
    throw new UpstreamError(`${this.baseUrl}${loc.href}: could not read the package headers`);
  }

  /**
   * The package's lead, signature and main header, parsed (src/rpm/package.ts), fetched with Range
   * requests only: the payload is never downloaded. RpmFormatError when the bytes are not an rpm.
   */
  async readRemoteHeader(pkg: Pick<PackageRef, 'location' | 'headerRange'>): Promise<RpmPackage> {
    const { bytes } = await this.readRemoteHeaderBytes(pkg);
    return parseRpmPackageBytes(bytes);
  }

  /** Random access to one file of the repository through Range requests (for src/rpm's readers). */
  reader(relPath: string, opts: { base?: string; size?: number } = {}): RandomAccessReader {
    return {
      ...(opts.size !== undefined ? { size: opts.size } : {}),
      read: (offset, length) => this.fetchRange(relPath, offset, offset + length, opts.base),
    };
  }

  /**
   * Streams the package to `dest`, hashing on the way; rejects with ChecksumMismatchError when the
   * bytes do not match primary's checksum (or size). `dest` is ended on success; on failure it is
   * destroyed, so write to a temporary file and rename on success.
   */
  async downloadPackage(pkg: Pick<PackageRef, 'name' | 'epoch' | 'version' | 'release' | 'arch' | 'location' | 'checksum' | 'size'>, dest: Writable): Promise<{ size: number; checksum: Checksum }> {
    const hash = createHasher(pkg.checksum, pkg.location.href);
    let size = 0;
    try {
      for await (const chunk of this.openStream(pkg.location.href, undefined, pkg.location.base)) {
        hash.update(chunk);
        size += chunk.length;
        if (!dest.write(chunk)) await waitDrain(dest);
      }
      const got = hash.digest('hex');
      if (got !== pkg.checksum.value || (pkg.size.package > 0 && size !== pkg.size.package)) {
        throw new ChecksumMismatchError(
          `${formatNevra(pkg)} from ${this.baseUrl}${pkg.location.href}: ${pkg.checksum.type} ${got} (${size} bytes), primary.xml says ${pkg.checksum.value} (${pkg.size.package} bytes)`,
        );
      }
      dest.end();
      await finished(dest);
      return { size, checksum: { type: pkg.checksum.type, value: got } };
    } catch (e) {
      dest.destroy();
      throw e;
    }
  }

  /** The packages with exactly this NEVRA (usually one). The index is built once per repomd, streaming. */
  async findPackages(nevra: Nevra): Promise<PackageRef[]> {
    const index = await (this.index ??= this.buildIndex());
    return index.get(nevraKey(nevra)) ?? [];
  }

  /** The package with exactly this NEVRA, or undefined. */
  async findPackage(nevra: Nevra): Promise<PackageRef | undefined> {
    return (await this.findPackages(nevra))[0];
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async buildIndex(): Promise<Map<string, PackageRef[]>> {
    const map = new Map<string, PackageRef[]>();
    try {
      for await (const p of this.streamPrimary()) {
        const ref: PackageRef = {
          name: p.name,
          epoch: p.epoch,
          version: p.version,
          release: p.release,
          arch: p.arch,
          checksum: p.checksum,
          location: p.location,
          size: p.size,
          time: p.time,
          sourceRpm: p.sourceRpm,
          ...(p.pkgid ? { pkgid: p.pkgid } : {}),
          ...(p.headerRange ? { headerRange: p.headerRange } : {}),
        };
        const key = nevraKey(p);
        const list = map.get(key);
        if (list) list.push(ref);
        else map.set(key, [ref]);
      }
    } catch (e) {
      this.index = undefined;
      throw e;
    }
    return map;
  }

  private async fetchBuffer(relPath: string, range?: ByteRange, base?: string, maxBytes = Infinity): Promise<Buffer> {
    // The transport retries failures before the body starts; a body cut mid-way is retried here once
    // more per attempt, since a small read is cheap to repeat.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const parts: Uint8Array[] = [];
        let size = 0;
        for await (const c of this.openStream(relPath, range, base)) {
          size += c.length;
          if (size > maxBytes) throw new RepoMetadataError(`${this.baseUrl}${relPath} is larger than ${maxBytes} bytes; not a repository file`);
          parts.push(c);
        }
        return Buffer.concat(parts);
      } catch (e) {
        lastError = e;
        const bodyCut = e instanceof UpstreamError && (e.status === 200 || e.status === 206);
        if (!bodyCut) throw e;
      }
    }
    throw lastError;
  }

  private async *openStream(relPath: string, range: ByteRange | undefined, base: string | undefined): AsyncGenerator<Uint8Array> {
    const location = base ? new URL(relPath, normaliseBase(base)).href : relPath;
    const release = await this.limiter.acquire();
    try {
      const file = await this.transport.open(location, range);
      try {
        yield* file.body;
      } finally {
        file.abort();
      }
    } finally {
      release();
    }
  }
}

/** The most a header-range hint makes us read at once (real lead + headers are KBs to a few MB). */
const MAX_HINTED_HEADER_BYTES = 16 * 1024 * 1024;

/** repomd.xml is a few KB; a mirror answering with something huge is not serving a repository. */
const MAX_REPOMD_BYTES = 16 * 1024 * 1024;

function createHasher(c: Checksum, what: string) {
  const algo = checksumAlgo(c.type);
  if (!algo) throw new RepoMetadataError(`${what}: checksum type '${c.type}' is not supported`);
  return createHash(algo);
}

function waitDrain(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      w.off('drain', done);
      w.off('error', fail);
      w.off('close', done);
      resolve();
    };
    const fail = (e: Error) => {
      w.off('drain', done);
      w.off('close', done);
      reject(e);
    };
    w.once('drain', done);
    w.once('error', fail);
    w.once('close', done);
  });
}
