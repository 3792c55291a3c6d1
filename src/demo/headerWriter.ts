// Encodes RPM headers the way rpm 4.x writes them, for the demo's package and rpmdb generators.
// Layout (https://rpm-software-management.github.io/rpm/manual/format_header.html): an optional 8-byte
// magic, il and dl (big-endian u32), il 16-byte index entries {tag, type, offset, count}, then dl bytes
// of data. Entries are sorted by tag and their data follows in the same order (rpm's hdrblobVerifyInfo
// rejects data that goes backwards), each value aligned to its type's size.
// A header written by rpmbuild is one "immutable region": the first entry (tag 62 in the signature
// header, 63 in the main header) points at a 16-byte trailer at the end of the data, an index entry
// whose offset is -(16 × entries in the region). rpm verifies that trailer before trusting the header.

import { TagType as HeaderType, type TagTypeNumber } from '../rpm/tags.ts';

export { HeaderType };

export type HeaderValue =
  | { type: typeof HeaderType.STRING | typeof HeaderType.I18NSTRING; value: string }
  | { type: typeof HeaderType.STRING_ARRAY; value: readonly string[] }
  | {
      type: typeof HeaderType.CHAR | typeof HeaderType.INT8 | typeof HeaderType.INT16 | typeof HeaderType.INT32;
      value: readonly number[];
    }
  | { type: typeof HeaderType.INT64; value: readonly bigint[] }
  | { type: typeof HeaderType.BIN; value: Uint8Array };

export interface HeaderEntry {
  tag: number;
  data: HeaderValue;
}

export const HEADER_MAGIC = Uint8Array.of(0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0);
const REGION_TRAILER_SIZE = 16;

const utf8 = new TextEncoder();

function alignment(type: TagTypeNumber): number {
  if (type === HeaderType.INT16) return 2;
  if (type === HeaderType.INT32) return 4;
  if (type === HeaderType.INT64) return 8;
  return 1;
}

function encodeValue(v: HeaderValue): { bytes: Uint8Array; count: number } {
  switch (v.type) {
    case HeaderType.STRING:
    case HeaderType.I18NSTRING: {
      const s = utf8.encode(v.value);
      const out = new Uint8Array(s.length + 1);
      out.set(s);
      return { bytes: out, count: 1 };
    }
    case HeaderType.STRING_ARRAY: {
      const parts = v.value.map((s) => utf8.encode(s));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length + 1;
      }
      return { bytes: out, count: parts.length };
    }
    case HeaderType.CHAR:
    case HeaderType.INT8:
      return { bytes: Uint8Array.from(v.value, (n) => n & 0xff), count: v.value.length };
    case HeaderType.INT16: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 2));
      v.value.forEach((n, i) => dv.setUint16(i * 2, n & 0xffff));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case HeaderType.INT32: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 4));
      v.value.forEach((n, i) => dv.setUint32(i * 4, n >>> 0));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case HeaderType.INT64: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 8));
      v.value.forEach((n, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, n)));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case HeaderType.BIN:
      return { bytes: v.value, count: v.value.length };
  }
}

interface Laid {
  index: Uint8Array;
  data: Uint8Array;
  count: number;
}

/** Lays entries out (sorted by tag, data aligned) starting at data offset `base`. */
function layOut(entries: readonly HeaderEntry[], base: number): Laid {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.tag === sorted[i - 1]!.tag) throw new Error(`header tag ${sorted[i]!.tag} given twice`);
  }
  const index = new DataView(new ArrayBuffer(sorted.length * 16));
  const chunks: Uint8Array[] = [];
  let offset = base;
  sorted.forEach((e, i) => {
    const { bytes, count } = encodeValue(e.data);
    const pad = (alignment(e.data.type) - (offset % alignment(e.data.type))) % alignment(e.data.type);
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    index.setUint32(i * 16, e.tag);
    index.setUint32(i * 16 + 4, e.data.type);
    index.setUint32(i * 16 + 8, offset);
    index.setUint32(i * 16 + 12, count);
    chunks.push(bytes);
    offset += bytes.length;
  });
  return { index: new Uint8Array(index.buffer), data: concat(chunks), count: sorted.length };
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function regionEntry(tag: number, offset: number): Uint8Array {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setUint32(0, tag);
  dv.setUint32(4, HeaderType.BIN);
  dv.setInt32(8, offset);
  dv.setUint32(12, REGION_TRAILER_SIZE);
  return new Uint8Array(dv.buffer);
}

/**
 * A header that is one immutable region (`regionTag` 62 for the signature header, 63 for the main one),
 * as rpmbuild writes it: returns il, dl, index and data without the 8-byte magic (the form rpmdb stores
 * and SHA256HEADER/SHA1HEADER hash is the one with magic: use `withMagic`).
 */
export function encodeRegionHeader(entries: readonly HeaderEntry[], regionTag: 62 | 63): Uint8Array {
  const laid = layOut(entries, 0);
  const il = laid.count + 1;
  const trailerOffset = laid.data.length;
  const intro = new DataView(new ArrayBuffer(8));
  intro.setUint32(0, il);
  intro.setUint32(4, trailerOffset + REGION_TRAILER_SIZE);
  return concat([
    new Uint8Array(intro.buffer),
    regionEntry(regionTag, trailerOffset),
    laid.index,
    laid.data,
    regionEntry(regionTag, -il * 16),
  ]);
}

/** Prefixes the header magic: the form found in package files (and the one the header digests cover). */
export function withMagic(blob: Uint8Array): Uint8Array {
  return concat([HEADER_MAGIC, blob]);
}

/**
 * Appends entries outside the immutable region of `blob` (a header without magic whose first entry is a
 * region tag), as rpm does when it installs a package: the region's index and data stay byte-identical,
 * new entries follow both, sorted by tag, data aligned after the region's data.
 */
export function appendDribbles(blob: Uint8Array, extra: readonly HeaderEntry[]): Uint8Array {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = dv.getUint32(0);
  const dl = dv.getUint32(4);
  if (blob.length !== 8 + il * 16 + dl) throw new Error('header blob length does not match il/dl');
  const laid = layOut(extra, dl);
  const intro = new DataView(new ArrayBuffer(8));
  intro.setUint32(0, il + laid.count);
  intro.setUint32(4, dl + laid.data.length);
  return concat([
    new Uint8Array(intro.buffer),
    blob.subarray(8, 8 + il * 16),
    laid.index,
    blob.subarray(8 + il * 16),
    laid.data,
  ]);
}

// Small constructors so callers read like a tag list.
export const str = (value: string): HeaderValue => ({ type: HeaderType.STRING, value });
export const i18n = (value: string): HeaderValue => ({ type: HeaderType.I18NSTRING, value });
export const strArray = (value: readonly string[]): HeaderValue => ({ type: HeaderType.STRING_ARRAY, value });
export const int32 = (value: readonly number[]): HeaderValue => ({ type: HeaderType.INT32, value });
export const int16 = (value: readonly number[]): HeaderValue => ({ type: HeaderType.INT16, value });
export const int64 = (value: readonly bigint[]): HeaderValue => ({ type: HeaderType.INT64, value });
export const chars = (value: readonly number[]): HeaderValue => ({ type: HeaderType.CHAR, value });
export const bin = (value: Uint8Array): HeaderValue => ({ type: HeaderType.BIN, value });
