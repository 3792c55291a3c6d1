#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  packageInfo
} from "./chunk-GNQYMYUT.js";
import {
  readFileHead
} from "./chunk-TQESCGCX.js";
import {
  parseHeaderBlob
} from "./chunk-Y3BHZBXO.js";
import {
  RpmdbError,
  RpmdbNotFoundError,
  isYumvaultError
} from "./chunk-JAH4FOK6.js";

// src/rpmdb/bdb.ts
var HASH_MAGIC = 398689;
var BTREE_MAGIC = 340322;
var PAGE_HEADER = 26;
var P_HASH_UNSORTED = 2;
var P_OVERFLOW = 7;
var P_HASHMETA = 8;
var P_HASH = 13;
var H_KEYDATA = 1;
var H_DUPLICATE = 2;
var H_OFFPAGE = 3;
var H_OFFDUP = 4;
var HOFFPAGE_SIZE = 12;
function isBerkeleyDb(head) {
  if (head.length < 16) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return [HASH_MAGIC, BTREE_MAGIC].some((m) => dv.getUint32(12, true) === m || dv.getUint32(12, false) === m);
}
function readMeta(file, page0) {
  const dv = new DataView(page0.buffer, page0.byteOffset, page0.byteLength);
  let littleEndian;
  if (dv.getUint32(12, true) === HASH_MAGIC) littleEndian = true;
  else if (dv.getUint32(12, false) === HASH_MAGIC) littleEndian = false;
  else if (dv.getUint32(12, true) === BTREE_MAGIC || dv.getUint32(12, false) === BTREE_MAGIC) {
    throw new RpmdbError(`${file.path}: a BerkeleyDB btree, not the hash database rpm keeps Packages in`);
  } else throw new RpmdbError(`${file.path}: not a BerkeleyDB database (bad magic)`);
  const u32 = (at) => dv.getUint32(at, littleEndian);
  const version = u32(16);
  if (version < 8 || version > 10) throw new RpmdbError(`${file.path}: unsupported BerkeleyDB hash version ${version}`);
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & pageSize - 1) !== 0) {
    throw new RpmdbError(`${file.path}: bad BerkeleyDB page size ${pageSize}`);
  }
  if (page0[25] !== P_HASHMETA) throw new RpmdbError(`${file.path}: page 0 is not a hash meta page (type ${page0[25]})`);
  const lastPage = u32(32);
  if ((lastPage + 1) * pageSize > file.size) {
    throw new RpmdbError(`${file.path}: truncated: last page ${lastPage} of ${pageSize} bytes lies past the end (${file.size} bytes)`);
  }
  const maxBucket = u32(72);
  if (maxBucket > lastPage) throw new RpmdbError(`${file.path}: ${maxBucket + 1} buckets cannot fit in ${lastPage} pages`);
  const spares = [];
  for (let i = 0; i < 32; i++) spares.push(u32(96 + i * 4));
  return { littleEndian, pageSize, lastPage, maxBucket, spares };
}
function bits(n) {
  let i = 0;
  for (let b = n; b; b >>>= 1) i++;
  return i;
}
var BdbHashReader = class {
  meta;
  file;
  /**
   * Pages already read. In a sound file every bucket and overflow page belongs to exactly one chain, so a
   * page met twice is a cycle or two chains sharing pages; refusing it bounds the work by the page count.
   */
  seen;
  constructor(file, meta) {
    this.file = file;
    this.meta = meta;
    this.seen = new Uint8Array(meta.lastPage + 1);
  }
  visit(pgno, what) {
    if (pgno === 0 || pgno > this.meta.lastPage) throw new RpmdbError(`${this.file.path}: ${what} points to page ${pgno}, outside 1..${this.meta.lastPage}`);
    if (this.seen[pgno]) throw new RpmdbError(`${this.file.path}: page ${pgno} is reached twice (${what}: a cycle or chains sharing pages)`);
    this.seen[pgno] = 1;
  }
  async page(pgno, what) {
    const { pageSize, lastPage, littleEndian } = this.meta;
    if (pgno === 0 || pgno > lastPage) throw new RpmdbError(`${this.file.path}: ${what} points to page ${pgno}, outside 1..${lastPage}`);
    const bytes = await this.file.read(pgno * pageSize, pageSize);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(8, littleEndian) !== pgno) throw new RpmdbError(`${this.file.path}: page ${pgno} claims to be page ${dv.getUint32(8, littleEndian)}`);
    return { bytes, dv };
  }
  /** Reads an item kept in overflow pages: `length` bytes from the chain starting at `pgno`. */
  async overflow(pgno, length) {
    const { pageSize, lastPage, littleEndian } = this.meta;
    if (length === 0 || length > lastPage * pageSize) throw new RpmdbError(`${this.file.path}: overflow item of ${length} bytes cannot fit in the file`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      this.visit(pgno, "an overflow chain");
      const { bytes, dv } = await this.page(pgno, "an overflow chain");
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
  async item(bytes, dv, pgno, offset, length) {
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
  async *pairs() {
    const { pageSize, lastPage, maxBucket, spares, littleEndian } = this.meta;
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
      let pgno = bucket + spares[bits(bucket)];
      let first = true;
      while (pgno !== 0) {
        this.visit(pgno, `bucket ${bucket}`);
        if (first && (await this.file.read(pgno * pageSize, pageSize)).every((b) => b === 0)) break;
        first = false;
        const { bytes, dv } = await this.page(pgno, `bucket ${bucket}`);
        const type = bytes[25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED) throw new RpmdbError(`${this.file.path}: bucket ${bucket} page ${pgno} has type ${type}, not a hash page`);
        const entries = dv.getUint16(20, littleEndian);
        const minOffset = PAGE_HEADER + entries * 2;
        if (entries % 2 !== 0 || minOffset > pageSize) throw new RpmdbError(`${this.file.path}: page ${pgno} has ${entries} entries`);
        const at = (i) => dv.getUint16(PAGE_HEADER + i * 2, littleEndian);
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
};
async function* readBdbPackages(file) {
  if (file.size < 512) throw new RpmdbError(`${file.path}: ${file.size} bytes is too short for a BerkeleyDB database`);
  const meta = readMeta(file, await file.read(0, 512));
  const reader = new BdbHashReader(file, meta);
  for await (const { key, data } of reader.pairs()) {
    if (key.length !== 4) throw new RpmdbError(`${file.path}: key of ${key.length} bytes; Packages keys are 4-byte header numbers`);
    const hnum = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, meta.littleEndian);
    if (hnum === 0) continue;
    yield { hnum, blob: data };
  }
}

// src/rpmdb/ndb.ts
var le32 = (s) => s.charCodeAt(0) | s.charCodeAt(1) << 8 | s.charCodeAt(2) << 16 | s.charCodeAt(3) << 24 >>> 0;
var PKGDB_MAGIC = le32("RpmP") >>> 0;
var SLOT_MAGIC = le32("Slot") >>> 0;
var BLOBHEAD_MAGIC = le32("BlbS") >>> 0;
var BLOBTAIL_MAGIC = le32("BlbE") >>> 0;
var HEADER_SIZE = 32;
var SLOT_SIZE = 16;
var BLK_SIZE = 16;
var PAGE_SIZE = 4096;
var BLOBHEAD_SIZE = 16;
var BLOBTAIL_SIZE = 12;
function isNdb(head) {
  return head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === PKGDB_MAGIC;
}
function adler32(bytes, adler = 1) {
  let s1 = adler & 65535;
  let s2 = adler >>> 16;
  let i = 0;
  while (i < bytes.length) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      s1 += bytes[i];
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return (s2 << 16 | s1) >>> 0;
}
async function readSlots(file) {
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
  const firstBlobBlock = slotPages * PAGE_SIZE / BLK_SIZE;
  const slots = [];
  const pages = await file.read(0, slotPages * PAGE_SIZE);
  const sv = new DataView(pages.buffer, pages.byteOffset, pages.byteLength);
  for (let o = HEADER_SIZE; o < pages.length; o += SLOT_SIZE) {
    if (sv.getUint32(o, true) !== SLOT_MAGIC) throw new RpmdbError(`${file.path}: slot at byte ${o} has a bad magic`);
    const blkoff = sv.getUint32(o + 8, true);
    if (blkoff === 0) continue;
    const pkgidx = sv.getUint32(o + 4, true);
    const blkcnt = sv.getUint32(o + 12, true);
    if (pkgidx === 0 || blkcnt === 0 || blkoff < firstBlobBlock || blkoff + blkcnt > fileBlocks) {
      throw new RpmdbError(`${file.path}: slot at byte ${o} (package ${pkgidx}, blocks ${blkoff}+${blkcnt}) is out of bounds`);
    }
    slots.push({ pkgidx, blkoff, blkcnt });
  }
  slots.sort((a, b) => a.blkoff - b.blkoff);
  for (let i = 1; i < slots.length; i++) {
    const prev = slots[i - 1];
    if (prev.blkoff + prev.blkcnt > slots[i].blkoff) throw new RpmdbError(`${file.path}: blobs of packages ${prev.pkgidx} and ${slots[i].pkgidx} overlap`);
  }
  return slots;
}
async function readBlob(file, slot) {
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
  const sum = adler32(bytes.subarray(0, tail));
  if (dv.getUint32(tail, true) !== sum) throw new RpmdbError(`${where}: blob checksum mismatch (adler32)`);
  return bytes.slice(BLOBHEAD_SIZE, BLOBHEAD_SIZE + length);
}
async function* readNdbPackages(file) {
  const slots = await readSlots(file);
  for (const slot of slots) yield { hnum: slot.pkgidx, blob: await readBlob(file, slot) };
}

// src/rpmdb/sqlite.ts
import { DatabaseSync } from "node:sqlite";
import { copyFile, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
var SQLITE_MAGIC = "SQLite format 3\0";
function isSqlite(head) {
  return head.length >= 16 && new TextDecoder("latin1").decode(head.subarray(0, 16)) === SQLITE_MAGIC;
}
async function nonEmpty(path) {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}
async function* readSqlitePackages(path) {
  let tempDir;
  let db;
  try {
    try {
      if (await nonEmpty(`${path}-wal`)) {
        tempDir = await mkdtemp(join(tmpdir(), "yv-rpmdb-"));
        const copy = join(tempDir, "rpmdb.sqlite");
        await copyFile(path, copy);
        await copyFile(`${path}-wal`, `${copy}-wal`);
        db = new DatabaseSync(copy);
      } else {
        const url = pathToFileURL(path);
        url.searchParams.set("immutable", "1");
        db = new DatabaseSync(url, { readOnly: true });
      }
      const stmt = db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum");
      for (const row of stmt.iterate()) {
        const { hnum, blob } = row;
        if (typeof hnum !== "number" || !(blob instanceof Uint8Array)) {
          throw new RpmdbError(`${path}: Packages row ${String(hnum)} does not hold a header blob`);
        }
        yield { hnum, blob };
      }
    } catch (e) {
      if (e instanceof RpmdbError) throw e;
      throw new RpmdbError(`${path}: cannot read the sqlite rpm database: ${e.message}`, { cause: e });
    }
  } finally {
    db?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

// src/rpmdb/locate.ts
import { createWriteStream } from "node:fs";
import { mkdtemp as mkdtemp2, rm as rm2, stat as stat2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join3, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";

// src/rpmdb/rootPath.ts
import { lstat, readlink } from "node:fs/promises";
import { join as join2 } from "node:path";
var MAX_SYMLINKS = 40;
function components(path) {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}
async function resolveInRoot(path, lookup) {
  const done = [];
  let todo = components(path);
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift();
    if (name === "..") {
      done.pop();
      continue;
    }
    const current = `/${[...done, name].join("/")}`;
    const entry = await lookup(current);
    if (!entry) return null;
    if (entry.type === "symlink") {
      if (++links > MAX_SYMLINKS) return null;
      if (entry.target.startsWith("/")) done.length = 0;
      todo = [...components(entry.target), ...todo];
      continue;
    }
    if (entry.type === "file" && todo.length > 0) return null;
    done.push(name);
  }
  return `/${done.join("/")}`;
}
function directoryLookup(root) {
  return async (path) => {
    const host = join2(root, path);
    try {
      const st = await lstat(host);
      if (st.isSymbolicLink()) return { type: "symlink", target: await readlink(host) };
      return st.isDirectory() ? { type: "dir" } : { type: "file" };
    } catch {
      return null;
    }
  };
}

// src/rpmdb/locate.ts
var RPMDB_DIRS = ["/usr/lib/sysimage/rpm", "/var/lib/rpm"];
var RPMDB_FILES = ["rpmdb.sqlite", "Packages.db", "Packages"];
function candidatePaths() {
  return RPMDB_DIRS.flatMap((dir) => RPMDB_FILES.map((file) => `${dir}/${file}`));
}
async function detectBackend(hostPath, shownAs) {
  const bytes = await readFileHead(hostPath, 16);
  if (isSqlite(bytes)) return "sqlite";
  if (isNdb(bytes)) return "ndb";
  if (isBerkeleyDb(bytes)) return "bdb";
  throw new RpmdbError(`${shownAs}: not an rpm database (neither sqlite, ndb nor BerkeleyDB)`);
}
var noCleanup = async () => {
};
async function isNonEmptyFile(path) {
  try {
    const st = await stat2(path);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}
async function locateInDirectory(root) {
  const lookup = directoryLookup(root);
  for (const candidate of candidatePaths()) {
    const real = await resolveInRoot(candidate, lookup);
    if (!real) continue;
    const hostPath = join3(root, real);
    if (!await isNonEmptyFile(hostPath)) continue;
    return { backend: await detectBackend(hostPath, candidate), path: candidate, hostPath, cleanup: noCleanup };
  }
  for (const file of RPMDB_FILES) {
    const hostPath = join3(root, file);
    if (await isNonEmptyFile(hostPath)) return { backend: await detectBackend(hostPath, hostPath), path: hostPath, hostPath, cleanup: noCleanup };
  }
  throw new RpmdbNotFoundError(`${root}: no rpm database found (looked for ${RPMDB_FILES.join(", ")} in ${RPMDB_DIRS.join(", ")})`);
}
async function copyOut(ref, target) {
  await pipeline(Readable.from(ref.stream()), createWriteStream(target, { mode: 384 }));
}
async function locateInImage(image) {
  let ref;
  for (const candidate of candidatePaths()) {
    ref = await image.findFile([candidate]);
    if (ref && ref.size !== 0) break;
    ref = void 0;
  }
  if (!ref) throw new RpmdbNotFoundError(`image: no rpm database found (looked for ${RPMDB_FILES.join(", ")} in ${RPMDB_DIRS.join(", ")})`);
  if (ref.hostPath) {
    return { backend: await detectBackend(ref.hostPath, ref.path), path: ref.path, hostPath: ref.hostPath, cleanup: noCleanup };
  }
  const dir = await mkdtemp2(join3(tmpdir2(), "yv-rpmdb-"));
  const cleanup = () => rm2(dir, { recursive: true, force: true });
  try {
    const hostPath = join3(dir, posix.basename(ref.path));
    await copyOut(ref, hostPath);
    const backend = await detectBackend(hostPath, ref.path);
    if (backend === "sqlite") {
      const wal = await image.findFile([`${ref.path}-wal`]);
      if (wal) await copyOut(wal, `${hostPath}-wal`);
    }
    return { backend, path: ref.path, hostPath, cleanup };
  } catch (e) {
    await cleanup();
    throw e instanceof RpmdbError ? e : new RpmdbError(`image: cannot read ${ref.path}: ${e.message}`, { cause: e });
  }
}
async function locateRpmdb(location) {
  if (typeof location !== "string") return locateInImage(location);
  let st;
  try {
    st = await stat2(location);
  } catch (e) {
    throw new RpmdbError(`${location}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`, { cause: e });
  }
  if (st.isDirectory()) return locateInDirectory(location);
  return { backend: await detectBackend(location, location), path: location, hostPath: location, cleanup: noCleanup };
}

// src/rpmdb/randomAccess.ts
import { open } from "node:fs/promises";
var CHUNK = 256 * 1024;
var MAX_CHUNKS = 16;
async function openRandomAccess(path) {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new RpmdbError(`cannot open ${path}: ${e.message}`, { cause: e });
  }
  const size = (await fh.stat()).size;
  const chunks = /* @__PURE__ */ new Map();
  async function chunk(index) {
    const hit = chunks.get(index);
    if (hit) {
      chunks.delete(index);
      chunks.set(index, hit);
      return hit;
    }
    const start = index * CHUNK;
    const length = Math.min(CHUNK, size - start);
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(buf, done, length - done, start + done);
      if (bytesRead === 0) throw new RpmdbError(`${path}: file shrank while reading`);
      done += bytesRead;
    }
    chunks.set(index, buf);
    if (chunks.size > MAX_CHUNKS) chunks.delete(chunks.keys().next().value);
    return buf;
  }
  return {
    path,
    size,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        throw new RpmdbError(`${path}: read of ${length} bytes at offset ${offset} runs past the end (${size} bytes); the database is truncated or corrupt`);
      }
      const first = Math.floor(offset / CHUNK);
      const last = Math.floor((offset + Math.max(length, 1) - 1) / CHUNK);
      if (first === last) {
        const c = await chunk(first);
        const at = offset - first * CHUNK;
        return c.subarray(at, at + length);
      }
      const out = new Uint8Array(length);
      let done = 0;
      for (let i = first; i <= last; i++) {
        const c = await chunk(i);
        const from = i === first ? offset - first * CHUNK : 0;
        const take = Math.min(c.length - from, length - done);
        out.set(c.subarray(from, from + take), done);
        done += take;
      }
      return out;
    },
    close: () => fh.close()
  };
}

// src/rpmdb/index.ts
async function* storedHeaders(backend, hostPath) {
  if (backend === "sqlite") {
    yield* readSqlitePackages(hostPath);
    return;
  }
  const file = await openRandomAccess(hostPath);
  try {
    yield* backend === "bdb" ? readBdbPackages(file) : readNdbPackages(file);
  } finally {
    await file.close();
  }
}
async function openRpmdb(location) {
  const found = await locateRpmdb(location);
  const { backend, path, hostPath } = found;
  const blobs = () => storedHeaders(backend, hostPath);
  return {
    backend,
    path,
    blobs,
    async *headers() {
      for await (const stored of blobs()) {
        let header;
        try {
          header = parseHeaderBlob(stored.blob);
        } catch (e) {
          if (!isYumvaultError(e)) throw e;
          throw new RpmdbError(`${path}: header #${stored.hnum} is corrupt: ${e.message}`, { cause: e });
        }
        yield { hnum: stored.hnum, blob: stored.blob, header };
      }
    },
    close: found.cleanup
  };
}
async function readInstalledPackages(location) {
  const db = await openRpmdb(location);
  try {
    const out = [];
    for await (const { header, hnum } of db.headers()) {
      try {
        out.push(packageInfo(header));
      } catch (e) {
        if (!isYumvaultError(e)) throw e;
        throw new RpmdbError(`${db.path}: header #${hnum}: ${e.message}`, { cause: e });
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

export {
  isBerkeleyDb,
  isNdb,
  isSqlite,
  openRpmdb,
  readInstalledPackages
};
