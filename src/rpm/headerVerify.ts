// The checks rpm makes before it trusts a header (lib/header.c: hdrblobVerifyRegion, hdrblobVerifyInfo),
// so that what rpm rejects we reject, and so that every later read of the store is in bounds. Entries
// may not overlap, so all string scans together cover the store at most once: work is linear in size.
// https://github.com/rpm-software-management/rpm/blob/master/docs/manual/format_header.md

import { RpmFormatError } from '../errors.ts';
import { TagType, TAG_TYPE_NAMES, isRegionTag } from './tags.ts';

const ENTRY_SIZE = 16;
/** rpm's HEADER_DATA_MAX (header_internal.h): also the largest count rpm accepts. */
const MAX_COUNT = 0x0fffffff;
/** Data alignment by type (header.c typeAlign): INT16 2, INT32 4, INT64 8, everything else 1. */
const TYPE_ALIGN = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1];
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, -1, 1, -1, -1];

export interface HeaderEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

/** The immutable region (header.c): the part of the header that was signed, which rpm never changes. */
export interface HeaderRegion {
  tag: number;
  /** Index entries inside the region (the region entry itself included). */
  indexCount: number;
  /** Data bytes inside the region (the 16-byte trailer included). */
  dataLength: number;
}

/**
 * Index of the next NUL in b[from, end), or -1. A plain loop: V8's TypedArray indexOf costs several
 * times more per call on the many short strings of a header (measured: 5x on a 1500-file header).
 */
export function findNul(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (b[i] === 0) return i;
  return -1;
}

/** hdrblobVerifyRegion: a first entry with a region tag must point at a trailer that closes the region. */
export function verifyRegion(entries: HeaderEntry[], store: Uint8Array, dl: number, what: string): HeaderRegion | null {
  const first = entries[0]!;
  if (!isRegionTag(first.tag)) return null;
  if (first.type !== TagType.BIN || first.count !== ENTRY_SIZE) {
    throw new RpmFormatError(`${what} region tag ${first.tag} has type ${first.type}, count ${first.count}`);
  }
  if (first.offset < 0 || first.offset + ENTRY_SIZE > dl) {
    throw new RpmFormatError(`${what} region trailer offset ${first.offset} outside data (${dl} bytes)`);
  }
  const tv = new DataView(store.buffer, store.byteOffset + first.offset, ENTRY_SIZE);
  const trailerTag = tv.getUint32(0);
  const trailerOffset = tv.getInt32(8);
  const rdl = first.offset + ENTRY_SIZE;
  const ril = -trailerOffset / ENTRY_SIZE;
  // rpm accepts an old HEADER_IMAGE trailer inside a HEADER_SIGNATURES region (header.c, "legacy").
  const tagOk = trailerTag === first.tag || (first.tag === 62 && trailerTag === 61);
  if (!tagOk || tv.getUint32(4) !== TagType.BIN || tv.getUint32(12) !== ENTRY_SIZE) {
    throw new RpmFormatError(`${what} region trailer does not match region tag ${first.tag}`);
  }
  if (trailerOffset >= 0 || trailerOffset % ENTRY_SIZE !== 0 || !Number.isInteger(ril) || ril < 1 || ril > entries.length) {
    throw new RpmFormatError(`${what} region trailer claims ${ril} entries of ${entries.length}`);
  }
  return { tag: first.tag, indexCount: ril, dataLength: rdl };
}

/** hdrblobVerifyInfo: type, count, alignment, range, no overlap, strings terminated inside the store. */
export function verifyEntries(entries: HeaderEntry[], store: Uint8Array, dl: number, region: HeaderRegion | null, what: string): void {
  let end = 0;
  for (let i = region ? 1 : 0; i < entries.length; i++) {
    const e = entries[i]!;
    const where = `${what} entry ${i} (tag ${e.tag})`;
    if (e.offset < end) throw new RpmFormatError(`${where} overlaps the previous entry's data`);
    if (e.tag < 100) throw new RpmFormatError(`${where} has a reserved tag number`);
    if (e.type < TagType.CHAR || e.type > TagType.I18NSTRING) throw new RpmFormatError(`${where} has unknown type ${e.type}`);
    if (e.count < 1 || e.count > MAX_COUNT) throw new RpmFormatError(`${where} has count ${e.count}`);
    if (e.offset % TYPE_ALIGN[e.type]! !== 0) throw new RpmFormatError(`${where} offset ${e.offset} is misaligned for ${TAG_TYPE_NAMES[e.type]}`);
    if (e.offset >= dl) throw new RpmFormatError(`${where} offset ${e.offset} outside data (${dl} bytes)`);
    const len = dataLength(e, store, dl);
    if (len < 0) throw new RpmFormatError(`${where} data runs past the end of the store`);
    end = e.offset + len;
    // Data may not reach into the region trailer (which this loop does not visit).
    if (region && e.offset < region.dataLength && end > region.dataLength - ENTRY_SIZE) {
      throw new RpmFormatError(`${where} data overlaps the region trailer`);
    }
  }
}

/** Bytes an entry's data occupies, or -1 when it does not fit (strings: unterminated within the store). */
function dataLength(e: HeaderEntry, store: Uint8Array, dl: number): number {
  const fixed = TYPE_SIZE[e.type]!;
  if (fixed > 0) {
    const len = fixed * e.count;
    return e.offset + len <= dl ? len : -1;
  }
  if (e.type === TagType.STRING && e.count !== 1) return -1;
  let p = e.offset;
  for (let i = 0; i < e.count; i++) {
    const z = findNul(store, p, dl);
    if (z < 0) return -1;
    p = z + 1;
  }
  return p - e.offset;
}
