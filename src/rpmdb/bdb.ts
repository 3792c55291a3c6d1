// Reader for the BerkeleyDB hash database rpm kept its headers in until 4.16 (`/var/lib/rpm/Packages`:
// RHEL/CentOS ≤ 8, older Fedora, SLES ≤ 15 SP2…). No BerkeleyDB library: the file is walked page by page
// as rpm's own read-only backend does (lib/backend/bdb_ro.cc), with the layouts of Berkeley DB's
// dbinc/db_page.h and dbinc/hash.h:
//
//   meta page 0      DBMETA (72 bytes: magic 0x061561 at 12, version at 16, pagesize at 20, page type at 25,
//                    last_pgno at 32) then HMETA (max_bucket 72, high_mask 76, low_mask 80, spares[32] at 96)
//   other pages      PAGE header (26 bytes: pgno at 8, prev 12, next 16, entries u16 at 20,
//                    hf_offset u16 at 22, type at 25), then `entries` u16 item offsets
//   hash page items  key, data, key, data… ; each item starts with its type byte: H_KEYDATA (bytes follow,
//                    length = previous item's offset − this offset) or H_OFFPAGE (12 bytes: pgno at 4,
//                    total length at 8) for items stored in a chain of overflow pages
//   overflow pages   type 7; hf_offset = bytes of the item on this page (from offset 26); next_pgno chains
//
// Every integer is in the byte order of the machine that wrote the file; the meta magic tells which.
// Bucket b lives on page b + spares[bits(b)], and its later pages follow next_pgno. Keys of the Packages
// database are 4-byte header numbers (in the file's byte order); key 0 holds rpm's next-number counter,
// not a header, and is skipped.

import { RpmdbError } from '../errors.ts';
import type { RandomAccessFile } from './randomAccess.ts';

export interface StoredHeader {
  /** rpm's header number (the database key). */
  hnum: number;
  /** The header as stored: il, dl, index, data (no magic). */
  blob: Uint8Array;
}

const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const HOFFPAGE_SIZE = 12;

interface HashMeta {
  littleEndian: boolean;
  pageSize: number;
  lastPage: number;
  maxBucket: number;
  spares: number[];
}

/** True when the first bytes look like a BerkeleyDB file (hash or btree, either byte order). */
export function isBerkeleyDb(head: Uint8Array): boolean {
  if (head.length < 16) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return [HASH_MAGIC, BTREE_MAGIC].some((m) => dv.getUint32(12, true) === m || dv.getUint32(12, false) === m);
}

function readMeta(file: RandomAccessFile, page0: Uint8Array): HashMeta {
  const dv = new DataView(page0.buffer, page0.byteOffset, page0.byteLength);
  let littleEndian: boolean;
  if (dv.getUint32(12, true) === HASH_MAGIC) littleEndian = true;
  else if (dv.getUint32(12, false) === HASH_MAGIC) littleEndian = false;
  else if (dv.getUint32(12, true) === BTREE_MAGIC || dv.getUint32(12, false) === BTREE_MAGIC) {
    throw new RpmdbError(`${file.path}: a BerkeleyDB btree, not the hash database rpm keeps Packages in`);
  } else throw new RpmdbError(`${file.path}: not a BerkeleyDB database (bad magic)`);
  const u32 = (at: number) => dv.getUint32(at, littleEndian);
  const version = u32(16);
  // Hash versions 8 (BerkeleyDB 4.x), 9 (4.6+), 10 (6.x): the same page layout for what we read.
  if (version < 8 || version > 10) throw new RpmdbError(`${file.path}: unsupported BerkeleyDB hash version ${version}`);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new RpmdbError(`${file.path}: bad BerkeleyDB page size ${pageSize}`);
  }
  if (page0[25] !== P_HASHMETA) throw new RpmdbError(`${file.path}: page 0 is not a hash meta page (type ${page0[25]})`);
  const lastPage = u32(32);
  if ((lastPage + 1) * pageSize > file.size) {
    throw new RpmdbError(`${file.path}: truncated: last page ${lastPage} of ${pageSize} bytes lies past the end (${file.size} bytes)`);
  }
  const maxBucket = u32(72);
  if (maxBucket > lastPage) throw new RpmdbError(`${file.path}: ${maxBucket + 1} buckets cannot fit in ${lastPage} pages`);
  const spares: number[] = [];
  for (let i = 0; i < 32; i++) spares.push(u32(96 + i * 4));
  return { littleEndian, pageSize, lastPage, maxBucket, spares };
}

/** Number of significant bits: the split point a bucket belongs to (bdb_ro's hash_bucket_to_page). */
function bits(n: number): number {
  let i = 0;
  for (let b = n; b; b >>>= 1) i++;
  return i;
}

class BdbHashReader {
  private readonly meta: HashMeta;
  private readonly file: RandomAccessFile;
  /**
   * Pages already read. In a sound file every bucket and overflow page belongs to exactly one chain, so a
   * page met twice is a cycle or two chains sharing pages; refusing it bounds the work by the page count.
   */
  private readonly seen: Uint8Array;

  constructor(file: RandomAccessFile, meta: HashMeta) {
    this.file = file;
    this.meta = meta;
    this.seen = new Uint8Array(meta.lastPage + 1);
  }

  private visit(pgno: number, what: string): void {
    if (pgno === 0 || pgno > this.meta.lastPage) throw new RpmdbError(`${this.file.path}: ${what} points to page ${pgno}, outside 1..${this.meta.lastPage}`);
    if (this.seen[pgno]) throw new RpmdbError(`${this.file.path}: page ${pgno} is reached twice (${what}: a cycle or chains sharing pages)`);
    this.seen[pgno] = 1;
  }

  private async page(pgno: number, what: string): Promise<{ bytes: Uint8Array; dv: DataView }> {
    const { pageSize, lastPage, littleEndian } = this.meta;
    if (pgno === 0 || pgno > lastPage) throw new RpmdbError(`${this.file.path}: ${what} points to page ${pgno}, outside 1..${lastPage}`);
    const bytes = await this.file.read(pgno * pageSize, pageSize);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(8, littleEndian) !== pgno) throw new RpmdbError(`${this.file.path}: page ${pgno} claims to be page ${dv.getUint32(8, littleEndian)}`);
    return { bytes, dv };
  }

  /** Reads an item kept in overflow pages: `length` bytes from the chain starting at `pgno`. */
  private async overflow(pgno: number, length: number): Promise<Uint8Array> {
    const { pageSize, lastPage, littleEndian } = this.meta;
    if (length === 0 || length > lastPage * pageSize) throw new RpmdbError(`${this.file.path}: overflow item of ${length} bytes cannot fit in the file`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      this.visit(pgno, 'an overflow chain');
      const { bytes, dv } = await this.page(pgno, 'an overflow chain');
      if (bytes[25] !== P_OVERFLOW) throw new RpmdbError(`${this.file.path}: page ${pgno} in an overflow chain has type ${bytes[25]}`);
      const onPage = dv.getUint16(22, littleEndian);
      if (onPage === 0 || PAGE_HEADER + onPage > pageSize || onPage > length - done) {
        throw new RpmdbError(`${this.file.path}: overflow page ${pgno} holds ${onPage} bytes, ${length - done} expected at most`);
      }
      out.set(bytes.subarray(PAGE_HEADER, PAGE_HEADER + onPage), done);
      done += onPage;
      pgno = dv.getUint32(16, littleEndian);
    }
    return out;
  }

  /** One item on a hash page: its bytes (copied), resolving overflow items. */
  private async item(bytes: Uint8Array, dv: DataView, pgno: number, offset: number, length: number): Promise<Uint8Array> {
    const { pageSize, littleEndian } = this.meta;
    if (length <= 0 || offset + length > pageSize) throw new RpmdbError(`${this.file.path}: item at ${offset} (+${length}) on page ${pgno} does not fit`);
    switch (bytes[offset]) {
      case H_KEYDATA:
        return bytes.slice(offset + 1, offset + length);
      case H_OFFPAGE:
        if (length !== HOFFPAGE_SIZE) throw new RpmdbError(`${this.file.path}: off-page item on page ${pgno} is ${length} bytes, not 12`);
        return this.overflow(dv.getUint32(offset + 4, littleEndian), dv.getUint32(offset + 8, littleEndian));
      case H_DUPLICATE:
      case H_OFFDUP:
        throw new RpmdbError(`${this.file.path}: duplicate items on page ${pgno}: not an rpm Packages database`);
      default:
        throw new RpmdbError(`${this.file.path}: unknown hash item type ${bytes[offset]} on page ${pgno}`);
    }
  }

  /** Key/data pairs of every bucket, in bucket order (the order `rpm -qa` lists them with bdb_ro). */
  async *pairs(): AsyncGenerator<{ key: Uint8Array; data: Uint8Array }> {
    const { pageSize, lastPage, maxBucket, spares, littleEndian } = this.meta;
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
      let pgno = bucket + spares[bits(bucket)]!;
      let first = true;
      while (pgno !== 0) {
        this.visit(pgno, `bucket ${bucket}`);
        // Berkeley DB allocates bucket pages lazily: a bucket that never held an item may still be a page
        // of zeros (as in an empty database). Berkeley DB itself reads that as an empty bucket.
        if (first && (await this.file.read(pgno * pageSize, pageSize)).every((b) => b === 0)) break;
        first = false;
        const { bytes, dv } = await this.page(pgno, `bucket ${bucket}`);
        const type = bytes[25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED) throw new RpmdbError(`${this.file.path}: bucket ${bucket} page ${pgno} has type ${type}, not a hash page`);
        const entries = dv.getUint16(20, littleEndian);
        const minOffset = PAGE_HEADER + entries * 2;
        if (entries % 2 !== 0 || minOffset > pageSize) throw new RpmdbError(`${this.file.path}: page ${pgno} has ${entries} entries`);
        const at = (i: number) => dv.getUint16(PAGE_HEADER + i * 2, littleEndian);
        for (let i = 0; i < entries; i += 2) {
          const keyOffset = at(i);
          const dataOffset = at(i + 1);
          const keyEnd = i === 0 ? pageSize : at(i - 1);
          if (keyOffset < minOffset || dataOffset < minOffset || keyOffset >= pageSize || keyEnd > pageSize) {
            throw new RpmdbError(`${this.file.path}: item offsets ${keyOffset}/${dataOffset} on page ${pgno} are out of bounds`);
          }
          const key = await this.item(bytes, dv, pgno, keyOffset, keyEnd - keyOffset);
          const data = await this.item(bytes, dv, pgno, dataOffset, keyOffset - dataOffset);
          yield { key, data };
        }
        pgno = dv.getUint32(16, littleEndian);
      }
    }
  }
}

/** Headers stored in a BerkeleyDB hash `Packages` file, in rpm's iteration order. */
export async function* readBdbPackages(file: RandomAccessFile): AsyncGenerator<StoredHeader> {
  if (file.size < 512) throw new RpmdbError(`${file.path}: ${file.size} bytes is too short for a BerkeleyDB database`);
  // Everything the meta page says that we need lies in its first 512 bytes (the smallest page size).
  const meta = readMeta(file, await file.read(0, 512));
  const reader = new BdbHashReader(file, meta);
  for await (const { key, data } of reader.pairs()) {
    if (key.length !== 4) throw new RpmdbError(`${file.path}: key of ${key.length} bytes; Packages keys are 4-byte header numbers`);
    const hnum = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, meta.littleEndian);
    if (hnum === 0) continue;
    yield { hnum, blob: data };
  }
}
