#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  bulkDecompressor,
  inflateWholeInto
} from "./chunk-QXTAC7VZ.js";
import {
  payloadInfo
} from "./chunk-GNQYMYUT.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";
import {
  detectCompression
} from "./chunk-2AKM7XFZ.js";
import {
  parseRpmPackageBytes,
  readRpmPackage
} from "./chunk-JXIOSGGW.js";
import {
  FileFlags
} from "./chunk-7IXYQ7Q4.js";
import {
  ChecksumMismatchError,
  PathTraversalError,
  PayloadFormatError
} from "./chunk-JAH4FOK6.js";

// src/image/payloadFiles.ts
import { createHash } from "node:crypto";
import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { open } from "node:fs/promises";

// src/rpm/cpio/chunkReader.ts
var ChunkReader = class {
  it;
  buf = new Uint8Array(0);
  pos = 0;
  eof = false;
  /** Bytes consumed so far (cpio pads to 4-byte multiples of this offset). */
  offset = 0;
  constructor(source) {
    this.it = source[Symbol.asyncIterator]();
  }
  /** Make sure at least one unread byte is buffered; false at end of input. */
  async fill() {
    while (this.pos >= this.buf.length) {
      if (this.eof) return false;
      const next = await this.it.next();
      if (next.done) {
        this.eof = true;
        return false;
      }
      this.buf = next.value;
      this.pos = 0;
    }
    return true;
  }
  /** True when nothing is left. */
  async atEnd() {
    return !await this.fill();
  }
  /** Exactly n bytes (a view when they lie in one chunk). */
  async readExact(n, what) {
    if (!await this.fill()) throw new PayloadFormatError(`cpio archive truncated: ${what} expected at offset ${this.offset}`);
    if (this.buf.length - this.pos >= n) {
      const out2 = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.offset += n;
      return out2;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (!await this.fill()) throw new PayloadFormatError(`cpio archive truncated in ${what} at offset ${this.offset}`);
      const take = Math.min(n - filled, this.buf.length - this.pos);
      out.set(this.buf.subarray(this.pos, this.pos + take), filled);
      filled += take;
      this.pos += take;
      this.offset += take;
    }
    return out;
  }
  /** The next piece of at most n bytes (a view, never empty); throws at end of input. */
  async readUpTo(n, what) {
    if (!await this.fill()) throw new PayloadFormatError(`cpio archive truncated in ${what} at offset ${this.offset}`);
    const take = Math.min(n, this.buf.length - this.pos);
    const out = this.buf.subarray(this.pos, this.pos + take);
    this.pos += take;
    this.offset += take;
    return out;
  }
  async skip(n, what) {
    while (n > 0) n -= (await this.readUpTo(n, what)).length;
  }
  /** Stop reading the source (ends the underlying stream). */
  async close() {
    await this.it.return?.();
  }
};

// src/rpm/hardlinks.ts
var S_IFMT = 61440;
var S_IFREG = 32768;
function hardlinkSets(files, opts = {}) {
  const byInode = /* @__PURE__ */ new Map();
  files.forEach((f, i) => {
    if ((f.mode & S_IFMT) !== S_IFREG || f.inode <= 0) return;
    if (opts.skipGhosts && f.flags & FileFlags.GHOST) return;
    const key = `${f.device}:${f.inode}`;
    const set = byInode.get(key);
    if (set) set.push(i);
    else byInode.set(key, [i]);
  });
  return [...byInode.values()].filter((s) => s.length > 1);
}

// src/rpm/cpio.ts
var MAGIC_NEWC = "070701";
var MAGIC_CRC = "070702";
var MAGIC_STRIPPED = "07070X";
var TRAILER = "TRAILER!!!";
var NAME_MAX = 4096;
var S_IFMT2 = 61440;
var S_IFREG2 = 32768;
var S_IFLNK = 40960;
function hexField(b, at) {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = b[i];
    let d;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else throw new PayloadFormatError(`cpio header field is not hex: '${String.fromCharCode(...b.subarray(at, at + 8))}'`);
    v = v * 16 + d;
  }
  return v;
}
function normalizeCpioPath(name) {
  if (name.includes("\0") || name.includes("\\")) throw new PathTraversalError(`cpio entry name has a NUL or backslash: ${JSON.stringify(name)}`);
  const bare = name.startsWith("./") ? name.slice(1) : name;
  if (bare.length > 1 && bare.startsWith("/") && !bare.includes("//") && !bare.includes("/.") && !bare.endsWith("/")) return bare;
  const parts = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw new PathTraversalError(`cpio entry name escapes the root: ${JSON.stringify(name)}`);
    parts.push(part);
  }
  return "/" + parts.join("/");
}
function pathIndex(files) {
  const index = /* @__PURE__ */ new Map();
  files.forEach((f, i) => {
    try {
      index.set(normalizeCpioPath(f.path), i);
    } catch {
    }
  });
  return index;
}
function archiveHardlinkSets(files) {
  const sets = /* @__PURE__ */ new Map();
  for (const set of hardlinkSets(files, { skipGhosts: true })) for (const i of set) sets.set(i, set);
  return sets;
}
var EntryDecoder = class {
  files;
  byPath;
  sets;
  /** Hardlink members seen so far, keyed by set (stripped) or by ino:dev (newc). */
  pendingLinks = /* @__PURE__ */ new Map();
  decoder = new TextDecoder("utf-8", { fatal: false });
  constructor(files) {
    this.files = files;
  }
  magic(b) {
    return this.decoder.decode(b);
  }
  /** A stripped (07070X) entry: its 8-hex-digit file index (read after the magic); undefined at the end. */
  stripped(indexField) {
    const files = this.files;
    if (!files) throw new PayloadFormatError("stripped cpio payload (07070X) needs the header file list");
    const fx = hexField(indexField, 0);
    if (fx === 4294967295) return void 0;
    if (fx >= files.length) throw new PayloadFormatError(`stripped cpio entry names file ${fx}, the header lists ${files.length}`);
    const f = files[fx];
    if (f.flags & FileFlags.GHOST) throw new PayloadFormatError(`stripped cpio entry ${fx} is a %ghost file`);
    this.sets ??= archiveHardlinkSets(files);
    const set = this.sets.get(fx);
    const type = f.mode & S_IFMT2;
    let size = type === S_IFREG2 || type === S_IFLNK ? f.size : 0;
    let hardlink;
    if (set) {
      const key = `set:${set[0]}`;
      hardlink = this.pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
      hardlink = { paths: [...hardlink.paths, f.path], fileIndexes: [...hardlink.fileIndexes, fx], carrier: set[set.length - 1] === fx };
      if (hardlink.carrier) this.pendingLinks.delete(key);
      else {
        this.pendingLinks.set(key, hardlink);
        size = 0;
      }
    }
    return { path: f.path, mode: f.mode, size, nlink: set ? set.length : 1, ino: f.inode, mtime: f.mtime, fileIndex: fx, hardlink };
  }
  /** The name size a newc header (the 104 bytes after the magic) announces, checked. */
  nameSize(h) {
    const nameSize = hexField(h, 88);
    if (nameSize < 1 || nameSize > NAME_MAX) throw new PayloadFormatError(`cpio name size ${nameSize} out of range`);
    return nameSize;
  }
  /** A newc (070701/070702) entry from its header and name; undefined at the trailer. */
  newc(h, nameBytes) {
    const ino = hexField(h, 0);
    const mode = hexField(h, 8);
    const nlink = hexField(h, 32);
    const mtime = hexField(h, 40);
    const size = hexField(h, 48);
    const devMajor = hexField(h, 56);
    const devMinor = hexField(h, 64);
    for (const at of [16, 24, 72, 80, 96]) hexField(h, at);
    const nameSize = nameBytes.length;
    if (nameBytes[nameSize - 1] !== 0) throw new PayloadFormatError("cpio entry name is not NUL-terminated");
    const name = this.decoder.decode(nameBytes.subarray(0, nameSize - 1));
    if (name === TRAILER) return void 0;
    const path = normalizeCpioPath(name);
    let fileIndex = -1;
    if (this.files) {
      this.byPath ??= pathIndex(this.files);
      fileIndex = this.byPath.get(path) ?? -1;
    }
    let hardlink;
    if (nlink > 1 && (mode & S_IFMT2) === S_IFREG2) {
      const key = `${devMajor}:${devMinor}:${ino}`;
      const prev = this.pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
      const paths = [...prev.paths, path];
      const carrier = size > 0 || paths.length >= nlink;
      hardlink = { paths, fileIndexes: [...prev.fileIndexes, fileIndex], carrier };
      if (carrier) this.pendingLinks.delete(key);
      else this.pendingLinks.set(key, hardlink);
    }
    return { path, mode, size, nlink, ino, mtime, fileIndex, hardlink };
  }
};
function badMagic(magic, at) {
  return new PayloadFormatError(`bad cpio magic ${JSON.stringify(magic)} at offset ${at}`);
}
async function* readCpio(source, opts = {}) {
  const r = new ChunkReader(source);
  const d = new EntryDecoder(opts.files);
  try {
    for (; ; ) {
      await r.skip((4 - r.offset % 4) % 4, "padding");
      const magic = d.magic(await r.readExact(6, "cpio header"));
      let entry;
      if (magic === MAGIC_STRIPPED) entry = d.stripped(await r.readExact(8, "stripped cpio header"));
      else if (magic === MAGIC_NEWC || magic === MAGIC_CRC) {
        const h = await r.readExact(104, "cpio header");
        entry = d.newc(h, await r.readExact(d.nameSize(h), "cpio entry name"));
      } else throw badMagic(magic, r.offset - 6);
      if (!entry) break;
      await r.skip((4 - r.offset % 4) % 4, "padding");
      const state = { left: entry.size };
      const body = bodyOf(r, state, entry.path);
      yield { ...entry, body };
      if (state.left > 0) await r.skip(state.left, `data of ${entry.path}`);
    }
  } finally {
    await r.close();
  }
}
function* readCpioWhole(archive, opts = {}) {
  const d = new EntryDecoder(opts.files);
  let at = 0;
  const take = (n, what, inside = false) => {
    if (at + n > archive.length) {
      throw new PayloadFormatError(inside || at < archive.length ? `cpio archive truncated in ${what} at offset ${archive.length}` : `cpio archive truncated: ${what} expected at offset ${at}`);
    }
    const out = archive.subarray(at, at + n);
    at += n;
    return out;
  };
  for (; ; ) {
    take((4 - at % 4) % 4, "padding", true);
    const magic = d.magic(take(6, "cpio header"));
    let entry;
    if (magic === MAGIC_STRIPPED) entry = d.stripped(take(8, "stripped cpio header"));
    else if (magic === MAGIC_NEWC || magic === MAGIC_CRC) {
      const h = take(104, "cpio header");
      entry = d.newc(h, take(d.nameSize(h), "cpio entry name"));
    } else throw badMagic(magic, at - 6);
    if (!entry) return;
    take((4 - at % 4) % 4, "padding", true);
    yield { ...entry, data: take(entry.size, `data of ${entry.path}`, true) };
  }
}
function bodyOf(r, state, path) {
  return {
    async *[Symbol.asyncIterator]() {
      while (state.left > 0) {
        const piece = await r.readUpTo(state.left, `data of ${path}`);
        state.left -= piece.length;
        yield piece;
      }
    }
  };
}

// src/rpm/payload.ts
var GHOST = 1 << 6;
function chooseCompressor(declared, first) {
  const detected = detectCompression(first);
  if (detected !== "none" && detected !== "lzma") return detected;
  if (detected === "lzma" && (declared === "lzma" || declared === "gzip")) return "lzma";
  if (first.length >= 4 && first[0] === 48 && first[1] === 55 && first[2] === 48 && first[3] === 55) return "identity";
  return declared;
}

// src/image/payloadFiles.ts
var CHUNK = 1 << 20;
var WHOLE_MAX = 64 << 20;
var fileScratch;
function readSmallFile(rpmPath) {
  const fd = openSync(rpmPath, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > WHOLE_MAX) return void 0;
    fileScratch ??= Buffer.allocUnsafeSlow(WHOLE_MAX);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, fileScratch, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return fileScratch.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
function checkPkgid(rpmPath, got, expectSha256) {
  if (got !== expectSha256) throw new ChecksumMismatchError(`${rpmPath}: sha256 ${got}, the repository's metadata (and the manifest's pkgid) say ${expectSha256}`);
}
var inflateScratch;
function inflateWhole(rpmPath, packed, compressor, archiveSize, reuse) {
  if (archiveSize === null || archiveSize > WHOLE_MAX || !["zstd", "gzip", "identity", "none", ""].includes(compressor)) return void 0;
  const maxOutputLength = Math.min(2 * WHOLE_MAX, archiveSize + (1 << 20));
  const chunkSize = Math.max(64 << 10, archiveSize + (64 << 10));
  try {
    if (reuse && (compressor === "zstd" || compressor === "gzip")) {
      inflateScratch ??= Buffer.allocUnsafeSlow(WHOLE_MAX + (64 << 10));
      return inflateWholeInto(compressor, packed, inflateScratch, maxOutputLength);
    }
    if (reuse) return packed;
    if (compressor === "zstd") return zlib.zstdDecompressSync(packed, { maxOutputLength, chunkSize });
    if (compressor === "gzip") return zlib.gunzipSync(packed, { maxOutputLength, chunkSize });
    const copy = Buffer.allocUnsafeSlow(packed.length);
    copy.set(packed);
    return copy;
  } catch (e) {
    throw new PayloadFormatError(`${rpmPath}: ${compressor} decompression failed: ${e.message}`, { cause: e });
  }
}
async function* single(buf) {
  yield buf;
}
function* pieces(buf) {
  for (let at = 0; at < buf.length; at += CHUNK) yield buf.subarray(at, Math.min(buf.length, at + CHUNK));
}
async function openPayloadFiles(rpmPath, opts = {}) {
  const bytes = opts.bytes ?? (opts.whole ? readSmallFile(rpmPath) : void 0);
  let pkg;
  if (opts.expectSha256) {
    let headerMatches = false;
    if (bytes && opts.expectHeaderSha256) {
      try {
        pkg = parseRpmPackageBytes(bytes, true);
        headerMatches = createHash("sha256").update(bytes.subarray(pkg.headerStart, pkg.headerEnd)).digest("hex") === opts.expectHeaderSha256.toLowerCase();
      } catch {
      }
    }
    if (!headerMatches) checkPkgid(rpmPath, bytes ? createHash("sha256").update(bytes).digest("hex") : (await hashFile(rpmPath)).digest, opts.expectSha256);
  }
  pkg ??= bytes ? parseRpmPackageBytes(bytes, true) : await readRpmPackage(rpmPath);
  const info = payloadInfo(pkg.header, pkg.signature);
  let first;
  if (bytes) first = bytes.subarray(pkg.payloadOffset, pkg.payloadOffset + 6);
  else {
    first = Buffer.alloc(6);
    const fh = await open(rpmPath, "r");
    try {
      first = first.subarray(0, (await fh.read(first, 0, first.length, pkg.payloadOffset)).bytesRead);
    } finally {
      await fh.close();
    }
  }
  const compressor = chooseCompressor(info.payloadCompressor, first);
  const { name, epoch, version, release, arch } = info;
  const nevra = { name, epoch, version, release, arch };
  const files = info.files;
  const plain = bytes ? inflateWhole(rpmPath, bytes.subarray(pkg.payloadOffset), compressor, info.archiveSize, opts.reuse === true) : void 0;
  if (plain) {
    function* wholeFiles() {
      for (const e of readCpioWhole(plain, { files })) {
        if (e.fileIndex < 0 || e.hardlink && !e.hardlink.carrier) continue;
        yield { fileIndex: e.fileIndex, data: e.data };
      }
    }
    async function* fromWhole() {
      for (const f of wholeFiles()) yield { fileIndex: f.fileIndex, body: single(f.data) };
    }
    return { nevra, files, payload: fromWhole(), wholeFiles: wholeFiles(), whole: plain, close: () => {
    } };
  }
  const held = opts.bytes?.subarray(pkg.payloadOffset);
  const raw = held ? Readable.from(pieces(held), { objectMode: false }) : createReadStream(rpmPath, { start: pkg.payloadOffset, highWaterMark: CHUNK });
  const inflated = raw.pipe(bulkDecompressor(compressor, CHUNK, true));
  raw.on("error", (e) => inflated.destroy(e));
  async function* carriers() {
    try {
      for await (const e of readCpio(inflated, { files })) {
        if (e.fileIndex < 0 || e.hardlink && !e.hardlink.carrier) continue;
        yield { fileIndex: e.fileIndex, body: e.body };
      }
    } finally {
      raw.destroy();
      inflated.destroy();
    }
  }
  return {
    nevra,
    files,
    payload: carriers(),
    close: () => {
      raw.destroy();
      inflated.destroy();
    }
  };
}

export {
  WHOLE_MAX,
  checkPkgid,
  openPayloadFiles
};
