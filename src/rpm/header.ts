// The RPM header structure: an index of 16-byte entries (tag, type, offset, count; big-endian) followed
// by a data store. In a package it is preceded by an 8-byte intro (magic 8E AD E8 01 + 4 reserved);
// in an rpmdb it is stored as a bare "blob" starting at the index count.
// Format: https://github.com/rpm-software-management/rpm/blob/master/docs/manual/format_header.md
// The checks follow rpm's own (lib/header.c hdrblobInit / hdrblobVerifyInfo / hdrblobVerifyRegion), so
// what rpm rejects we reject, and every count, offset and length is checked before it is used: work is
// bounded by the input size (entries may not overlap, so all string scans together cover the store once).

import { RpmFormatError } from '../errors.ts';
import { type HeaderEntry, type HeaderRegion, findNul, verifyEntries, verifyRegion } from './headerVerify.ts';
import { TagType, TAG_TYPE_NAMES } from './tags.ts';

export type { HeaderEntry, HeaderRegion } from './headerVerify.ts';

export const HEADER_MAGIC = Uint8Array.of(0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0);
/** rpm's HEADER_TAGS_MAX and HEADER_DATA_MAX (header_internal.h). */
export const MAX_INDEX_ENTRIES = 0xffff;
export const MAX_DATA_LENGTH = 0x0fffffff;
const ENTRY_SIZE = 16;

export class RpmHeader {
  /** The exact bytes parsed: magic-prefixed for a package header, the bare blob for an rpmdb one. */
  readonly headerBytes: Uint8Array;
  /** True when headerBytes starts with the 8-byte header magic. */
  readonly hasMagic: boolean;
  readonly indexCount: number;
  readonly dataLength: number;
  readonly region: HeaderRegion | null;
  /** All entries in stored order. */
  readonly entries: readonly HeaderEntry[];
  private readonly byTag: Map<number, HeaderEntry>;
  private readonly store: Buffer;
  private readonly storeView: DataView;

  constructor(headerBytes: Uint8Array, hasMagic: boolean, indexCount: number, dataLength: number,
    entries: HeaderEntry[], region: HeaderRegion | null) {
    this.headerBytes = headerBytes;
    this.hasMagic = hasMagic;
    this.indexCount = indexCount;
    this.dataLength = dataLength;
    this.entries = entries;
    this.region = region;
    const storeStart = (hasMagic ? 16 : 8) + indexCount * ENTRY_SIZE;
    // A Buffer view (no copy): its utf8 slicing is much cheaper per string than TextDecoder.
    this.store = Buffer.from(headerBytes.buffer, headerBytes.byteOffset + storeStart, dataLength);
    this.storeView = new DataView(this.store.buffer, this.store.byteOffset, this.store.byteLength);
    // Entries after the region ("dribble", added at install) replace region entries of the same tag,
    // as rpm's headerImport does; the region entry itself is not a value.
    this.byTag = new Map();
    for (let i = region ? 1 : 0; i < entries.length; i++) this.byTag.set(entries[i]!.tag, entries[i]!);
  }

  /** Total size in bytes (headerBytes.length). */
  get byteLength(): number {
    return this.headerBytes.length;
  }

  has(tag: number): boolean {
    return this.byTag.has(tag);
  }

  /** Tag numbers present (values only; the region entry is not listed). */
  tags(): number[] {
    return [...this.byTag.keys()];
  }

  entry(tag: number): HeaderEntry | undefined {
    return this.byTag.get(tag);
  }

  /** A STRING (or the first of a STRING_ARRAY / I18NSTRING); null when absent. */
  getString(tag: number): string | null {
    const e = this.byTag.get(tag);
    if (!e) return null;
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, 'a string');
    }
    return this.readStrings(e, 1)[0] ?? null;
  }

  /** The C-locale (first) value of an I18NSTRING, as `rpm -q --qf` prints it without a locale. */
  getI18nString(tag: number): string | null {
    return this.getString(tag);
  }

  /** Every string of a STRING_ARRAY / I18NSTRING (a STRING gives one); [] when absent. */
  getStringArray(tag: number): string[] {
    const e = this.byTag.get(tag);
    if (!e) return [];
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, 'a string array');
    }
    return this.readStrings(e, e.count);
  }

  /**
   * The raw bytes of every string (no NUL), for callers that must compare exactly what rpm stored:
   * paths need not be UTF-8, and getStringArray decodes invalid sequences to U+FFFD.
   */
  getStringArrayBytes(tag: number): Uint8Array[] {
    const e = this.byTag.get(tag);
    if (!e) return [];
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, 'a string array');
    }
    const out: Uint8Array[] = [];
    let p = e.offset;
    for (let i = 0; i < e.count; i++) {
      const end = findNul(this.store, p, this.store.length);
      out.push(new Uint8Array(this.store.buffer, this.store.byteOffset + p, end - p));
      p = end + 1;
    }
    return out;
  }

  /** The first value of an integer tag (INT8..INT64, CHAR; unsigned as rpm prints them); null when absent. */
  getNumber(tag: number): number | null {
    const e = this.byTag.get(tag);
    if (!e) return null;
    return this.readNumbers(e, 1)[0] ?? null;
  }

  /** All values of an integer tag; [] when absent. INT64 values above 2^53 raise RpmFormatError. */
  getNumberArray(tag: number): number[] {
    const e = this.byTag.get(tag);
    if (!e) return [];
    return this.readNumbers(e, e.count);
  }

  /** A BIN value (or the raw bytes of any entry) as a view into headerBytes; null when absent. */
  getBinary(tag: number): Uint8Array | null {
    const e = this.byTag.get(tag);
    if (!e) return null;
    if (e.type === TagType.BIN || e.type === TagType.CHAR || e.type === TagType.INT8) {
      return this.store.subarray(e.offset, e.offset + e.count);
    }
    throw this.typeError(e, 'binary');
  }

  /**
   * The header as it was in the package: magic + the immutable region only (index entries and data),
   * which is what SHA256HEADER / SHA1HEADER were computed over. For a package header that is exactly
   * headerBytes; for an rpmdb blob the entries rpm added at install are left out (rpm's headerExport
   * copies the region's index and data verbatim ahead of them). A header without a region (rpm 3 era)
   * is returned whole with magic.
   */
  immutableBytes(): Uint8Array {
    const region = this.region;
    const bodyStart = this.hasMagic ? 8 : 0;
    if (!region || (region.indexCount === this.indexCount && region.dataLength === this.dataLength)) {
      if (this.hasMagic) return this.headerBytes;
      return concat(HEADER_MAGIC, this.headerBytes);
    }
    const out = new Uint8Array(16 + region.indexCount * ENTRY_SIZE + region.dataLength);
    out.set(HEADER_MAGIC, 0);
    const dv = new DataView(out.buffer);
    dv.setUint32(8, region.indexCount);
    dv.setUint32(12, region.dataLength);
    const idx = bodyStart + 8;
    out.set(this.headerBytes.subarray(idx, idx + region.indexCount * ENTRY_SIZE), 16);
    out.set(this.store.subarray(0, region.dataLength), 16 + region.indexCount * ENTRY_SIZE);
    return out;
  }

  private typeError(e: HeaderEntry, wanted: string): RpmFormatError {
    return new RpmFormatError(`header tag ${e.tag} has type ${TAG_TYPE_NAMES[e.type] ?? e.type}, expected ${wanted}`);
  }

  private readStrings(e: HeaderEntry, max: number): string[] {
    const out: string[] = [];
    const n = Math.min(max, e.count);
    let p = e.offset;
    // Termination within the store was checked at parse time.
    for (let i = 0; i < n; i++) {
      const end = findNul(this.store, p, this.store.length);
      out.push(this.store.toString('utf8', p, end));
      p = end + 1;
    }
    return out;
  }

  private readNumbers(e: HeaderEntry, max: number): number[] {
    const n = Math.min(max, e.count);
    const out = new Array<number>(n);
    const dv = this.storeView;
    switch (e.type) {
      case TagType.CHAR:
      case TagType.INT8:
        for (let i = 0; i < n; i++) out[i] = dv.getUint8(e.offset + i);
        return out;
      case TagType.INT16:
        for (let i = 0; i < n; i++) out[i] = dv.getUint16(e.offset + 2 * i);
        return out;
      case TagType.INT32:
        for (let i = 0; i < n; i++) out[i] = dv.getUint32(e.offset + 4 * i);
        return out;
      case TagType.INT64:
        for (let i = 0; i < n; i++) {
          const v = dv.getBigUint64(e.offset + 8 * i);
          if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpmFormatError(`header tag ${e.tag} value ${v} is beyond 2^53`);
          out[i] = Number(v);
        }
        return out;
      default:
        throw this.typeError(e, 'an integer');
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Total size of a magic-prefixed header whose first 16 bytes are at `offset`; checks magic and limits. */
export function headerSizeAt(buf: Uint8Array, offset: number, what = 'header'): number {
  if (offset < 0 || offset + 16 > buf.length) throw new RpmFormatError(`${what} truncated at offset ${offset}`);
  for (let i = 0; i < 4; i++) {
    if (buf[offset + i] !== HEADER_MAGIC[i]) throw new RpmFormatError(`${what} magic missing at offset ${offset}`);
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return 16 + checkedSizes(dv.getUint32(offset + 8), dv.getUint32(offset + 12), what);
}

function checkedSizes(il: number, dl: number, what: string): number {
  if (il < 1 || il > MAX_INDEX_ENTRIES) throw new RpmFormatError(`${what} index count ${il} out of range (1..${MAX_INDEX_ENTRIES})`);
  if (dl > MAX_DATA_LENGTH) throw new RpmFormatError(`${what} data length ${dl} out of range`);
  return il * ENTRY_SIZE + dl;
}

/**
 * Parse a magic-prefixed header (as in a package file) starting at `offset` of `buf`. The header keeps a
 * copy of its bytes unless `copy` is false (then it keeps a view: only for buffers nobody else changes).
 */
export function parseHeader(buf: Uint8Array, offset = 0, what = 'header', copy = true): RpmHeader {
  const size = headerSizeAt(buf, offset, what);
  if (offset + size > buf.length) {
    throw new RpmFormatError(`${what} truncated: needs ${size} bytes at offset ${offset}, ${buf.length - offset} available`);
  }
  return build(copy ? copyOut(buf, offset, offset + size) : view(buf, offset, offset + size), true, what);
}

/** Parse a header blob as stored in an rpmdb (index count, data length, index, data; no magic). */
export function parseHeaderBlob(blob: Uint8Array, what = 'header blob'): RpmHeader {
  if (blob.length < 8) throw new RpmFormatError(`${what} truncated: ${blob.length} bytes`);
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = 8 + checkedSizes(dv.getUint32(0), dv.getUint32(4), what);
  // rpmdb backends may hand over a slot with trailing bytes; a short one is corrupt.
  if (size > blob.length) throw new RpmFormatError(`${what} truncated: needs ${size} bytes, has ${blob.length}`);
  return build(copyOut(blob, 0, size), false, what);
}

/** A plain Uint8Array copy (Buffer#slice would return a view, not a copy). */
function copyOut(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
}

/** A plain Uint8Array view, whatever subclass came in, so headerBytes always has one type. */
function view(b: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset + start, end - start);
}

function build(bytes: Uint8Array, hasMagic: boolean, what: string): RpmHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const intro = hasMagic ? 8 : 0;
  const il = dv.getUint32(intro);
  const dl = dv.getUint32(intro + 4);
  const indexStart = intro + 8;
  const storeStart = indexStart + il * ENTRY_SIZE;
  const store = bytes.subarray(storeStart, storeStart + dl);
  const entries: HeaderEntry[] = new Array(il);
  for (let i = 0; i < il; i++) {
    const p = indexStart + i * ENTRY_SIZE;
    entries[i] = { tag: dv.getUint32(p), type: dv.getUint32(p + 4), offset: dv.getInt32(p + 8), count: dv.getUint32(p + 12) };
  }
  const region = verifyRegion(entries, store, dl, what);
  verifyEntries(entries, store, dl, region, what);
  return new RpmHeader(bytes, hasMagic, il, dl, entries, region);
}
