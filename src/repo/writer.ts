// writeRepodata: a repository's repodata/ (primary, filelists, other, optional updateinfo, repomd.xml)
// as createrepo_c would write it, streamed one package at a time. The switch is atomic for readers: the
// new metadata files get new checksum-named paths first, and repomd.xml is renamed into place last, so a
// client reads either the old repomd and old files or the new ones. Files of the previous revision stay
// (a client may have fetched the old repomd a moment ago); older ones are removed.

import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transform } from 'node:stream';
import { ConfigError } from '../errors.ts';
import type { RpmHeader } from '../rpm/header.ts';
import { writeFileAtomic, tempPathFor, fsyncDir } from '../util/fs.ts';
import { repodataCompressor, compressionSuffix, type RepodataCompression } from './compression.ts';
import { readRepodataPackage, repodataPackageFromHeaders, DEFAULT_CHANGELOG_LIMIT, type RepodataPackage, type PackageFacts } from './fromRpm.ts';
import { parseRepomd, writeRepomd, type Repomd, type RepomdEntry } from './repomd.ts';
import { updateinfoAdvisoryXml, UPDATEINFO_OPEN, UPDATEINFO_CLOSE, type Advisory } from './updateinfo.ts';
import * as dump from './xmlDump.ts';
import { filelistsPackageXml, FILELISTS_OPEN, FILELISTS_CLOSE } from './filelists.ts';
import { otherPackageXml, OTHER_OPEN, OTHER_CLOSE } from './other.ts';

/** A package on disk: its headers, sha256, size and mtime are read from the file. */
export interface PackageFileInput {
  path: string;
  /** href relative to the repository (or { href, base } for an xml:base location). */
  location: string | { href: string; base?: string };
}

/** A package already parsed (the vault knows its headers and sha256 without reading the file again). */
export interface PackageHeadersInput extends PackageFacts {
  signature: RpmHeader;
  header: RpmHeader;
}

export type VaultPackageInput = PackageFileInput | PackageHeadersInput | RepodataPackage;

export interface WriteRepodataOptions {
  /** gzip (default: every dnf reads it) or zstd. */
  compression?: RepodataCompression;
  /** Advisories for updateinfo.xml; none written when absent. */
  updateinfo?: Iterable<Advisory> | AsyncIterable<Advisory>;
  /** repomd revision; default: the current time in seconds (kept increasing across rewrites). */
  revision?: string;
  /** The number of packages; required when `packages` is not an array (primary's header states it first). */
  count?: number;
  /** Changelog entries per package in other.xml (createrepo_c's default 10; -1 for all). */
  changelogLimit?: number;
  /** Files read from disk at once (order is kept). Default 4. */
  readConcurrency?: number;
  /** Clock for the default revision (seconds). */
  now?: () => number;
}

const METADATA_NAME = /^[0-9a-f]{32,128}-[a-z_]+\.xml(\.(gz|zst|xz|bz2))?$/;

/** Writes `dir`/repodata for `packages`; returns the new repomd. */
export async function writeRepodata(
  dir: string,
  packages: Iterable<VaultPackageInput> | AsyncIterable<VaultPackageInput> | readonly VaultPackageInput[],
  opts: WriteRepodataOptions = {},
): Promise<Repomd> {
  const count = Array.isArray(packages) ? packages.length : opts.count;
  if (count === undefined || !Number.isSafeInteger(count) || count < 0) {
    throw new ConfigError('writeRepodata: options.count must be a non-negative integer when packages is not an array');
  }
  const compression = opts.compression ?? 'gzip';
  const changelogLimit = opts.changelogLimit ?? DEFAULT_CHANGELOG_LIMIT;
  const repodata = join(dir, 'repodata');
  await mkdir(repodata, { recursive: true });
  const previous = await readPrevious(repodata);
  const now = Math.floor(opts.now?.() ?? Date.now() / 1000);
  const revision = opts.revision ?? String(Math.max(now, previous && /^\d+$/.test(previous.revision) ? Number(previous.revision) + 1 : 0));
  const timestamp = /^\d+$/.test(revision) ? Number(revision) : now;

  const primary = await MetadataFile.create(repodata, 'primary', compression);
  const filelists = await MetadataFile.create(repodata, 'filelists', compression);
  const other = await MetadataFile.create(repodata, 'other', compression);
  const files = [primary, filelists, other];
  let updateinfo: MetadataFile | undefined;
  try {
    await primary.write(dump.PRIMARY_OPEN(count));
    await filelists.write(FILELISTS_OPEN(count));
    await other.write(OTHER_OPEN(count));
    let written = 0;
    for await (const pkg of inOrder(packages, (p) => toRepodataPackage(p, changelogLimit), opts.readConcurrency ?? 4)) {
      written++;
      await primary.write(dump.primaryPackageXml(pkg));
      await filelists.write(filelistsPackageXml(pkg));
      await other.write(otherPackageXml(pkg));
    }
    if (written !== count) throw new ConfigError(`writeRepodata: options.count is ${count} but ${written} packages were given`);
    await primary.write(dump.PRIMARY_CLOSE);
    await filelists.write(FILELISTS_CLOSE);
    await other.write(OTHER_CLOSE);
    if (opts.updateinfo) {
      updateinfo = await MetadataFile.create(repodata, 'updateinfo', compression);
      files.push(updateinfo);
      await updateinfo.write(UPDATEINFO_OPEN);
      for await (const a of opts.updateinfo) await updateinfo.write(updateinfoAdvisoryXml(a));
      await updateinfo.write(UPDATEINFO_CLOSE);
    }
    const entries: RepomdEntry[] = [];
    for (const f of files) entries.push(await f.finish(timestamp));
    const repomd: Repomd = { revision, entries };
    // repomd.xml last: until this rename, readers see the previous revision whole.
    await writeFileAtomic(join(repodata, 'repomd.xml'), writeRepomd(repomd));
    await removeStale(repodata, repomd, previous);
    return repomd;
  } catch (e) {
    await Promise.all(files.map((f) => f.abort()));
    throw e;
  }
}

async function toRepodataPackage(p: VaultPackageInput, changelogLimit: number): Promise<RepodataPackage> {
  if ('path' in p) {
    const location = typeof p.location === 'string' ? { href: p.location } : p.location;
    return readRepodataPackage(p.path, location, changelogLimit);
  }
  if ('header' in p) return repodataPackageFromHeaders(p.signature, p.header, p, changelogLimit);
  return p;
}

/** Maps `items` with up to `concurrency` calls in flight, yielding results in input order. */
async function* inOrder<T, R>(items: Iterable<T> | AsyncIterable<T>, fn: (t: T) => Promise<R>, concurrency: number): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  for await (const item of items) {
    const p = fn(item);
    p.catch(() => {}); // observed when its turn comes
    pending.push(p);
    if (pending.length >= concurrency) yield await pending.shift()!;
  }
  while (pending.length) yield await pending.shift()!;
}

async function readPrevious(repodata: string): Promise<Repomd | undefined> {
  try {
    return await parseRepomd(await readFile(join(repodata, 'repomd.xml')), join(repodata, 'repomd.xml'));
  } catch {
    return undefined;
  }
}

async function removeStale(repodata: string, current: Repomd, previous: Repomd | undefined): Promise<void> {
  const keep = new Set<string>();
  for (const md of [current, previous]) for (const e of md?.entries ?? []) keep.add(e.location.replace(/^repodata\//, ''));
  for (const name of await readdir(repodata)) {
    if (METADATA_NAME.test(name) && !keep.has(name)) await rm(join(repodata, name), { force: true });
  }
}

/** One metadata file being written: text → sha256 (open) → compressor → sha256 → temp file. */
class MetadataFile {
  private openHash: Hash = createHash('sha256');
  private openSize = 0;
  private fileHash: Hash = createHash('sha256');
  private size = 0;
  private done = false;

  private readonly repodata: string;
  private readonly type: string;
  private readonly compression: RepodataCompression;
  private readonly tempPath: string;
  private readonly compressor: Transform;
  private readonly out: NodeJS.WritableStream & { destroy(): void };
  private readonly finished: Promise<void>;

  private constructor(o: {
    repodata: string;
    type: string;
    compression: RepodataCompression;
    tempPath: string;
    compressor: Transform;
    out: NodeJS.WritableStream & { destroy(): void };
    finished: Promise<void>;
  }) {
    this.repodata = o.repodata;
    this.type = o.type;
    this.compression = o.compression;
    this.tempPath = o.tempPath;
    this.compressor = o.compressor;
    this.out = o.out;
    this.finished = o.finished;
  }

  static async create(repodata: string, type: string, compression: RepodataCompression): Promise<MetadataFile> {
    const tempPath = tempPathFor(join(repodata, `${type}.xml${compressionSuffix(compression)}`));
    const out = createWriteStream(tempPath, { mode: 0o644 });
    const compressor = repodataCompressor(compression);
    let file: MetadataFile | undefined;
    const finished = new Promise<void>((resolve, reject) => {
      compressor.on('error', reject);
      out.on('error', reject);
      out.on('close', resolve);
    });
    finished.catch(() => {});
    compressor.on('data', (chunk: Buffer) => {
      file!.fileHash.update(chunk);
      file!.size += chunk.length;
    });
    compressor.pipe(out);
    file = new MetadataFile({ repodata, type, compression, tempPath, compressor, out, finished });
    return file;
  }

  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    this.openHash.update(buf);
    this.openSize += buf.length;
    if (!this.compressor.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        this.compressor.once('error', onErr);
        this.compressor.once('drain', () => {
          this.compressor.off('error', onErr);
          resolve();
        });
      });
    }
  }

  async finish(timestamp: number): Promise<RepomdEntry> {
    this.compressor.end();
    await this.finished;
    this.done = true;
    const sha = this.fileHash.digest('hex');
    const name = `${sha}-${this.type}.xml${compressionSuffix(this.compression)}`;
    const fh = await open(this.tempPath, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(this.tempPath, join(this.repodata, name));
    await fsyncDir(this.repodata);
    return {
      type: this.type,
      location: `repodata/${name}`,
      checksum: { type: 'sha256', value: sha },
      openChecksum: { type: 'sha256', value: this.openHash.digest('hex') },
      size: this.size,
      openSize: this.openSize,
      timestamp,
    };
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.compressor.destroy();
    this.out.destroy();
    await this.finished.catch(() => {});
    await rm(this.tempPath, { force: true });
  }
}
