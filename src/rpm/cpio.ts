// cpio payloads as rpm writes them (lib/cpio.c in rpm): "new ASCII" 070701 (and 070702, whose checksum
// field rpm ignores too) with hex header fields and "./path" names, and rpm's stripped 07070X format,
// used when the header has LONGFILESIZES (files over 4 GiB): each entry is just the magic and an 8-hex-digit
// index into the header's file list, which supplies everything else. Both end with a newc "TRAILER!!!".
//
// Hardlinks: rpm writes every member of a hardlink set consecutively and only the LAST one carries the
// data; the others have size 0. Entries expose this as `hardlink` so a caller can give every path the bytes.

import type { Readable } from 'node:stream';
import { PathTraversalError, PayloadFormatError } from '../errors.ts';
import type { RpmFile } from './types.ts';
import { ChunkReader } from './cpio/chunkReader.ts';
import { hardlinkSets } from './hardlinks.ts';
import { FileFlags } from './types.ts';

export interface CpioHardlink {
  /** Paths of the set seen so far, this one last (on the carrier: the whole set). */
  paths: string[];
  /** Their indexes in the header's file list (-1 where unknown). */
  fileIndexes: number[];
  /** This entry carries the data of the whole set. */
  carrier: boolean;
}

export interface CpioEntry {
  /** Normalized absolute path ("./usr/bin/x" → "/usr/bin/x"). */
  path: string;
  mode: number;
  /** Bytes of data this entry carries in the archive (0 for hardlink members before the carrier). */
  size: number;
  nlink: number;
  ino: number;
  mtime: number;
  /** Index into the header's file list; -1 when no list was given or the path is not in it. */
  fileIndex: number;
  hardlink: CpioHardlink | undefined;
  /** The entry's data. Consume it (or not) before asking for the next entry; what is left is skipped. */
  body: AsyncIterable<Uint8Array>;
}

export interface ReadCpioOptions {
  /** The header's file list: required for the stripped format, used to resolve fileIndex for newc. */
  files?: RpmFile[];
}

const MAGIC_NEWC = '070701';
const MAGIC_CRC = '070702';
const MAGIC_STRIPPED = '07070X';
const TRAILER = 'TRAILER!!!';
/** rpm's CPIO_NAMESIZE_MAX. */
const NAME_MAX = 4096;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function hexField(b: Uint8Array, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = b[i];
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else throw new PayloadFormatError(`cpio header field is not hex: '${String.fromCharCode(...b.subarray(at, at + 8))}'`);
    v = v * 16 + d;
  }
  return v;
}

/** "./usr/bin/x", "usr/bin/x" or "/usr/bin/x" → "/usr/bin/x"; anything that could escape the root throws. */
export function normalizeCpioPath(name: string): string {
  if (name.includes('\0') || name.includes('\\')) throw new PathTraversalError(`cpio entry name has a NUL or backslash: ${JSON.stringify(name)}`);
  // The common case, a name already normal but for rpm's leading "." (no "//", no "." or ".." part, no
  // trailing "/"), without splitting it: tens of thousands per restore.
  const bare = name.startsWith('./') ? name.slice(1) : name;
  if (bare.length > 1 && bare.startsWith('/') && !bare.includes('//') && !bare.includes('/.') && !bare.endsWith('/')) return bare;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new PathTraversalError(`cpio entry name escapes the root: ${JSON.stringify(name)}`);
    parts.push(part);
  }
  return '/' + parts.join('/');
}

/**
 * Header paths in the archive's normalized form: source packages list bare names ("t.spec") that the
 * archive writes as "t.spec" too, which we normalize to "/t.spec".
 */
function pathIndex(files: RpmFile[]): Map<string, number> {
  const index = new Map<string, number>();
  files.forEach((f, i) => {
    try {
      index.set(normalizeCpioPath(f.path), i);
    } catch {
      // a header path that could escape the root matches no archive entry (those are refused)
    }
  });
  return index;
}

/** Each file index in a payload hardlink set (ghosts left out: they are not in the archive) -> its set. */
function archiveHardlinkSets(files: RpmFile[]): Map<number, number[]> {
  const sets = new Map<number, number[]>();
  for (const set of hardlinkSets(files, { skipGhosts: true })) for (const i of set) sets.set(i, set);
  return sets;
}

type EntryHead = Omit<CpioEntry, 'body'>;

/**
 * What one archive's entries are decoded with, whichever way its bytes arrive (readCpio streams them,
 * readCpioWhole has them in memory): the header file list, and the hardlink members seen so far.
 */
class EntryDecoder {
  private readonly files: RpmFile[] | undefined;
  private byPath: Map<string, number> | undefined;
  private sets: Map<number, number[]> | undefined;
  /** Hardlink members seen so far, keyed by set (stripped) or by ino:dev (newc). */
  private readonly pendingLinks = new Map<string, CpioHardlink>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(files: RpmFile[] | undefined) {
    this.files = files;
  }

  magic(b: Uint8Array): string {
    return this.decoder.decode(b);
  }

  /** A stripped (07070X) entry: its 8-hex-digit file index (read after the magic); undefined at the end. */
  stripped(indexField: Uint8Array): EntryHead | undefined {
    const files = this.files;
    if (!files) throw new PayloadFormatError('stripped cpio payload (07070X) needs the header file list');
    const fx = hexField(indexField, 0);
    if (fx === 0xffffffff) return undefined;
    if (fx >= files.length) throw new PayloadFormatError(`stripped cpio entry names file ${fx}, the header lists ${files.length}`);
    const f = files[fx];
    if (f.flags & FileFlags.GHOST) throw new PayloadFormatError(`stripped cpio entry ${fx} is a %ghost file`);
    this.sets ??= archiveHardlinkSets(files);
    const set = this.sets.get(fx);
    const type = f.mode & S_IFMT;
    let size = type === S_IFREG || type === S_IFLNK ? f.size : 0;
    let hardlink: CpioHardlink | undefined;
    if (set) {
      const key = `set:${set[0]}`;
      hardlink = this.pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
      hardlink = { paths: [...hardlink.paths, f.path], fileIndexes: [...hardlink.fileIndexes, fx], carrier: set[set.length - 1] === fx };
      if (hardlink.carrier) this.pendingLinks.delete(key);
      else {
        this.pendingLinks.set(key, hardlink);
        size = 0;
      }
    }
    return { path: f.path, mode: f.mode, size, nlink: set ? set.length : 1, ino: f.inode, mtime: f.mtime, fileIndex: fx, hardlink };
  }

  /** The name size a newc header (the 104 bytes after the magic) announces, checked. */
  nameSize(h: Uint8Array): number {
    const nameSize = hexField(h, 88);
    if (nameSize < 1 || nameSize > NAME_MAX) throw new PayloadFormatError(`cpio name size ${nameSize} out of range`);
    return nameSize;
  }

  /** A newc (070701/070702) entry from its header and name; undefined at the trailer. */
  newc(h: Uint8Array, nameBytes: Uint8Array): EntryHead | undefined {
    const ino = hexField(h, 0);
    const mode = hexField(h, 8);
    const nlink = hexField(h, 32);
    const mtime = hexField(h, 40);
    const size = hexField(h, 48);
    const devMajor = hexField(h, 56);
    const devMinor = hexField(h, 64);
    for (const at of [16, 24, 72, 80, 96]) hexField(h, at); // uid, gid, rdev, checksum: validated only
    const nameSize = nameBytes.length;
    if (nameBytes[nameSize - 1] !== 0) throw new PayloadFormatError('cpio entry name is not NUL-terminated');
    const name = this.decoder.decode(nameBytes.subarray(0, nameSize - 1));
    if (name === TRAILER) return undefined;
    const path = normalizeCpioPath(name);
    let fileIndex = -1;
    if (this.files) {
      this.byPath ??= pathIndex(this.files);
      fileIndex = this.byPath.get(path) ?? -1;
    }
    let hardlink: CpioHardlink | undefined;
    if (nlink > 1 && (mode & S_IFMT) === S_IFREG) {
      const key = `${devMajor}:${devMinor}:${ino}`;
      const prev = this.pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
      const paths = [...prev.paths, path];
      // The carrier is the entry with data, or the nlink-th member of an empty set.
      const carrier = size > 0 || paths.length >= nlink;
      hardlink = { paths, fileIndexes: [...prev.fileIndexes, fileIndex], carrier };
      if (carrier) this.pendingLinks.delete(key);
      else this.pendingLinks.set(key, hardlink);
    }
    return { path, mode, size, nlink, ino, mtime, fileIndex, hardlink };
  }
}

function badMagic(magic: string, at: number): PayloadFormatError {
  return new PayloadFormatError(`bad cpio magic ${JSON.stringify(magic)} at offset ${at}`);
}

export async function* readCpio(source: Readable | AsyncIterable<Uint8Array>, opts: ReadCpioOptions = {}): AsyncGenerator<CpioEntry, void, void> {
  const r = new ChunkReader(source);
  const d = new EntryDecoder(opts.files);
  try {
    for (;;) {
      await r.skip((4 - (r.offset % 4)) % 4, 'padding');
      const magic = d.magic(await r.readExact(6, 'cpio header'));
      let entry: EntryHead | undefined;
      if (magic === MAGIC_STRIPPED) entry = d.stripped(await r.readExact(8, 'stripped cpio header'));
      else if (magic === MAGIC_NEWC || magic === MAGIC_CRC) {
        const h = await r.readExact(104, 'cpio header');
        entry = d.newc(h, await r.readExact(d.nameSize(h), 'cpio entry name'));
      } else throw badMagic(magic, r.offset - 6);
      if (!entry) break;
      await r.skip((4 - (r.offset % 4)) % 4, 'padding');
      const state = { left: entry.size };
      const body = bodyOf(r, state, entry.path);
      yield { ...entry, body };
      if (state.left > 0) await r.skip(state.left, `data of ${entry.path}`);
    }
  } finally {
    await r.close();
  }
}

/** A cpio entry of an archive held whole in memory: its data is a view of that memory. */
export type CpioWholeEntry = EntryHead & { data: Uint8Array };

/**
 * readCpio for an archive held whole in memory (a payload inflated in one piece), without a promise per
 * entry and per piece: restore in place walks every entry of every payload, and the stream machinery cost
 * twenty times the walk itself. Same entries, same checks, same errors.
 */
export function* readCpioWhole(archive: Uint8Array, opts: ReadCpioOptions = {}): Generator<CpioWholeEntry, void, void> {
  const d = new EntryDecoder(opts.files);
  let at = 0;
  const take = (n: number, what: string, inside = false): Uint8Array => {
    if (at + n > archive.length) {
      // As readCpio words it: nothing left where a header should start, or the bytes ran out inside something.
      throw new PayloadFormatError(inside || at < archive.length ? `cpio archive truncated in ${what} at offset ${archive.length}` : `cpio archive truncated: ${what} expected at offset ${at}`);
    }
    const out = archive.subarray(at, at + n);
    at += n;
    return out;
  };
  for (;;) {
    take((4 - (at % 4)) % 4, 'padding', true);
    const magic = d.magic(take(6, 'cpio header'));
    let entry: EntryHead | undefined;
    if (magic === MAGIC_STRIPPED) entry = d.stripped(take(8, 'stripped cpio header'));
    else if (magic === MAGIC_NEWC || magic === MAGIC_CRC) {
      const h = take(104, 'cpio header');
      entry = d.newc(h, take(d.nameSize(h), 'cpio entry name'));
    } else throw badMagic(magic, at - 6);
    if (!entry) return;
    take((4 - (at % 4)) % 4, 'padding', true);
    yield { ...entry, data: take(entry.size, `data of ${entry.path}`, true) };
  }
}

function bodyOf(r: ChunkReader, state: { left: number }, path: string): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      while (state.left > 0) {
        const piece = await r.readUpTo(state.left, `data of ${path}`);
        state.left -= piece.length;
        yield piece;
      }
    },
  };
}
