// Parsing one 512-byte tar header block and the extended-header payloads that may precede it.
// Layouts: POSIX ustar and pax (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html),
// GNU extensions (https://www.gnu.org/software/tar/manual/html_node/Standard.html): 'L'/'K' long names,
// 'S' old sparse with extension blocks, base-256 numbers. Only decoding here: the walker keeps the raw blocks.

import { TarFormatError } from '../errors.ts';

export const BLOCK = 512;
/** Extended headers ('x', 'g', 'L', 'K') larger than this are refused: no real archive needs more. */
export const MAX_EXTENDED_HEADER = 1 << 20;

export function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** A NUL-terminated field as bytes (the tar fields are raw bytes: names need not be UTF-8). */
export function fieldBytes(b: Uint8Array, off: number, len: number): Uint8Array {
  const end = b.subarray(off, off + len).indexOf(0);
  return b.subarray(off, end < 0 ? off + len : off + end);
}

const decoder = new TextDecoder('utf-8', { fatal: false });
export function fieldString(b: Uint8Array, off: number, len: number): string {
  return decoder.decode(fieldBytes(b, off, len));
}

/**
 * A numeric field: octal ASCII (leading spaces/NULs, trailing space or NUL), or GNU base-256 when the
 * first byte has its high bit set (0x80 positive, 0xff negative). Throws on anything else: a checksum-valid
 * header with a garbage size must not make us read or skip a wrong amount.
 */
export function parseNumber(b: Uint8Array, off: number, len: number, what: string): number {
  const first = b[off]!;
  if (first & 0x80) {
    const negative = first === 0xff;
    let v = negative ? -1n : 0n;
    v = (v << 8n) | BigInt(first & (negative ? 0xff : 0x7f));
    for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(b[off + i]!);
    if (negative) v = v - (1n << BigInt(8 * len)); // two's complement over the whole field
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TarFormatError(`tar header ${what} field is out of range`);
    }
    return Number(v);
  }
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) throw new TarFormatError(`tar header ${what} field is not octal`);
    v = v * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) {
    if (b[i] !== 0x20 && b[i] !== 0) throw new TarFormatError(`tar header ${what} field is not octal`);
  }
  if (digits === 0) return 0;
  return v;
}

/** The header checksum: sum of all bytes with the checksum field read as spaces (unsigned, or signed as old tars did). */
export function verifyChecksum(b: Uint8Array, offset: number): void {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  let stored: number;
  try {
    stored = parseNumber(b, 148, 8, 'checksum');
  } catch {
    throw new TarFormatError(`tar header at offset ${offset} has a malformed checksum field (not a tar, or corrupt)`);
  }
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(`tar header at offset ${offset} fails its checksum (corrupt archive)`);
  }
}

export type TarFormat = 'ustar' | 'gnu' | 'v7';

export function headerFormat(b: Uint8Array): TarFormat {
  // "ustar\0" "00" is POSIX; "ustar " " \0" is old GNU. No magic: version 7 tar.
  if (b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72) {
    return b[262] === 0x20 ? 'gnu' : 'ustar';
  }
  return 'v7';
}

/** The fields of one header block, before extended headers are applied. */
export interface RawHeaderFields {
  nameBytes: Uint8Array;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkBytes: Uint8Array;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  format: TarFormat;
  /** GNU 'S' only: the file's real size and whether sparse extension blocks follow. */
  gnuRealSize: number;
  gnuIsExtended: boolean;
}

export function parseHeaderBlock(b: Uint8Array, offset: number): RawHeaderFields {
  verifyChecksum(b, offset);
  const format = headerFormat(b);
  const typeflag = b[156] === 0 ? '0' : String.fromCharCode(b[156]!);
  let nameBytes = fieldBytes(b, 0, 100);
  if (format === 'ustar') {
    const prefix = fieldBytes(b, 345, 155);
    if (prefix.length > 0) {
      const joined = new Uint8Array(prefix.length + 1 + nameBytes.length);
      joined.set(prefix);
      joined[prefix.length] = 0x2f;
      joined.set(nameBytes, prefix.length + 1);
      nameBytes = joined;
    }
  }
  const num = (off: number, len: number, what: string) => {
    try {
      return parseNumber(b, off, len, what);
    } catch (e) {
      throw new TarFormatError(`tar header at offset ${offset}: ${(e as Error).message}`);
    }
  };
  const size = num(124, 12, 'size');
  if (size < 0) throw new TarFormatError(`tar header at offset ${offset} has a negative size`);
  const isGnuSparse = typeflag === 'S' && format === 'gnu';
  return {
    nameBytes,
    mode: num(100, 8, 'mode'),
    uid: num(108, 8, 'uid'),
    gid: num(116, 8, 'gid'),
    size,
    mtime: num(136, 12, 'mtime'),
    typeflag,
    linkBytes: fieldBytes(b, 157, 100),
    uname: format === 'v7' ? '' : fieldString(b, 265, 32),
    gname: format === 'v7' ? '' : fieldString(b, 297, 32),
    devmajor: format === 'v7' ? 0 : num(329, 8, 'devmajor'),
    devminor: format === 'v7' ? 0 : num(337, 8, 'devminor'),
    format,
    gnuRealSize: isGnuSparse ? num(483, 12, 'realsize') : 0,
    gnuIsExtended: isGnuSparse && b[482] !== 0,
  };
}

/**
 * pax extended header records: "LEN KEY=VALUE\n", LEN counting the whole record. Keys are UTF-8; values are
 * kept as bytes (a path may be any bytes with hdrcharset=BINARY). Later records win, as in POSIX.
 */
export function parsePaxRecords(data: Uint8Array, offset: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // some writers pad with NULs
    let j = i;
    let len = 0;
    while (j < data.length && data[j]! >= 0x30 && data[j]! <= 0x39 && j - i < 12) {
      len = len * 10 + (data[j]! - 0x30);
      j++;
    }
    if (j === i || data[j] !== 0x20 || len <= j - i + 1 || i + len > data.length || data[i + len - 1] !== 0x0a) {
      throw new TarFormatError(`pax extended header for the entry at offset ${offset} is malformed`);
    }
    const rec = data.subarray(j + 1, i + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw new TarFormatError(`pax extended header for the entry at offset ${offset} has a record without '='`);
    out.set(decoder.decode(rec.subarray(0, eq)), rec.subarray(eq + 1));
    i += len;
  }
  return out;
}

export function paxString(v: Uint8Array): string {
  return decoder.decode(v);
}

/** A pax decimal number (size, uid, gid); mtime may have a fraction. */
export function paxNumber(v: Uint8Array, key: string, offset: number, allowFraction = false): number {
  const s = paxString(v);
  const re = allowFraction ? /^-?\d+(\.\d+)?$/ : /^\d+$/;
  if (!re.test(s)) throw new TarFormatError(`pax record ${key}=${s} for the entry at offset ${offset} is not a number`);
  const n = Number(s);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    throw new TarFormatError(`pax record ${key}=${s} for the entry at offset ${offset} is out of range`);
  }
  return n;
}
