// How many leading bytes of an .rpm hold the lead, the signature header and the main header — all a
// decomposer needs to compare a build — so a remote package can be read with one or two Range requests
// instead of a whole download. Layout (rpm's doc/manual/format.md, "Package file format"):
//   lead: 96 bytes; signature header: 16-byte intro (magic 8E AD E8 01, 4 reserved, index count il,
//   data length dl) + il*16 + dl, padded to a multiple of 8; main header: 16-byte intro + il*16 + dl.

import { RpmFormatError } from '../errors.ts';

export const LEAD_SIZE = 96;
const INTRO = 16;
const MAX_INDEX = 0x10000; // rpm's HEADER_TAGS_MAX
const MAX_DATA = 256 * 1024 * 1024; // rpm's HEADER_DATA_MAX

/**
 * Given the first bytes of a package, either the total number of bytes up to the end of the main header
 * (`{ done: end }`) or how many bytes must be available to learn more (`{ need: n }`). Throws
 * RpmFormatError when the bytes are not an rpm.
 */
export function headerBytesNeeded(prefix: Uint8Array): { done: number } | { need: number } {
  if (prefix.length < LEAD_SIZE + INTRO) return { need: LEAD_SIZE + INTRO };
  if (prefix[0] !== 0xed || prefix[1] !== 0xab || prefix[2] !== 0xee || prefix[3] !== 0xdb) throw new RpmFormatError('not an rpm package (bad lead magic)');
  const sig = sectionSize(prefix, LEAD_SIZE, 'signature');
  const mainStart = LEAD_SIZE + sig + ((8 - (sig % 8)) % 8);
  if (prefix.length < mainStart + INTRO) return { need: mainStart + INTRO };
  const main = sectionSize(prefix, mainStart, 'main');
  return { done: mainStart + main };
}

/** Where the main header starts, given enough bytes (lead + signature intro). */
export function mainHeaderStart(prefix: Uint8Array): number {
  const sig = sectionSize(prefix, LEAD_SIZE, 'signature');
  return LEAD_SIZE + sig + ((8 - (sig % 8)) % 8);
}

function sectionSize(b: Uint8Array, at: number, what: string): number {
  if (b[at] !== 0x8e || b[at + 1] !== 0xad || b[at + 2] !== 0xe8 || b[at + 3] !== 0x01) {
    throw new RpmFormatError(`${what} header magic missing at offset ${at}`);
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const il = dv.getUint32(at + 8);
  const dl = dv.getUint32(at + 12);
  if (il === 0 || il > MAX_INDEX || dl > MAX_DATA) throw new RpmFormatError(`${what} header sizes out of bounds (il ${il}, dl ${dl})`);
  return INTRO + il * 16 + dl;
}
