// Random access to files inside a plain tar image without unpacking it: one header-only pass builds an
// index (path → where its data lies), then files are read by seeking. Symlinks in the image are followed
// when resolving a path (Fedora's /var/lib/rpm is a symlink to ../../usr/lib/sysimage/rpm), hardlinks
// resolve to their target entry. This is how the rpmdb, which comes late in a tar, is found first.

import { open } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { NotFoundError, TarFormatError } from '../errors.ts';
import { normalizeTarPath, tarHeaders, type TarEntryKind, type TarTrailer } from './tar.ts';

interface IndexedEntry {
  kind: TarEntryKind;
  dataOffset: number;
  dataSize: number;
  size: number;
  linkname: string;
  mode: number;
}

/** A file found in the image. */
export interface ImageFile {
  /** The path asked for (absolute, as given). */
  path: string;
  /** The path it resolved to inside the image (after symlinks/hardlinks), absolute. */
  resolvedPath: string;
  size: number;
  mode: number;
  /** The whole file in memory (refused over 1 GiB: use copyTo or stream). */
  read(): Promise<Buffer>;
  stream(): Readable;
  /** Writes the file to `dest` (a temp path of the caller's). */
  copyTo(dest: string): Promise<void>;
}

/** What readers of an image (the rpmdb readers) need: find files by absolute path. */
export interface ImageReader {
  readonly kind: 'tar';
  readonly tarPath: string;
  /** The first of `paths` that exists in the image as a regular file (symlinks followed), or undefined. */
  findFile(paths: readonly string[]): Promise<ImageFile | undefined>;
  /** Absolute paths of regular files directly in directory `dir` (symlinks followed for `dir`). */
  listDir(dir: string): Promise<string[]>;
}

const MAX_READ = 1 << 30;
const MAX_SYMLINK_HOPS = 40;

export class TarImageReader implements ImageReader {
  readonly kind = 'tar' as const;
  private index: Map<string, IndexedEntry> | undefined;
  trailer: TarTrailer | undefined;
  entryCount = 0;
  /** Hardlink entries: normalized target path → normalized paths of the links to it. */
  readonly hardlinks = new Map<string, string[]>();

  readonly tarPath: string;

  constructor(tarPath: string) {
    this.tarPath = tarPath;
  }

  /** The header-only pass (done once, on first use). */
  async load(): Promise<Map<string, IndexedEntry>> {
    if (this.index) return this.index;
    const index = new Map<string, IndexedEntry>();
    const it = tarHeaders(this.tarPath);
    for (;;) {
      const r = await it.next();
      if (r.done) {
        this.trailer = r.value;
        break;
      }
      const e = r.value;
      this.entryCount++;
      if (e.kind === 'hardlink') {
        const target = normalizeTarPath(e.linkname);
        const list = this.hardlinks.get(target) ?? [];
        list.push(normalizeTarPath(e.path));
        this.hardlinks.set(target, list);
      }
      // A later entry for the same path wins, as when the archive is extracted.
      index.set(normalizeTarPath(e.path), { kind: e.kind, dataOffset: e.dataOffset, dataSize: e.dataSize, size: e.size, linkname: e.linkname, mode: e.mode });
    }
    this.index = index;
    return index;
  }

  /** Resolves symlinks in every component of `p` (absolute inside the image); returns the normalized path. */
  private resolve(index: Map<string, IndexedEntry>, p: string): string | undefined {
    let parts = normalizeTarPath(p).split('/').filter((x) => x && x !== '.');
    let hops = 0;
    const done: string[] = [];
    while (parts.length > 0) {
      const part = parts.shift()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      done.push(part);
      const e = index.get(done.join('/'));
      if (e?.kind === 'symlink') {
        if (++hops > MAX_SYMLINK_HOPS) return undefined;
        done.pop();
        const target = e.linkname.split('/').filter((x) => x && x !== '.');
        if (e.linkname.startsWith('/')) done.length = 0;
        parts = [...target, ...parts];
      }
    }
    return done.join('/');
  }

  private lookup(index: Map<string, IndexedEntry>, p: string): { entry: IndexedEntry; resolved: string } | undefined {
    let resolved = this.resolve(index, p);
    if (resolved === undefined) return undefined;
    let entry = index.get(resolved);
    if (entry?.kind === 'hardlink') {
      resolved = normalizeTarPath(entry.linkname);
      entry = index.get(resolved);
    }
    if (!entry || entry.kind !== 'file') return undefined;
    return { entry, resolved };
  }

  async findFile(paths: readonly string[]): Promise<ImageFile | undefined> {
    const index = await this.load();
    for (const p of paths) {
      const hit = this.lookup(index, p);
      if (hit) return this.fileHandle(p, `/${hit.resolved}`, hit.entry);
    }
    return undefined;
  }

  async listDir(dir: string): Promise<string[]> {
    const index = await this.load();
    const resolved = this.resolve(index, dir);
    if (resolved === undefined) return [];
    const prefix = resolved === '' ? '' : `${resolved}/`;
    const out: string[] = [];
    for (const [p, e] of index) {
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/') && p.length > prefix.length && (e.kind === 'file' || e.kind === 'hardlink')) {
        out.push(`${dir.replace(/\/+$/, '')}/${p.slice(prefix.length)}`);
      }
    }
    return out.sort();
  }

  private fileHandle(path: string, resolvedPath: string, e: IndexedEntry): ImageFile {
    const tarPath = this.tarPath;
    const stream = () => {
      if (e.dataSize === 0) return Readable.from([]);
      return Readable.from(readRange(tarPath, e.dataOffset, e.dataSize));
    };
    return {
      path,
      resolvedPath,
      size: e.dataSize,
      mode: e.mode,
      async read() {
        if (e.dataSize > MAX_READ) throw new TarFormatError(`${resolvedPath} is ${e.dataSize} bytes: too large to read into memory`);
        const fh = await open(tarPath, 'r');
        try {
          const buf = Buffer.alloc(e.dataSize);
          const { bytesRead } = await fh.read(buf, 0, e.dataSize, e.dataOffset);
          if (bytesRead !== e.dataSize) throw new TarFormatError(`tar archive is truncated inside ${resolvedPath}`);
          return buf;
        } finally {
          await fh.close();
        }
      },
      stream,
      async copyTo(dest: string) {
        await pipeline(stream(), createWriteStream(dest));
      },
    };
  }
}

async function* readRange(path: string, offset: number, size: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    let done = 0;
    while (done < size) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, size - done));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset + done);
      if (bytesRead === 0) throw new TarFormatError(`tar archive ${path} is truncated at offset ${offset + done}`);
      done += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Opens a plain tar image for random access (the header pass runs on first use). */
export function openTarImage(tarPath: string): TarImageReader {
  return new TarImageReader(tarPath);
}

export function assertFound<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new NotFoundError(`${what} is not in the image`);
  return v;
}
