// The production UpstreamSource: repomd.xml, primary.xml and updateinfo.xml of an HTTP(S) yum repository,
// parsed as streams by src/repo, fetched with undici (dispatcher injected: tests can fault the network).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { ChecksumMismatchError, RepoMetadataError, UpstreamError } from '../errors.ts';
import { streamPrimary } from '../repo/primary.ts';
import { parseRepomd, repomdEntry, type Repomd, type RepomdEntry } from '../repo/repomd.ts';
import type { ListedPackage } from '../store/catalog.ts';
import { streamUpdateinfo } from '../repo/updateinfo.ts';
import type { Advisory, UpstreamSnapshot, UpstreamSource } from './upstream.ts';

export interface HttpSourceOptions {
  /** Repository base URL (ends in '/'). */
  baseUrl: string;
  dispatcher?: Dispatcher;
  /** Connect + response headers (default 30 s). */
  headersTimeoutMs?: number;
  /** Longest silence inside a body (default 60 s). */
  bodyTimeoutMs?: number;
}

export class HttpUpstreamSource implements UpstreamSource {
  private readonly opts: HttpSourceOptions;
  private readonly repomds = new Map<string, Repomd>();

  constructor(opts: HttpSourceOptions) {
    this.opts = { ...opts, baseUrl: opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/` };
  }

  async snapshot(): Promise<UpstreamSnapshot> {
    const body = await this.open('repodata/repomd.xml');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of body) {
      size += (c as Buffer).length;
      if (size > 16 * 1024 * 1024) throw new RepoMetadataError(`${this.opts.baseUrl}repodata/repomd.xml is over 16 MiB`);
      chunks.push(c as Buffer);
    }
    const repomd = await parseRepomd(Buffer.concat(chunks), `${this.opts.baseUrl}repodata/repomd.xml`);
    const primary = repomdEntry(repomd, 'primary');
    if (!primary) throw new RepoMetadataError(`${this.opts.baseUrl}repodata/repomd.xml lists no primary`);
    const updateinfo = repomdEntry(repomd, 'updateinfo');
    const scanId = `${repomd.revision}:${primary.checksum.type}:${primary.checksum.value}`;
    this.repomds.set(scanId, repomd);
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

  async download(pkg: Pick<ListedPackage, 'location' | 'locationBase'>): Promise<Readable> {
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
      hash.update(c as Buffer);
      yield c as Buffer;
    }
    const got = hash.digest('hex');
    if (got !== entry.checksum.value) throw new ChecksumMismatchError(`${entry.location}: ${algo} is ${got}, repomd.xml says ${entry.checksum.value}`);
  }

  private async open(href: string, base?: string): Promise<Readable> {
    const url = new URL(href, base ? (base.endsWith('/') ? base : `${base}/`) : this.opts.baseUrl).href;
    let res: Dispatcher.ResponseData<unknown>;
    try {
      res = await request(url, {
        dispatcher: this.opts.dispatcher,
        headersTimeout: this.opts.headersTimeoutMs ?? 30_000,
        bodyTimeout: this.opts.bodyTimeoutMs ?? 60_000,
      });
    } catch (e) {
      throw new UpstreamError(`GET ${url} failed: ${(e as Error).message}`, { cause: e });
    }
    if (res.statusCode !== 200) {
      res.body.resume();
      throw new UpstreamError(`GET ${url} answered ${res.statusCode}`, { status: res.statusCode });
    }
    return res.body;
  }
}
