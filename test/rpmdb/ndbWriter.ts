// Writes an ndb Packages.db (layout of rpm's lib/backend/ndb/rpmpkg.c, as src/rpmdb/ndb.ts documents)
// for tests that need more than the SLE 15 fixture: several slot pages, free slots, blobs stored in an
// order other than their slots'. rpm 4.18 here cannot write (or read) ndb, so what this writes is checked
// against the fixture's structure and against rpm reading the same headers from other backends.

import { adler32 } from '../../src/rpmdb/ndb.ts';

const PAGE = 4096;
const BLK = 16;

function le(out: Uint8Array, at: number, v: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, v >>> 0, true);
}

const magic = (s: string) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);

export interface NdbWriteOptions {
  /** Slot pages (default: just enough, plus one). */
  slotPages?: number;
  /** Leave every n-th slot free (a deleted package), default 3. */
  freeEvery?: number;
}

/** Blobs get package indexes 1..n; they are stored last-first, so file order is the reverse of slot order. */
export function writeNdb(blobs: readonly Uint8Array[], options: NdbWriteOptions = {}): Uint8Array {
  const freeEvery = options.freeEvery ?? 3;
  const slotsNeeded = blobs.length + Math.ceil(blobs.length / Math.max(1, freeEvery - 1)) + 2;
  const slotPages = options.slotPages ?? Math.ceil((slotsNeeded * 16 + 32) / PAGE) + 1;
  const blobBlocks = blobs.map((b) => Math.ceil((16 + b.length + 12) / BLK));
  const total = slotPages * PAGE + blobBlocks.reduce((a, b) => a + b, 0) * BLK;
  const out = new Uint8Array(total);
  le(out, 0, magic('RpmP'));
  le(out, 4, 0);
  le(out, 8, 7); // generation
  le(out, 12, slotPages);
  le(out, 16, blobs.length + 1); // next package index
  for (let o = 32; o < slotPages * PAGE; o += 16) le(out, o, magic('Slot'));

  let blk = (slotPages * PAGE) / BLK;
  let slot = 32;
  for (let n = blobs.length; n >= 1; n--) {
    const blob = blobs[n - 1]!;
    const at = blk * BLK;
    const size = blobBlocks[n - 1]! * BLK;
    le(out, at, magic('BlbS'));
    le(out, at + 4, n);
    le(out, at + 8, 7);
    le(out, at + 12, blob.length);
    out.set(blob, at + 16);
    const tail = at + size - 12;
    le(out, tail, adler32(out.subarray(at, tail)));
    le(out, tail + 4, blob.length);
    le(out, tail + 8, magic('BlbE'));
    // Slots are filled in package order (1 first), with free slots between them.
    const slotIndex = n - 1;
    const slotAt = 32 + (slotIndex + Math.floor(slotIndex / Math.max(1, freeEvery - 1))) * 16;
    le(out, slotAt + 4, n);
    le(out, slotAt + 8, blk);
    le(out, slotAt + 12, blobBlocks[n - 1]!);
    blk += blobBlocks[n - 1]!;
    slot = Math.max(slot, slotAt + 16);
  }
  if (slot > slotPages * PAGE) throw new Error('slot pages too small');
  return out;
}
