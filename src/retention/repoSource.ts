// The production UpstreamSource: repomd.xml, primary.xml and updateinfo.xml of an HTTP(S) yum repository,
// parsed as streams by src/repo, read through src/repo's transport (undici with retries, or file://; the
// dispatcher is injected so tests can fault the network).
import { RepoMetadataError } from '../errors.ts';
import { RepoClient } from '../repo/client.ts';
import { createTransport, normaliseBase, type HttpOptions, type Transport } from '../repo/transport.ts';
import { repomdEntry, type Repomd } from '../repo/repomd.ts';
import type { ListedPackage } from '../store/catalog.ts';
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
  private readonly transport: Transport;
  /** Metadata (bounded repomd.xml, checksum-verified streams of primary and updateinfo) through src/repo. */
  private readonly client: RepoClient;
  private readonly repomds = new Map<string, Repomd>();

  constructor(opts: HttpSourceOptions) {
    const baseUrl = normaliseBase(opts.baseUrl);
    const http: HttpOptions = { ...opts.http };
    if (opts.headersTimeoutMs !== undefined) http.headersTimeoutMs ??= opts.headersTimeoutMs;
    if (opts.bodyTimeoutMs !== undefined) http.bodyIdleTimeoutMs ??= opts.bodyTimeoutMs;
    this.transport = opts.transport ?? createTransport(baseUrl, http);
    this.client = new RepoClient(baseUrl, { transport: this.transport });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  async snapshot(): Promise<UpstreamSnapshot> {
    const repomd = await this.client.fetchRepomd();
    const primary = repomdEntry(repomd, 'primary');
    if (!primary) throw new RepoMetadataError(`${this.client.baseUrl}repodata/repomd.xml lists no primary`);
    const updateinfo = repomdEntry(repomd, 'updateinfo');
    const scanId = `${repomd.revision}:${primary.checksum.type}:${primary.checksum.value}`;
    this.repomds.set(scanId, repomd);
    // A long-running serve sees a new revision every few hours: keep only the latest few.
    while (this.repomds.size > 4) this.repomds.delete(this.repomds.keys().next().value!);
    return { scanId, revision: repomd.revision, updateinfoId: updateinfo ? `${updateinfo.checksum.type}:${updateinfo.checksum.value}` : null };
  }

  async *packages(snap: UpstreamSnapshot): AsyncIterable<ListedPackage> {
    for await (const p of this.client.streamPrimary(this.repomdOf(snap))) {
      yield {
        name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch,
        pkgid: p.checksum.value, checksumType: p.checksum.type,
        location: p.location.href, locationBase: p.location.base ?? null, size: p.size.package,
      };
    }
  }

  advisories(snap: UpstreamSnapshot): AsyncIterable<Advisory> {
    return this.client.streamUpdateinfo(this.repomdOf(snap));
  }

  async download(pkg: Pick<ListedPackage, 'location' | 'locationBase'>): Promise<AsyncIterable<Uint8Array>> {
    // Opened here, so a 404 or an unreachable upstream is this call's error (not the first read's).
    // xml:base moves a file elsewhere: the transport takes an absolute URL for those.
    const location = pkg.locationBase ? new URL(pkg.location, normaliseBase(pkg.locationBase)).href : pkg.location;
    return (await this.transport.open(location)).body;
  }

  private repomdOf(snap: UpstreamSnapshot): Repomd {
    const repomd = this.repomds.get(snap.scanId);
    if (!repomd) throw new RepoMetadataError(`no repomd.xml read for ${snap.scanId}`);
    return repomd;
  }
}
