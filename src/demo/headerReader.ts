// A small, bounded reader for the headers the demo's writers produce (and rpmbuild's): enough to lift the
// signature values and the main header out of a package for the rpmdb writer. The full parser lives in
// src/rpm; this one only needs a few tags and must not depend on it (the demo ships in the CLI bundle
// whatever state src/rpm is in).

import { RpmFormatError } from '../errors.ts';
import { HeaderType } from './headerWriter.ts';

export interface RawHeader {
  /** il, dl, index and data: the header without its 8-byte magic. */
  blob: Uint8Array;
  get(tag: number): { type: number; count: number; data: Uint8Array } | undefined;
  strings(tag: number): string[];
  numbers(tag: number): number[];
}

const LEAD_SIZE = 96;
const MAX_TAGS = 0x10000;
const MAX_DATA = 256 * 1024 * 1024;

/** Reads a header without magic starting at `blob[0]` (il, dl, …); the blob must hold exactly that header. */
export function readHeaderBlob(blob: Uint8Array): RawHeader {
  if (blob.length < 8) throw new RpmFormatError('header shorter than its 8-byte intro');
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = dv.getUint32(0);
  const dl = dv.getUint32(4);
  if (il > MAX_TAGS || dl > MAX_DATA || blob.length !== 8 + il * 16 + dl) {
    throw new RpmFormatError(`header sizes do not fit: il ${il}, dl ${dl}, ${blob.length} bytes`);
  }
  const dataStart = 8 + il * 16;
  const entries = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const offset = dv.getInt32(at + 8);
    const count = dv.getUint32(at + 12);
    if (offset < 0 || offset > dl) continue; // region trailers have negative offsets
    entries.set(dv.getUint32(at), { type: dv.getUint32(at + 4), offset, count });
  }
  const dec = new TextDecoder();
  const get = (tag: number) => {
    const e = entries.get(tag);
    if (!e) return undefined;
    const start = dataStart + e.offset;
    const end = blob.length;
    let len: number;
    if (e.type === HeaderType.STRING || e.type === HeaderType.STRING_ARRAY || e.type === HeaderType.I18NSTRING) {
      let p = start;
      const n = e.type === HeaderType.STRING ? 1 : e.count;
      for (let k = 0; k < n; k++) {
        while (p < end && blob[p] !== 0) p++;
        if (p >= end) throw new RpmFormatError(`header tag ${tag}: string runs past the data`);
        p++;
      }
      len = p - start;
    } else {
      const size = [0, 1, 1, 2, 4, 8, 0, 1][e.type] ?? 0;
      len = size * e.count;
      if (start + len > end) throw new RpmFormatError(`header tag ${tag}: data runs past the end`);
    }
    return { type: e.type, count: e.count, data: blob.subarray(start, start + len) };
  };
  return {
    blob,
    get,
    strings(tag) {
      const e = get(tag);
      if (!e) return [];
      const parts = dec.decode(e.data).split('\0');
      parts.pop();
      return e.type === HeaderType.I18NSTRING ? parts.slice(0, 1) : parts;
    },
    numbers(tag) {
      const e = get(tag);
      if (!e) return [];
      const v = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength);
      const out: number[] = [];
      for (let k = 0; k < e.count; k++) {
        if (e.type === HeaderType.INT32) out.push(v.getUint32(k * 4));
        else if (e.type === HeaderType.INT16) out.push(v.getUint16(k * 2));
        else if (e.type === HeaderType.INT64) out.push(Number(v.getBigUint64(k * 8)));
        else out.push(v.getUint8(k));
      }
      return out;
    },
  };
}

function headerAt(pkg: Uint8Array, at: number, what: string): { header: RawHeader; end: number } {
  if (at + 16 > pkg.length) throw new RpmFormatError(`${what} header truncated`);
  if (pkg[at] !== 0x8e || pkg[at + 1] !== 0xad || pkg[at + 2] !== 0xe8) throw new RpmFormatError(`${what} header magic missing`);
  const dv = new DataView(pkg.buffer, pkg.byteOffset, pkg.byteLength);
  const il = dv.getUint32(at + 8);
  const dl = dv.getUint32(at + 12);
  const end = at + 16 + il * 16 + dl;
  if (il > MAX_TAGS || dl > MAX_DATA || end > pkg.length) throw new RpmFormatError(`${what} header truncated`);
  return { header: readHeaderBlob(pkg.subarray(at + 8, end)), end };
}

/** The signature header and the main header of a package file. */
export function readPackageHeaders(pkg: Uint8Array): { signature: RawHeader; main: RawHeader; mainStart: number; mainEnd: number } {
  if (pkg.length < LEAD_SIZE || pkg[0] !== 0xed || pkg[1] !== 0xab || pkg[2] !== 0xee || pkg[3] !== 0xdb) {
    throw new RpmFormatError('not an rpm package (lead magic missing)');
  }
  const sig = headerAt(pkg, LEAD_SIZE, 'signature');
  const mainStart = sig.end + ((8 - (sig.end % 8)) % 8);
  const main = headerAt(pkg, mainStart, 'main');
  return { signature: sig.header, main: main.header, mainStart, mainEnd: main.end };
}
