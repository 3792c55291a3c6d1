// Reader for rpm's "ndb" package database (`Packages.db`; SUSE's default since SLE 15 SP3 / openSUSE).
// Layout from rpm's lib/backend/ndb/rpmpkg.c; every integer is little-endian whatever the host:
//
//   bytes 0..31      header: magic "RpmP" (0), version 0 (4), generation (8), slot page count (12),
//                    next package index (16)
//   slot pages       `slotnpages` pages of 4096 bytes, the header taking the first 32 bytes of page 0;
//                    16-byte slots: magic "Slot", pkgidx, blkoff, blkcnt (blkoff 0 = free slot)
//   blobs            at blkoff × 16 bytes, blkcnt blocks of 16: head (magic "BlbS", pkgidx, generation,
//                    bloblen), the header blob, zero padding, tail (adler32 of head + blob + padding,
//                    bloblen, magic "BlbE") in the last 12 bytes
//
// rpm lists packages in blob-offset order; so do we.

import { RpmdbError } from '../errors.ts';
import type { StoredHeader } from './bdb.ts';
import type { RandomAccessFile } from './randomAccess.ts';

const le32 = (s: string) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | ((s.charCodeAt(3) << 24) >>> 0);
const PKGDB_MAGIC = le32('RpmP') >>> 0;
const SLOT_MAGIC = le32('Slot') >>> 0;
const BLOBHEAD_MAGIC = le32('BlbS') >>> 0;
const BLOBTAIL_MAGIC = le32('BlbE') >>> 0;
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const PAGE_SIZE = 4096;
const BLOBHEAD_SIZE = 16;
const BLOBTAIL_SIZE = 12;

interface Slot {
  pkgidx: number;
  blkoff: number;
  blkcnt: number;
}

/** True when the first bytes are an ndb Packages.db header. */
export function isNdb(head: Uint8Array): boolean {
  return head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === PKGDB_MAGIC;
}

/** Adler-32 (RFC 1950), continued from `adler`. */
export function adler32(bytes: Uint8Array, adler = 1): number {
  let s1 = adler & 0xffff;
  let s2 = adler >>> 16;
  let i = 0;
  while (i < bytes.length) {
    // 5552 bytes is the most that can be summed before the 32-bit sums must be reduced (zlib's NMAX).
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      s1 += bytes[i]!;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

async function readSlots(file: RandomAccessFile): Promise<Slot[]> {
  if (file.size < HEADER_SIZE) throw new RpmdbError(`${file.path}: ${file.size} bytes is too short for an ndb database`);
  const header = await file.read(0, HEADER_SIZE);
  const dv = new DataView(header.buffer, header.byteOffset, HEADER_SIZE);
  if (dv.getUint32(0, true) !== PKGDB_MAGIC) throw new RpmdbError(`${file.path}: not an ndb Packages.db (bad magic)`);
  const version = dv.getUint32(4, true);
  if (version !== 0) throw new RpmdbError(`${file.path}: unsupported ndb version ${version}`);
  const slotPages = dv.getUint32(12, true);
  if (slotPages === 0 || slotPages * PAGE_SIZE > file.size) {
    throw new RpmdbError(`${file.path}: ${slotPages} slot pages do not fit in ${file.size} bytes`);
  }
  if (file.size % BLK_SIZE !== 0) throw new RpmdbError(`${file.path}: size ${file.size} is not a multiple of ${BLK_SIZE}; truncated`);
  const fileBlocks = file.size / BLK_SIZE;
  const firstBlobBlock = (slotPages * PAGE_SIZE) / BLK_SIZE;
  const slots: Slot[] = [];
  const pages = await file.read(0, slotPages * PAGE_SIZE);
  const sv = new DataView(pages.buffer, pages.byteOffset, pages.byteLength);
  for (let o = HEADER_SIZE; o < pages.length; o += SLOT_SIZE) {
    if (sv.getUint32(o, true) !== SLOT_MAGIC) throw new RpmdbError(`${file.path}: slot at byte ${o} has a bad magic`);
    const blkoff = sv.getUint32(o + 8, true);
    if (blkoff === 0) continue; // free slot
    const pkgidx = sv.getUint32(o + 4, true);
    const blkcnt = sv.getUint32(o + 12, true);
    if (pkgidx === 0 || blkcnt === 0 || blkoff < firstBlobBlock || blkoff + blkcnt > fileBlocks) {
      throw new RpmdbError(`${file.path}: slot at byte ${o} (package ${pkgidx}, blocks ${blkoff}+${blkcnt}) is out of bounds`);
    }
    slots.push({ pkgidx, blkoff, blkcnt });
  }
  slots.sort((a, b) => a.blkoff - b.blkoff);
  for (let i = 1; i < slots.length; i++) {
    const prev = slots[i - 1]!;
    if (prev.blkoff + prev.blkcnt > slots[i]!.blkoff) throw new RpmdbError(`${file.path}: blobs of packages ${prev.pkgidx} and ${slots[i]!.pkgidx} overlap`);
  }
  return slots;
}

async function readBlob(file: RandomAccessFile, slot: Slot): Promise<Uint8Array> {
  const where = `${file.path}: package ${slot.pkgidx}`;
  const total = slot.blkcnt * BLK_SIZE;
  if (total < BLOBHEAD_SIZE + BLOBTAIL_SIZE) throw new RpmdbError(`${where}: ${slot.blkcnt} blocks cannot hold a blob`);
  const bytes = await file.read(slot.blkoff * BLK_SIZE, total);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== BLOBHEAD_MAGIC) throw new RpmdbError(`${where}: blob head has a bad magic`);
  if (dv.getUint32(4, true) !== slot.pkgidx) throw new RpmdbError(`${where}: blob belongs to package ${dv.getUint32(4, true)}`);
  const length = dv.getUint32(12, true);
  if (Math.ceil((BLOBHEAD_SIZE + length + BLOBTAIL_SIZE) / BLK_SIZE) !== slot.blkcnt) {
    throw new RpmdbError(`${where}: blob of ${length} bytes does not match its ${slot.blkcnt} blocks`);
  }
  const tail = total - BLOBTAIL_SIZE;
  if (dv.getUint32(tail + 8, true) !== BLOBTAIL_MAGIC) throw new RpmdbError(`${where}: blob tail has a bad magic`);
  if (dv.getUint32(tail + 4, true) !== length) throw new RpmdbError(`${where}: blob tail length ${dv.getUint32(tail + 4, true)} differs from head ${length}`);
  // rpm checks this sum in `rpmdb --verifydb`; we check it on every read, so a damaged blob is never parsed.
  const sum = adler32(bytes.subarray(0, tail));
  if (dv.getUint32(tail, true) !== sum) throw new RpmdbError(`${where}: blob checksum mismatch (adler32)`);
  return bytes.slice(BLOBHEAD_SIZE, BLOBHEAD_SIZE + length);
}

/** Headers stored in an ndb Packages.db, in rpm's order (by position in the file). */
export async function* readNdbPackages(file: RandomAccessFile): AsyncGenerator<StoredHeader> {
  const slots = await readSlots(file);
  for (const slot of slots) yield { hnum: slot.pkgidx, blob: await readBlob(file, slot) };
}
