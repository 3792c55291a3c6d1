#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  TarFormatError
} from "./chunk-JAH4FOK6.js";

// src/image/tar.ts
import { open } from "node:fs/promises";

// src/image/blockReader.ts
var BlockReader = class {
  buf;
  bufStart = 0;
  bufLen = 0;
  fh;
  size;
  constructor(fh, size, bufferSize = 4 << 20) {
    this.fh = fh;
    this.size = size;
    this.buf = Buffer.allocUnsafe(bufferSize);
  }
  /** Bytes [pos, pos+len) as a view valid until the next call; fewer only at end of file. */
  async view(pos, len) {
    if (len > this.buf.length) {
      this.buf = Buffer.allocUnsafe(len);
      this.bufLen = 0;
    }
    if (pos < this.bufStart || pos + len > this.bufStart + this.bufLen) await this.fill(pos);
    const start = pos - this.bufStart;
    return this.buf.subarray(start, Math.min(start + len, this.bufLen));
  }
  /** Exactly len bytes copied out, or TarFormatError naming `what` when the file ends first. */
  async exact(pos, len, what) {
    const v = await this.view(pos, len);
    if (v.length < len) throw new TarFormatError(`tar archive is truncated: ${what} at offset ${pos} needs ${len} bytes, ${v.length} left`);
    return Uint8Array.prototype.slice.call(v);
  }
  /** Streams [pos, pos+len) in chunks (views: use or copy before the callback returns). */
  async forEachChunk(pos, len, what, onChunk) {
    let done = 0;
    while (done < len) {
      const want = Math.min(len - done, this.buf.length);
      const v = await this.view(pos + done, want);
      if (v.length === 0) throw new TarFormatError(`tar archive is truncated: ${what} at offset ${pos} needs ${len} bytes, ${done} left`);
      await onChunk(v);
      done += v.length;
    }
  }
  async fill(pos) {
    this.bufStart = pos;
    this.bufLen = 0;
    while (this.bufLen < this.buf.length && pos + this.bufLen < this.size) {
      const { bytesRead } = await this.fh.read(this.buf, this.bufLen, this.buf.length - this.bufLen, pos + this.bufLen);
      if (bytesRead === 0) break;
      this.bufLen += bytesRead;
    }
  }
};

// src/image/tarHeader.ts
var BLOCK = 512;
var MAX_EXTENDED_HEADER = 1 << 20;
function isZeroBlock(b) {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}
function fieldBytes(b, off, len) {
  const end = b.subarray(off, off + len).indexOf(0);
  return b.subarray(off, end < 0 ? off + len : off + end);
}
var decoder = new TextDecoder("utf-8", { fatal: false });
function fieldString(b, off, len) {
  return decoder.decode(fieldBytes(b, off, len));
}
function parseNumber(b, off, len, what) {
  const first = b[off];
  if (first & 128) {
    const negative = first === 255;
    let v2 = negative ? -1n : 0n;
    v2 = v2 << 8n | BigInt(first & (negative ? 255 : 127));
    for (let i2 = 1; i2 < len; i2++) v2 = v2 << 8n | BigInt(b[off + i2]);
    if (negative) v2 = v2 - (1n << BigInt(8 * len));
    if (v2 > BigInt(Number.MAX_SAFE_INTEGER) || v2 < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TarFormatError(`tar header ${what} field is out of range`);
    }
    return Number(v2);
  }
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 32 || b[i] === 0)) i++;
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 32 || c === 0) break;
    if (c < 48 || c > 55) throw new TarFormatError(`tar header ${what} field is not octal`);
    v = v * 8 + (c - 48);
    digits++;
  }
  for (; i < end; i++) {
    if (b[i] !== 32 && b[i] !== 0) throw new TarFormatError(`tar header ${what} field is not octal`);
  }
  if (digits === 0) return 0;
  return v;
}
function verifyChecksum(b, offset) {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 32 : b[i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  let stored;
  try {
    stored = parseNumber(b, 148, 8, "checksum");
  } catch {
    throw new TarFormatError(`tar header at offset ${offset} has a malformed checksum field (not a tar, or corrupt)`);
  }
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(`tar header at offset ${offset} fails its checksum (corrupt archive)`);
  }
}
function headerFormat(b) {
  if (b[257] === 117 && b[258] === 115 && b[259] === 116 && b[260] === 97 && b[261] === 114) {
    return b[262] === 32 ? "gnu" : "ustar";
  }
  return "v7";
}
function parseHeaderBlock(b, offset) {
  verifyChecksum(b, offset);
  const format = headerFormat(b);
  const typeflag = b[156] === 0 ? "0" : String.fromCharCode(b[156]);
  let nameBytes = fieldBytes(b, 0, 100);
  if (format === "ustar") {
    const prefix = fieldBytes(b, 345, 155);
    if (prefix.length > 0) {
      const joined = new Uint8Array(prefix.length + 1 + nameBytes.length);
      joined.set(prefix);
      joined[prefix.length] = 47;
      joined.set(nameBytes, prefix.length + 1);
      nameBytes = joined;
    }
  }
  const num = (off, len, what) => {
    try {
      return parseNumber(b, off, len, what);
    } catch (e) {
      throw new TarFormatError(`tar header at offset ${offset}: ${e.message}`);
    }
  };
  const size = num(124, 12, "size");
  if (size < 0) throw new TarFormatError(`tar header at offset ${offset} has a negative size`);
  const isGnuSparse = typeflag === "S" && format === "gnu";
  return {
    nameBytes,
    mode: num(100, 8, "mode"),
    uid: num(108, 8, "uid"),
    gid: num(116, 8, "gid"),
    size,
    mtime: num(136, 12, "mtime"),
    typeflag,
    linkBytes: fieldBytes(b, 157, 100),
    uname: format === "v7" ? "" : fieldString(b, 265, 32),
    gname: format === "v7" ? "" : fieldString(b, 297, 32),
    devmajor: format === "v7" ? 0 : num(329, 8, "devmajor"),
    devminor: format === "v7" ? 0 : num(337, 8, "devminor"),
    format,
    gnuRealSize: isGnuSparse ? num(483, 12, "realsize") : 0,
    gnuIsExtended: isGnuSparse && b[482] !== 0
  };
}
function parsePaxRecords(data, offset) {
  const out = /* @__PURE__ */ new Map();
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break;
    let j = i;
    let len = 0;
    while (j < data.length && data[j] >= 48 && data[j] <= 57 && j - i < 12) {
      len = len * 10 + (data[j] - 48);
      j++;
    }
    if (j === i || data[j] !== 32 || len <= j - i + 1 || i + len > data.length || data[i + len - 1] !== 10) {
      throw new TarFormatError(`pax extended header for the entry at offset ${offset} is malformed`);
    }
    const rec = data.subarray(j + 1, i + len - 1);
    const eq = rec.indexOf(61);
    if (eq <= 0) throw new TarFormatError(`pax extended header for the entry at offset ${offset} has a record without '='`);
    out.set(decoder.decode(rec.subarray(0, eq)), rec.subarray(eq + 1));
    i += len;
  }
  return out;
}
function paxString(v) {
  return decoder.decode(v);
}
function paxNumber(v, key, offset, allowFraction = false) {
  const s = paxString(v);
  const re = allowFraction ? /^-?\d+(\.\d+)?$/ : /^\d+$/;
  if (!re.test(s)) throw new TarFormatError(`pax record ${key}=${s} for the entry at offset ${offset} is not a number`);
  const n = Number(s);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    throw new TarFormatError(`pax record ${key}=${s} for the entry at offset ${offset} is out of range`);
  }
  return n;
}

// src/image/tar.ts
var HEADER_ONLY = /* @__PURE__ */ new Set(["1", "2", "3", "4", "5", "6"]);
var KIND = { "0": "file", "7": "file", "1": "hardlink", "2": "symlink", "3": "chardev", "4": "blockdev", "5": "dir", "6": "fifo", S: "sparse", g: "global" };
var utf8 = new TextDecoder("utf-8", { fatal: false });
function cutAtNul(b) {
  const i = b.indexOf(0);
  return i < 0 ? b : b.subarray(0, i);
}
var padTo = (n) => (BLOCK - n % BLOCK) % BLOCK;
var TarWalker = class {
  pos = 0;
  finished = false;
  trailer;
  reader;
  constructor(reader) {
    this.reader = reader;
  }
  get size() {
    return this.reader.size;
  }
  /** The next entry, or null at the end of the archive (then `trailer` is set). Skips the previous entry's data. */
  async next() {
    if (this.finished) return null;
    const start = this.pos;
    const size = this.reader.size;
    let pax = /* @__PURE__ */ new Map();
    let longName;
    let longLink;
    let pending = false;
    for (; ; ) {
      if (this.pos === size && !pending) {
        return this.finish(this.pos);
      }
      const hdrOffset = this.pos;
      const block = await this.reader.exact(hdrOffset, BLOCK, "a header block");
      if (isZeroBlock(block)) {
        if (pending) throw new TarFormatError(`tar archive: extended header at offset ${start} is not followed by an entry`);
        return this.finish(hdrOffset);
      }
      const f = parseHeaderBlock(block, hdrOffset);
      this.pos += BLOCK;
      if (f.typeflag === "x" || f.typeflag === "L" || f.typeflag === "K") {
        if (f.size > MAX_EXTENDED_HEADER) throw new TarFormatError(`tar extended header at offset ${hdrOffset} claims ${f.size} bytes (limit ${MAX_EXTENDED_HEADER})`);
        const data = await this.reader.exact(this.pos, f.size, "extended header data");
        await this.reader.exact(this.pos + f.size, padTo(f.size), "extended header padding");
        this.pos += f.size + padTo(f.size);
        if (f.typeflag === "x") pax = new Map([...pax, ...parsePaxRecords(data, hdrOffset)]);
        else if (f.typeflag === "L") longName = cutAtNul(data);
        else longLink = cutAtNul(data);
        pending = true;
        continue;
      }
      if (f.gnuIsExtended) {
        for (; ; ) {
          const ext = await this.reader.exact(this.pos, BLOCK, "a GNU sparse extension block");
          this.pos += BLOCK;
          if (ext[504] === 0) break;
        }
      }
      const dataOffset = this.pos;
      let dataSize = f.size;
      if (pax.has("size")) dataSize = paxNumber(pax.get("size"), "size", hdrOffset);
      if (HEADER_ONLY.has(f.typeflag)) dataSize = 0;
      if (f.typeflag === "g" && dataSize > MAX_EXTENDED_HEADER) throw new TarFormatError(`tar global header at offset ${hdrOffset} claims ${dataSize} bytes`);
      const paddingSize = padTo(dataSize);
      if (dataOffset + dataSize + paddingSize > size) {
        throw new TarFormatError(`tar archive is truncated: the entry at offset ${hdrOffset} needs ${dataSize} data bytes, the file ends at ${size}`);
      }
      this.pos = dataOffset + dataSize + paddingSize;
      const header = await this.reader.exact(start, dataOffset - start, "entry headers");
      return this.makeEntry(f, pax, longName, longLink, start, header, dataOffset, dataSize, paddingSize);
    }
  }
  finish(offset) {
    this.finished = true;
    this.trailer = { offset, size: this.reader.size - offset };
    return null;
  }
  makeEntry(f, pax, longName, longLink, headerOffset, header, dataOffset, dataSize, paddingSize) {
    const pathBytes = pax.get("GNU.sparse.name") ?? pax.get("path") ?? longName ?? f.nameBytes;
    const linkBytes = pax.get("linkpath") ?? longLink ?? f.linkBytes;
    const num = (key, fallback, fraction = false) => pax.has(key) ? paxNumber(pax.get(key), key, headerOffset, fraction) : fallback;
    const xattrs = /* @__PURE__ */ new Map();
    for (const [k, v] of pax) {
      if (k.startsWith("SCHILY.xattr.")) xattrs.set(k.slice(13), v);
      else if (k.startsWith("LIBARCHIVE.xattr.")) xattrs.set(k.slice(17), v);
      else if (k === "RHT.security.selinux") xattrs.set("security.selinux", v);
    }
    const paxSparse = pax.has("GNU.sparse.major") || pax.has("GNU.sparse.map") || pax.has("GNU.sparse.numblocks") || pax.has("GNU.sparse.size");
    let kind = KIND[f.typeflag] ?? "other";
    if (paxSparse && kind === "file") kind = "sparse";
    const path = utf8.decode(pathBytes);
    if (kind === "file" && f.format === "v7" && path.endsWith("/")) kind = "dir";
    let size = dataSize;
    if (kind === "sparse") {
      size = f.typeflag === "S" ? f.gnuRealSize : num("GNU.sparse.realsize", num("GNU.sparse.size", dataSize));
    }
    return {
      headerOffset,
      header,
      dataOffset,
      dataSize,
      paddingSize,
      typeflag: f.typeflag,
      kind,
      format: f.format,
      pathBytes,
      path,
      linkBytes,
      linkname: utf8.decode(linkBytes),
      mode: f.mode,
      uid: num("uid", f.uid),
      gid: num("gid", f.gid),
      uname: pax.has("uname") ? paxString(pax.get("uname")) : f.uname,
      gname: pax.has("gname") ? paxString(pax.get("gname")) : f.gname,
      mtime: num("mtime", f.mtime, true),
      size,
      devmajor: f.devmajor,
      devminor: f.devminor,
      xattrs
    };
  }
  /** Streams an entry's data (call before next()). */
  async readData(e, onChunk) {
    await this.reader.forEachChunk(e.dataOffset, e.dataSize, `data of ${e.path}`, onChunk);
  }
  async readPadding(e) {
    return this.reader.exact(e.dataOffset + e.dataSize, e.paddingSize, `padding of ${e.path}`);
  }
  /** The trailer's bytes in chunks (end-of-archive blocks, record padding, anything appended). */
  async readTrailer(onChunk) {
    if (!this.trailer) throw new Error("readTrailer before the walk finished");
    await this.reader.forEachChunk(this.trailer.offset, this.trailer.size, "trailer", onChunk);
  }
};
function normalizeTarPath(p) {
  let s = p;
  for (; ; ) {
    if (s.startsWith("./")) s = s.slice(2);
    else if (s.startsWith("/")) s = s.slice(1);
    else break;
  }
  while (s.endsWith("/")) s = s.slice(0, -1);
  if (s === ".") s = "";
  return s;
}
async function withTarFile(path, fn, bufferSize) {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    return await fn(new TarWalker(new BlockReader(fh, size, bufferSize)));
  } finally {
    await fh.close();
  }
}
async function* tarHeaders(path) {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const walker = new TarWalker(new BlockReader(fh, size, 64 << 10));
    for (; ; ) {
      const e = await walker.next();
      if (!e) return walker.trailer;
      yield e;
    }
  } finally {
    await fh.close();
  }
}

export {
  BLOCK,
  parseHeaderBlock,
  parsePaxRecords,
  normalizeTarPath,
  withTarFile,
  tarHeaders
};
