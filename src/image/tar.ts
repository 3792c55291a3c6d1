// A tar BLOCK walker, in the spirit of tar-split: every entry comes with its raw header bytes verbatim
// (extended headers 'x'/'L'/'K' and their data, GNU sparse extension blocks, all padding), the decoded
// fields, and where its data lies; the end-of-archive blocks and whatever follows them (GNU tar pads to a
// 10 KiB record; some writers append garbage) come back as the trailer. Nothing is normalised, so
// header + data + padding of every entry, then the trailer, is the archive byte for byte.
//
// Formats: ustar/pax (POSIX pax utility spec), GNU (tar manual "Basic Tar Format" and "Sparse Formats"),
// v7. Bounded: every header's checksum is verified, numbers are checked, extended headers are capped, and a
// file that ends early is a TarFormatError, never a hang or a short read taken as data.

import { open } from 'node:fs/promises';
import { TarFormatError } from '../errors.ts';
import { BlockReader } from './blockReader.ts';
import {
  BLOCK,
  MAX_EXTENDED_HEADER,
  isZeroBlock,
  parseHeaderBlock,
  parsePaxRecords,
  paxNumber,
  paxString,
  type TarFormat,
} from './tarHeader.ts';

export type TarEntryKind = 'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'dir' | 'fifo' | 'sparse' | 'global' | 'other';

export interface TarEntry {
  /** Offset of the first raw byte of this entry (its first extended header, if any). */
  headerOffset: number;
  /** Every raw byte from headerOffset to dataOffset: extended headers with their data and padding, the header block, sparse extension blocks. */
  header: Uint8Array;
  dataOffset: number;
  /** Bytes of data stored in the archive (for sparse entries: the stored map and chunks, not the logical size). */
  dataSize: number;
  /** The padding after the data up to the next 512-byte boundary. */
  paddingSize: number;
  typeflag: string;
  kind: TarEntryKind;
  format: TarFormat;
  /** The name as raw bytes (pax path, GNU long name or ustar prefix/name) and decoded as UTF-8 (lossy). */
  pathBytes: Uint8Array;
  path: string;
  linkBytes: Uint8Array;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  /** Logical size of the file (the real size for sparse entries). */
  size: number;
  devmajor: number;
  devminor: number;
  /** Extended attributes from pax SCHILY.xattr.* / LIBARCHIVE.xattr.* / RHT.security.selinux. */
  xattrs: Map<string, Uint8Array>;
}

/** Where the archive's end-of-archive marker starts, and how many bytes from there to the end of the file. */
export interface TarTrailer {
  offset: number;
  size: number;
}

// Types whose size field never means data follows (as Go's archive/tar decides: isHeaderOnlyType).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
const KIND: Record<string, TarEntryKind> = { '0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'chardev', '4': 'blockdev', '5': 'dir', '6': 'fifo', S: 'sparse', g: 'global' };
const utf8 = new TextDecoder('utf-8', { fatal: false });

function cutAtNul(b: Uint8Array): Uint8Array {
  const i = b.indexOf(0);
  return i < 0 ? b : b.subarray(0, i);
}

const padTo = (n: number) => (BLOCK - (n % BLOCK)) % BLOCK;

export class TarWalker {
  private pos = 0;
  private finished = false;
  trailer: TarTrailer | undefined;

  readonly reader: BlockReader;

  constructor(reader: BlockReader) {
    this.reader = reader;
  }

  get size(): number {
    return this.reader.size;
  }

  /** The next entry, or null at the end of the archive (then `trailer` is set). Skips the previous entry's data. */
  async next(): Promise<TarEntry | null> {
    if (this.finished) return null;
    const start = this.pos;
    const size = this.reader.size;
    let pax = new Map<string, Uint8Array>();
    let longName: Uint8Array | undefined;
    let longLink: Uint8Array | undefined;
    let pending = false;
    for (;;) {
      if (this.pos === size && !pending) {
        // Ends right after an entry without end-of-archive blocks: GNU tar accepts that; so do we.
        return this.finish(this.pos);
      }
      const hdrOffset = this.pos;
      const block = await this.reader.exact(hdrOffset, BLOCK, 'a header block');
      if (isZeroBlock(block)) {
        if (pending) throw new TarFormatError(`tar archive: extended header at offset ${start} is not followed by an entry`);
        return this.finish(hdrOffset);
      }
      const f = parseHeaderBlock(block, hdrOffset);
      this.pos += BLOCK;
      if (f.typeflag === 'x' || f.typeflag === 'L' || f.typeflag === 'K') {
        if (f.size > MAX_EXTENDED_HEADER) throw new TarFormatError(`tar extended header at offset ${hdrOffset} claims ${f.size} bytes (limit ${MAX_EXTENDED_HEADER})`);
        const data = await this.reader.exact(this.pos, f.size, 'extended header data');
        await this.reader.exact(this.pos + f.size, padTo(f.size), 'extended header padding');
        this.pos += f.size + padTo(f.size);
        if (f.typeflag === 'x') pax = new Map([...pax, ...parsePaxRecords(data, hdrOffset)]);
        else if (f.typeflag === 'L') longName = cutAtNul(data);
        else longLink = cutAtNul(data);
        pending = true;
        continue;
      }
      if (f.gnuIsExtended) {
        // Old GNU sparse: extension blocks of 21 (offset, numbytes) pairs, byte 504 says whether another follows.
        for (;;) {
          const ext = await this.reader.exact(this.pos, BLOCK, 'a GNU sparse extension block');
          this.pos += BLOCK;
          if (ext[504] === 0) break;
        }
      }
      const dataOffset = this.pos;
      let dataSize = f.size;
      if (pax.has('size')) dataSize = paxNumber(pax.get('size')!, 'size', hdrOffset);
      if (HEADER_ONLY.has(f.typeflag)) dataSize = 0;
      if (f.typeflag === 'g' && dataSize > MAX_EXTENDED_HEADER) throw new TarFormatError(`tar global header at offset ${hdrOffset} claims ${dataSize} bytes`);
      const paddingSize = padTo(dataSize);
      if (dataOffset + dataSize + paddingSize > size) {
        throw new TarFormatError(`tar archive is truncated: the entry at offset ${hdrOffset} needs ${dataSize} data bytes, the file ends at ${size}`);
      }
      this.pos = dataOffset + dataSize + paddingSize;
      const header = await this.reader.exact(start, dataOffset - start, 'entry headers');
      return this.makeEntry(f, pax, longName, longLink, start, header, dataOffset, dataSize, paddingSize);
    }
  }

  private finish(offset: number): null {
    this.finished = true;
    this.trailer = { offset, size: this.reader.size - offset };
    return null;
  }

  private makeEntry(
    f: ReturnType<typeof parseHeaderBlock>,
    pax: Map<string, Uint8Array>,
    longName: Uint8Array | undefined,
    longLink: Uint8Array | undefined,
    headerOffset: number,
    header: Uint8Array,
    dataOffset: number,
    dataSize: number,
    paddingSize: number,
  ): TarEntry {
    const pathBytes = pax.get('GNU.sparse.name') ?? pax.get('path') ?? longName ?? f.nameBytes;
    const linkBytes = pax.get('linkpath') ?? longLink ?? f.linkBytes;
    const num = (key: string, fallback: number, fraction = false) => (pax.has(key) ? paxNumber(pax.get(key)!, key, headerOffset, fraction) : fallback);
    const xattrs = new Map<string, Uint8Array>();
    for (const [k, v] of pax) {
      if (k.startsWith('SCHILY.xattr.')) xattrs.set(k.slice(13), v);
      else if (k.startsWith('LIBARCHIVE.xattr.')) xattrs.set(k.slice(17), v);
      else if (k === 'RHT.security.selinux') xattrs.set('security.selinux', v);
    }
    const paxSparse = pax.has('GNU.sparse.major') || pax.has('GNU.sparse.map') || pax.has('GNU.sparse.numblocks') || pax.has('GNU.sparse.size');
    let kind: TarEntryKind = KIND[f.typeflag] ?? 'other';
    if (paxSparse && kind === 'file') kind = 'sparse';
    const path = utf8.decode(pathBytes);
    if (kind === 'file' && f.format === 'v7' && path.endsWith('/')) kind = 'dir';
    let size = dataSize;
    if (kind === 'sparse') {
      size = f.typeflag === 'S' ? f.gnuRealSize : num('GNU.sparse.realsize', num('GNU.sparse.size', dataSize));
    }
    return {
      headerOffset,
      header,
      dataOffset,
      dataSize,
      paddingSize,
      typeflag: f.typeflag,
      kind,
      format: f.format,
      pathBytes,
      path,
      linkBytes,
      linkname: utf8.decode(linkBytes),
      mode: f.mode,
      uid: num('uid', f.uid),
      gid: num('gid', f.gid),
      uname: pax.has('uname') ? paxString(pax.get('uname')!) : f.uname,
      gname: pax.has('gname') ? paxString(pax.get('gname')!) : f.gname,
      mtime: num('mtime', f.mtime, true),
      size,
      devmajor: f.devmajor,
      devminor: f.devminor,
      xattrs,
    };
  }

  /** Streams an entry's data (call before next()). */
  async readData(e: TarEntry, onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    await this.reader.forEachChunk(e.dataOffset, e.dataSize, `data of ${e.path}`, onChunk);
  }

  async readPadding(e: TarEntry): Promise<Uint8Array> {
    return this.reader.exact(e.dataOffset + e.dataSize, e.paddingSize, `padding of ${e.path}`);
  }

  /** The trailer's bytes in chunks (end-of-archive blocks, record padding, anything appended). */
  async readTrailer(onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    if (!this.trailer) throw new Error('readTrailer before the walk finished');
    await this.reader.forEachChunk(this.trailer.offset, this.trailer.size, 'trailer', onChunk);
  }
}

/** The archive path without leading "./" or "/" and without a trailing "/": how rpm paths compare ("/" + it). */
export function normalizeTarPath(p: string): string {
  let s = p;
  for (;;) {
    if (s.startsWith('./')) s = s.slice(2);
    else if (s.startsWith('/')) s = s.slice(1);
    else break;
  }
  while (s.endsWith('/')) s = s.slice(0, -1);
  if (s === '.') s = '';
  return s;
}

/** Opens a plain tar file and walks it; `fn` gets the walker, the file is closed afterwards. */
export async function withTarFile<T>(path: string, fn: (walker: TarWalker) => Promise<T>, bufferSize?: number): Promise<T> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    return await fn(new TarWalker(new BlockReader(fh, size, bufferSize)));
  } finally {
    await fh.close();
  }
}

/** A header-only pass: every entry, seeking over data (64 KiB reads, so seeks stay cheap). */
export async function* tarHeaders(path: string): AsyncGenerator<TarEntry, TarTrailer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const walker = new TarWalker(new BlockReader(fh, size, 64 << 10));
    for (;;) {
      const e = await walker.next();
      if (!e) return walker.trailer!;
      yield e;
    }
  } finally {
    await fh.close();
  }
}
