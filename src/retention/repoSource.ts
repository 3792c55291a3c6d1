// The production UpstreamSource: repomd.xml, primary.xml and updateinfo.xml of an HTTP(S) yum repository,
// parsed as streams by src/repo, read through src/repo's transport (undici with retries, or file://; the
// dispatcher is injected so tests can fault the network).
import { createHash } from 'node:crypto';
import { ChecksumMismatchError, RepoMetadataError } from '../errors.ts';
import { createTransport, normaliseBase, type HttpOptions, type Transport } from '../repo/transport.ts';
import { streamPrimary } from '../repo/primary.ts';
import { parseRepomd, repomdEntry, type Repomd, type RepomdEntry } from '../repo/repomd.ts';
import type { ListedPackage } from '../store/catalog.ts';
import { streamUpdateinfo } from '../repo/updateinfo.ts';
import type { Advisory, UpstreamSnapshot, UpstreamSource } from './upstream.ts';

export interface HttpSourceOptions {
  /** Repository base URL (http(s)://, file:// or a path). */
  baseUrl: string;
  /** How bytes are read (default: src/repo's transport for baseUrl, with `http` options). */
  transport?: Transport;
  /** Dispatcher, timeouts and retries for the default transport. */
  http?: HttpOptions;
  /** Shorthands for http.headersTimeoutMs and http.bodyIdleTimeoutMs. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export class HttpUpstreamSource implements UpstreamSource {
  private readonly baseUrl: string;
  private readonly transport: Transport;
  private readonly repomds = new Map<string, Repomd>();

  constructor(opts: HttpSourceOptions) {
    this.baseUrl = normaliseBase(opts.baseUrl);
    const http: HttpOptions = { ...opts.http };
    if (opts.headersTimeoutMs !== undefined) http.headersTimeoutMs ??= opts.headersTimeoutMs;
    if (opts.bodyTimeoutMs !== undefined) http.bodyIdleTimeoutMs ??= opts.bodyTimeoutMs;
    this.transport = opts.transport ?? createTransport(this.baseUrl, http);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  async snapshot(): Promise<UpstreamSnapshot> {
    const body = await this.open('repodata/repomd.xml');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of body) {
      size += c.length;
      if (size > 16 * 1024 * 1024) throw new RepoMetadataError(`${this.baseUrl}repodata/repomd.xml is over 16 MiB`);
      chunks.push(c);
    }
    const repomd = await parseRepomd(Buffer.concat(chunks), `${this.baseUrl}repodata/repomd.xml`);
    const primary = repomdEntry(repomd, 'primary');
    if (!primary) throw new RepoMetadataError(`${this.baseUrl}repodata/repomd.xml lists no primary`);
    const updateinfo = repomdEntry(repomd, 'updateinfo');
    const scanId = `${repomd.revision}:${primary.checksum.type}:${primary.checksum.value}`;
    this.repomds.set(scanId, repomd);
    // A long-running serve sees a new revision every few hours: keep only the latest few.
    while (this.repomds.size > 4) this.repomds.delete(this.repomds.keys().next().value!);
    return { scanId, revision: repomd.revision, updateinfoId: updateinfo ? `${updateinfo.checksum.type}:${updateinfo.checksum.value}` : null };
  }

  async *packages(snap: UpstreamSnapshot): AsyncIterable<ListedPackage> {
    const entry = this.entry(snap, 'primary')!;
    const verified = this.verifiedBody(entry);
    for await (const p of streamPrimary(verified, { fileName: entry.location })) {
      yield {
        name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch,
        pkgid: p.checksum.value, checksumType: p.checksum.type,
        location: p.location.href, locationBase: p.location.base ?? null, size: p.size.package,
      };
    }
  }

  async *advisories(snap: UpstreamSnapshot): AsyncIterable<Advisory> {
    const entry = this.entry(snap, 'updateinfo');
    if (!entry) return;
    yield* streamUpdateinfo(this.verifiedBody(entry), entry.location);
  }

  async download(pkg: Pick<ListedPackage, 'location' | 'locationBase'>): Promise<AsyncIterable<Uint8Array>> {
    return this.open(pkg.location, pkg.locationBase ?? undefined);
  }

  private entry(snap: UpstreamSnapshot, type: string): RepomdEntry | undefined {
    const repomd = this.repomds.get(snap.scanId);
    if (!repomd) throw new RepoMetadataError(`no repomd.xml read for ${snap.scanId}`);
    return repomdEntry(repomd, type);
  }

  /** The file's bytes, hashed as they pass; a mismatch at the end is a ChecksumMismatchError. */
  private async *verifiedBody(entry: RepomdEntry): AsyncGenerator<Uint8Array> {
    const body = await this.open(entry.location, entry.locationBase);
    const algo = entry.checksum.type === 'sha' ? 'sha1' : entry.checksum.type;
    const hash = createHash(algo);
    for await (const c of body) {
      hash.update(c);
      yield c;
    }
    const got = hash.digest('hex');
    if (got !== entry.checksum.value) throw new ChecksumMismatchError(`${entry.location}: ${algo} is ${got}, repomd.xml says ${entry.checksum.value}`);
  }

  private async open(href: string, base?: string): Promise<AsyncIterable<Uint8Array>> {
    // xml:base moves a file elsewhere: the transport takes an absolute URL for those.
    const location = base ? new URL(href, normaliseBase(base)).href : href;
    return (await this.transport.open(location)).body;
  }
}
