// Writes a BerkeleyDB hash database (the layout of rpm's old `Packages` file) so tests can have databases
// with hundreds of packages, overflow pages, both byte orders and any page size: rpm 4.18 here reads
// BerkeleyDB (bdb_ro) but cannot write it. Layout as in Berkeley DB's dbinc/db_page.h and dbinc/hash.h,
// the same that src/rpmdb/bdb.ts documents; tests check that the real `rpm --define '_db_backend bdb_ro'`
// reads what this writes, which is what makes it trustworthy.
//
// Page 0 is the meta page; pages 1..buckets are the buckets (spares[] all 1, so bucket b is page b + 1);
// pages appended after them hold the continuation pages of full buckets and the overflow chains, in the
// order they are needed, so chains are not contiguous.

export interface BdbWriteOptions {
  /** 512..65536, a power of two. Default 4096. */
  pageSize?: number;
  /** Byte order of every integer in the file. Default true (x86). */
  littleEndian?: boolean;
  /** Number of buckets (any count ≥ 1: a non-power of two exercises the low-mask rule). Default: about one per 8 items. */
  buckets?: number;
  /** Page type of hash pages: 13 (P_HASH, BerkeleyDB ≥ 4.6) or 2 (P_HASH_UNSORTED). Default 13. */
  hashPageType?: 2 | 13;
}

export interface BdbItem {
  key: Uint8Array;
  data: Uint8Array;
}

const PAGE_HEADER = 26;
const HASH_MAGIC = 0x061561;
const HASH_VERSION = 9;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

/** Berkeley DB's default hash (__ham_func5, FNV-1 from 0), as rpm's bdb_ro looks keys up. */
export function bdbHash(key: Uint8Array): number {
  let h = 0;
  for (const b of key) h = (Math.imul(h, 16777619) ^ b) >>> 0;
  return h;
}

class PageFile {
  readonly pages: Uint8Array[] = [];
  readonly pageSize: number;
  readonly littleEndian: boolean;
  constructor(pageSize: number, littleEndian: boolean) {
    this.pageSize = pageSize;
    this.littleEndian = littleEndian;
  }

  alloc(type: number): number {
    const pgno = this.pages.length;
    const page = new Uint8Array(this.pageSize);
    this.pages.push(page);
    this.u32(pgno, 8, pgno);
    page[25] = type;
    return pgno;
  }

  u32(pgno: number, at: number, v: number): void {
    const p = this.pages[pgno]!;
    new DataView(p.buffer, p.byteOffset, p.byteLength).setUint32(at, v, this.littleEndian);
  }

  u16(pgno: number, at: number, v: number): void {
    const p = this.pages[pgno]!;
    new DataView(p.buffer, p.byteOffset, p.byteLength).setUint16(at, v, this.littleEndian);
  }
}

/** Writes `data` to a new chain of overflow pages; returns its first page. */
function writeOverflow(f: PageFile, data: Uint8Array): number {
  const room = f.pageSize - PAGE_HEADER;
  let first = 0;
  let prev = 0;
  for (let done = 0; done < data.length; ) {
    const take = Math.min(room, data.length - done);
    const pgno = f.alloc(P_OVERFLOW);
    f.pages[pgno]!.set(data.subarray(done, done + take), PAGE_HEADER);
    f.u16(pgno, 20, 1); // reference count
    f.u16(pgno, 22, take);
    if (prev) {
      f.u32(prev, 16, pgno);
      f.u32(pgno, 12, prev);
    } else first = pgno;
    prev = pgno;
    done += take;
  }
  return first;
}

/** The on-page form of a key or data item: inline (H_KEYDATA) when small, else an H_OFFPAGE reference. */
function encodeItem(f: PageFile, bytes: Uint8Array): Uint8Array {
  // Berkeley DB moves items over a quarter page off the page (hash.h ISBIG).
  if (bytes.length + 1 <= f.pageSize / 4) {
    const item = new Uint8Array(1 + bytes.length);
    item[0] = H_KEYDATA;
    item.set(bytes, 1);
    return item;
  }
  const item = new Uint8Array(12);
  item[0] = H_OFFPAGE;
  const dv = new DataView(item.buffer);
  dv.setUint32(4, writeOverflow(f, bytes), f.littleEndian);
  dv.setUint32(8, bytes.length, f.littleEndian);
  return item;
}

/** Writes a hash database holding `items` (keys must be distinct). */
export function writeBdbHash(items: readonly BdbItem[], options: BdbWriteOptions = {}): Uint8Array {
  const pageSize = options.pageSize ?? 4096;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${pageSize}`);
  const littleEndian = options.littleEndian ?? true;
  const buckets = options.buckets ?? Math.max(1, Math.ceil(items.length / 8));
  const hashType = options.hashPageType ?? 13;
  let highMask = 1;
  while (highMask < buckets) highMask <<= 1;
  highMask -= 1;
  const lowMask = highMask >>> 1;
  const maxBucket = buckets - 1;

  const f = new PageFile(pageSize, littleEndian);
  f.alloc(P_HASHMETA);
  for (let b = 0; b < buckets; b++) f.alloc(hashType);

  const byBucket: BdbItem[][] = Array.from({ length: buckets }, () => []);
  for (const item of items) {
    let b = bdbHash(item.key) & highMask;
    if (b > maxBucket) b &= lowMask;
    byBucket[b]!.push(item);
  }

  for (let b = 0; b < buckets; b++) {
    let pgno = b + 1;
    let entries = 0;
    let low = pageSize; // lowest used offset: items grow down from the end of the page
    for (const { key, data } of byBucket[b]!) {
      const k = encodeItem(f, key);
      const d = encodeItem(f, data);
      if (PAGE_HEADER + (entries + 2) * 2 > low - k.length - d.length) {
        if (entries === 0) throw new Error(`a pair of ${k.length + d.length} bytes does not fit a ${pageSize}-byte page`);
        const next = f.alloc(hashType);
        f.u32(pgno, 16, next);
        f.u32(next, 12, pgno);
        pgno = next;
        entries = 0;
        low = pageSize;
      }
      const page = f.pages[pgno]!;
      low -= k.length;
      page.set(k, low);
      f.u16(pgno, PAGE_HEADER + entries * 2, low);
      low -= d.length;
      page.set(d, low);
      f.u16(pgno, PAGE_HEADER + (entries + 1) * 2, low);
      entries += 2;
      f.u16(pgno, 20, entries);
      f.u16(pgno, 22, low);
    }
    if (entries === 0) f.u16(pgno, 22, pageSize);
  }

  // The meta page (DBMETA + HMETA).
  f.u32(0, 12, HASH_MAGIC);
  f.u32(0, 16, HASH_VERSION);
  f.u32(0, 20, pageSize);
  f.u32(0, 32, f.pages.length - 1); // last_pgno
  f.u32(0, 40, items.length); // key_count
  f.u32(0, 44, items.length); // record_count
  f.u32(0, 72, maxBucket);
  f.u32(0, 76, highMask);
  f.u32(0, 80, lowMask);
  f.u32(0, 88, items.length); // nelem
  for (let i = 0; i < 32; i++) f.u32(0, 96 + i * 4, 1);

  const out = new Uint8Array(f.pages.length * pageSize);
  f.pages.forEach((p, i) => out.set(p, i * pageSize));
  return out;
}

/**
 * An rpm `Packages` database: header blobs under keys 1..n (4-byte header numbers in the file's byte
 * order), plus key 0 holding the next free number, as rpm's BerkeleyDB backend kept it.
 */
export function writePackagesBdb(blobs: readonly Uint8Array[], options: BdbWriteOptions = {}): Uint8Array {
  const littleEndian = options.littleEndian ?? true;
  const key = (n: number) => {
    const k = new Uint8Array(4);
    new DataView(k.buffer).setUint32(0, n, littleEndian);
    return k;
  };
  const items: BdbItem[] = [{ key: key(0), data: key(blobs.length + 1) }];
  blobs.forEach((blob, i) => items.push({ key: key(i + 1), data: blob }));
  return writeBdbHash(items, options);
}
