#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  readInstalledPackages
} from "./chunk-R2DTJCJY.js";
import {
  packageInfo
} from "./chunk-JEMDN77H.js";
import {
  bulkDecompressor
} from "./chunk-YX75SE6A.js";
import {
  createTransport,
  formatNevra,
  isNotFound,
  nevraKey,
  normaliseBase,
  parseRepomd,
  repomdEntry,
  streamPrimary,
  streamUpdateinfo
} from "./chunk-T3WWU7EG.js";
import {
  parseRpmPackageBytes,
  readRpmPackage,
  rpmHeaderNeededBytes
} from "./chunk-WFUKWXCX.js";
import "./chunk-AI6XOST4.js";
import "./chunk-C7CWKH4Y.js";
import "./chunk-AETMUE33.js";
import {
  FileFlags
} from "./chunk-2I5RKKUB.js";
import {
  compareEvr
} from "./chunk-NJAS5MBG.js";
import {
  ChecksumMismatchError,
  ConfigError,
  PathTraversalError,
  PayloadFormatError,
  RepoMetadataError,
  UpstreamError
} from "./chunk-4TFQQZTF.js";

// src/image/sources.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// src/repo/client.ts
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";

// src/repo/limiter.ts
var Limiter = class {
  active = 0;
  waiting = [];
  // A plain field, not a parameter property: Node runs .ts by stripping types only.
  limit;
  constructor(limit) {
    this.limit = limit;
    if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`options.concurrency must be a positive integer, got ${limit}`);
  }
  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire() {
    if (this.active >= this.limit) await new Promise((r) => this.waiting.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
  async run(fn) {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
};

// src/repo/client.ts
var RepoClient = class {
  baseUrl;
  transport;
  limiter;
  repomdCache;
  index;
  constructor(baseUrl, opts = {}) {
    this.baseUrl = normaliseBase(baseUrl);
    this.transport = createTransport(this.baseUrl, opts);
    this.limiter = new Limiter(opts.concurrency ?? 8);
  }
  /** Fetches and parses repodata/repomd.xml (each call fetches anew and resets the package index). */
  async fetchRepomd() {
    const p = this.fetchBuffer("repodata/repomd.xml", void 0, void 0, MAX_REPOMD_BYTES).then((b) => parseRepomd(b, `${this.baseUrl}repodata/repomd.xml`));
    this.repomdCache = p;
    this.index = void 0;
    p.catch(() => {
      if (this.repomdCache === p) this.repomdCache = void 0;
    });
    return p;
  }
  /** The last fetched repomd.xml, fetching it once if needed. */
  repomd() {
    return this.repomdCache ?? this.fetchRepomd();
  }
  /**
   * Streams primary's packages (decompressed, parsed one by one). The compressed bytes are hashed on the
   * way: a primary that does not match repomd's checksum fails at its end with ChecksumMismatchError.
   */
  async *streamPrimary(repomd) {
    const opened = await this.openMetadata("primary", repomd);
    if (!opened) throw new RepoMetadataError(`${this.baseUrl}repodata/repomd.xml lists no primary`);
    yield* streamPrimary(opened.bytes, { fileName: this.baseUrl + opened.entry.location });
  }
  /** Streams updateinfo's advisories; nothing when the repository has no updateinfo. */
  async *streamUpdateinfo(repomd) {
    const opened = await this.openMetadata("updateinfo", repomd);
    if (!opened) return;
    yield* streamUpdateinfo(opened.bytes, this.baseUrl + opened.entry.location);
  }
  /**
   * Opens the metadata file of `type`. When the repomd was not given and the file is gone (a mirror
   * published a new revision since we read repomd.xml), repomd.xml is fetched again once.
   */
  async openMetadata(type, given) {
    let md = given ?? await this.repomd();
    for (let attempt = 0; ; attempt++) {
      const entry = repomdEntry(md, type);
      if (!entry) return void 0;
      const it = this.verifiedMetadata(entry);
      try {
        const first = await it.next();
        const bytes = (async function* () {
          if (!first.done) yield first.value;
          yield* it;
        })();
        return { entry, bytes };
      } catch (e) {
        if (given || attempt > 0 || !isNotFound(e)) throw e;
        md = await this.fetchRepomd();
      }
    }
  }
  /** A metadata file's bytes as they stream, checked against repomd's checksum when the stream ends. */
  async *verifiedMetadata(entry) {
    const hash = createHasher(entry.checksum, entry.location);
    for await (const chunk of this.openStream(entry.location, void 0, entry.locationBase)) {
      hash.update(chunk);
      yield chunk;
    }
    const got = hash.digest("hex");
    if (got !== entry.checksum.value) {
      throw new ChecksumMismatchError(`${this.baseUrl}${entry.location}: ${entry.checksum.type} is ${got}, repomd.xml says ${entry.checksum.value}`);
    }
  }
  /**
   * A file of the repository as a stream (relative to the base, or absolute when `base` — an xml:base —
   * is given). With `range` only those bytes (end exclusive) are read, whether or not the server honours
   * Range. HTTP failures are UpstreamError (status 404 for a missing file).
   */
  openFile(relPath, opts = {}) {
    return Readable.from(this.openStream(relPath, opts.range, opts.base), { objectMode: false });
  }
  /** Bytes [start, end) of a file, whole in memory (for headers and other small reads). Retried. */
  async fetchRange(relPath, start, end, base) {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start)) {
      throw new RangeError(`fetchRange: bad range [${start}, ${end})`);
    }
    if (end === start) return Buffer.alloc(0);
    return this.fetchBuffer(relPath, { start, end }, base);
  }
  /**
   * The lead, signature and main header of a package, fetched with Range: one request when primary
   * gives the header range, else two or three growing requests.
   */
  async readRemoteHeaderBytes(pkg) {
    const loc = pkg.location;
    let have = Buffer.alloc(0);
    let requests = 0;
    let want = pkg.headerRange && pkg.headerRange.end > 0 ? Math.min(pkg.headerRange.end, MAX_HINTED_HEADER_BYTES) : 4096;
    for (let i = 0; i < 6; i++) {
      if (want > have.length) {
        const more = await this.fetchRange(loc.href, have.length, want, loc.base);
        requests++;
        have = Buffer.concat([have, more]);
      }
      const need = rpmHeaderNeededBytes(have);
      if (need <= have.length) return { bytes: have.subarray(0, need), requests };
      if (have.length < want) throw new UpstreamError(`${this.baseUrl}${loc.href}: package ends after ${have.length} bytes, inside its headers`);
      want = need;
    }
    throw new UpstreamError(`${this.baseUrl}${loc.href}: could not read the package headers`);
  }
  /**
   * The package's lead, signature and main header, parsed (src/rpm/package.ts), fetched with Range
   * requests only: the payload is never downloaded. RpmFormatError when the bytes are not an rpm.
   */
  async readRemoteHeader(pkg) {
    const { bytes } = await this.readRemoteHeaderBytes(pkg);
    return parseRpmPackageBytes(bytes);
  }
  /** Random access to one file of the repository through Range requests (for src/rpm's readers). */
  reader(relPath, opts = {}) {
    return {
      ...opts.size !== void 0 ? { size: opts.size } : {},
      read: (offset, length) => this.fetchRange(relPath, offset, offset + length, opts.base)
    };
  }
  /**
   * Streams the package to `dest`, hashing on the way; rejects with ChecksumMismatchError when the
   * bytes do not match primary's checksum (or size). `dest` is ended on success; on failure it is
   * destroyed, so write to a temporary file and rename on success.
   */
  async downloadPackage(pkg, dest) {
    const hash = createHasher(pkg.checksum, pkg.location.href);
    let size = 0;
    try {
      for await (const chunk of this.openStream(pkg.location.href, void 0, pkg.location.base)) {
        hash.update(chunk);
        size += chunk.length;
        if (!dest.write(chunk)) await waitDrain(dest);
      }
      const got = hash.digest("hex");
      if (got !== pkg.checksum.value || pkg.size.package > 0 && size !== pkg.size.package) {
        throw new ChecksumMismatchError(
          `${formatNevra(pkg)} from ${this.baseUrl}${pkg.location.href}: ${pkg.checksum.type} ${got} (${size} bytes), primary.xml says ${pkg.checksum.value} (${pkg.size.package} bytes)`
        );
      }
      dest.end();
      await finished(dest);
      return { size, checksum: { type: pkg.checksum.type, value: got } };
    } catch (e) {
      dest.destroy();
      throw e;
    }
  }
  /** The packages with exactly this NEVRA (usually one). The index is built once per repomd, streaming. */
  async findPackages(nevra) {
    const index = await (this.index ??= this.buildIndex());
    return index.get(nevraKey(nevra)) ?? [];
  }
  /** The package with exactly this NEVRA, or undefined. */
  async findPackage(nevra) {
    return (await this.findPackages(nevra))[0];
  }
  async close() {
    await this.transport.close();
  }
  async buildIndex() {
    const map = /* @__PURE__ */ new Map();
    try {
      for await (const p of this.streamPrimary()) {
        const ref = {
          name: p.name,
          epoch: p.epoch,
          version: p.version,
          release: p.release,
          arch: p.arch,
          checksum: p.checksum,
          location: p.location,
          size: p.size,
          time: p.time,
          sourceRpm: p.sourceRpm,
          ...p.pkgid ? { pkgid: p.pkgid } : {},
          ...p.headerRange ? { headerRange: p.headerRange } : {}
        };
        const key = nevraKey(p);
        const list = map.get(key);
        if (list) list.push(ref);
        else map.set(key, [ref]);
      }
    } catch (e) {
      this.index = void 0;
      throw e;
    }
    return map;
  }
  async fetchBuffer(relPath, range, base, maxBytes = Infinity) {
    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const parts = [];
        let size = 0;
        for await (const c of this.openStream(relPath, range, base)) {
          size += c.length;
          if (size > maxBytes) throw new RepoMetadataError(`${this.baseUrl}${relPath} is larger than ${maxBytes} bytes; not a repository file`);
          parts.push(c);
        }
        return Buffer.concat(parts);
      } catch (e) {
        lastError = e;
        const bodyCut = e instanceof UpstreamError && (e.status === 200 || e.status === 206);
        if (!bodyCut) throw e;
      }
    }
    throw lastError;
  }
  async *openStream(relPath, range, base) {
    const location = base ? new URL(relPath, normaliseBase(base)).href : relPath;
    const release = await this.limiter.acquire();
    try {
      const file = await this.transport.open(location, range);
      try {
        yield* file.body;
      } finally {
        file.abort();
      }
    } finally {
      release();
    }
  }
};
var MAX_HINTED_HEADER_BYTES = 16 * 1024 * 1024;
var MAX_REPOMD_BYTES = 16 * 1024 * 1024;
var HASHES = { sha256: "sha256", sha1: "sha1", sha: "sha1", sha512: "sha512", sha384: "sha384", sha224: "sha224", md5: "md5" };
function createHasher(c, what) {
  const algo = HASHES[c.type];
  if (!algo) throw new RepoMetadataError(`${what}: checksum type '${c.type}' is not supported`);
  return createHash(algo);
}
function waitDrain(w) {
  return new Promise((resolve2, reject) => {
    const done = () => {
      w.off("drain", done);
      w.off("error", fail);
      w.off("close", done);
      resolve2();
    };
    const fail = (e) => {
      w.off("drain", done);
      w.off("close", done);
      reject(e);
    };
    w.once("drain", done);
    w.once("error", fail);
    w.once("close", done);
  });
}

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
async function* readCpio(source, opts = {}) {
  const files = opts.files;
  const r = new ChunkReader(source);
  let byPath;
  let sets;
  const pendingLinks = /* @__PURE__ */ new Map();
  const decoder = new TextDecoder("utf-8", { fatal: false });
  try {
    for (; ; ) {
      await r.skip((4 - r.offset % 4) % 4, "padding");
      const magic = decoder.decode(await r.readExact(6, "cpio header"));
      let entry;
      if (magic === MAGIC_STRIPPED) {
        if (!files) throw new PayloadFormatError("stripped cpio payload (07070X) needs the header file list");
        const fx = hexField(await r.readExact(8, "stripped cpio header"), 0);
        if (fx === 4294967295) break;
        if (fx >= files.length) throw new PayloadFormatError(`stripped cpio entry names file ${fx}, the header lists ${files.length}`);
        const f = files[fx];
        if (f.flags & FileFlags.GHOST) throw new PayloadFormatError(`stripped cpio entry ${fx} is a %ghost file`);
        sets ??= archiveHardlinkSets(files);
        const set = sets.get(fx);
        const type = f.mode & S_IFMT2;
        let size = type === S_IFREG2 || type === S_IFLNK ? f.size : 0;
        let hardlink;
        if (set) {
          const key = `set:${set[0]}`;
          hardlink = pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
          hardlink = { paths: [...hardlink.paths, f.path], fileIndexes: [...hardlink.fileIndexes, fx], carrier: set[set.length - 1] === fx };
          if (hardlink.carrier) pendingLinks.delete(key);
          else {
            pendingLinks.set(key, hardlink);
            size = 0;
          }
        }
        entry = { path: f.path, mode: f.mode, size, nlink: set ? set.length : 1, ino: f.inode, mtime: f.mtime, fileIndex: fx, hardlink };
      } else if (magic === MAGIC_NEWC || magic === MAGIC_CRC) {
        const h = await r.readExact(104, "cpio header");
        const ino = hexField(h, 0);
        const mode = hexField(h, 8);
        const nlink = hexField(h, 32);
        const mtime = hexField(h, 40);
        const size = hexField(h, 48);
        const devMajor = hexField(h, 56);
        const devMinor = hexField(h, 64);
        for (const at of [16, 24, 72, 80, 96]) hexField(h, at);
        const nameSize = hexField(h, 88);
        if (nameSize < 1 || nameSize > NAME_MAX) throw new PayloadFormatError(`cpio name size ${nameSize} out of range`);
        const nameBytes = await r.readExact(nameSize, "cpio entry name");
        if (nameBytes[nameSize - 1] !== 0) throw new PayloadFormatError("cpio entry name is not NUL-terminated");
        const name = decoder.decode(nameBytes.subarray(0, nameSize - 1));
        if (name === TRAILER) break;
        const path = normalizeCpioPath(name);
        let fileIndex = -1;
        if (files) {
          byPath ??= pathIndex(files);
          fileIndex = byPath.get(path) ?? -1;
        }
        let hardlink;
        if (nlink > 1 && (mode & S_IFMT2) === S_IFREG2) {
          const key = `${devMajor}:${devMinor}:${ino}`;
          const prev = pendingLinks.get(key) ?? { paths: [], fileIndexes: [], carrier: false };
          const paths = [...prev.paths, path];
          const carrier = size > 0 || paths.length >= nlink;
          hardlink = { paths, fileIndexes: [...prev.fileIndexes, fileIndex], carrier };
          if (carrier) pendingLinks.delete(key);
          else pendingLinks.set(key, hardlink);
        }
        entry = { path, mode, size, nlink, ino, mtime, fileIndex, hardlink };
      } else {
        throw new PayloadFormatError(`bad cpio magic ${JSON.stringify(magic)} at offset ${r.offset - 6}`);
      }
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

// src/image/sources.ts
function toBuild(url, ref) {
  return {
    nevra: { name: ref.name, epoch: ref.epoch, version: ref.version, release: ref.release, arch: ref.arch },
    repo: url,
    ...ref.checksum.type === "sha256" ? { sha256: ref.checksum.value.toLowerCase() } : {},
    ref
  };
}
function localFile(url, ref) {
  if (/^https?:\/\//i.test(url) || ref.location.base) return void 0;
  const dir = /^file:/i.test(url) ? fileURLToPath(url) : resolve(url);
  const parts = ref.location.href.split("/").map((p) => decodeURIComponent(p));
  if (isAbsolute(ref.location.href) || parts.includes("..") || ref.location.href.includes("\\") || /^[a-z][a-z0-9+.-]*:/i.test(ref.location.href)) return void 0;
  return join(dir, ...parts);
}
async function hashLocal(path) {
  const h = createHash2("sha256");
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      h.update(chunk);
      size += chunk.length;
    }
  } catch (e) {
    throw new UpstreamError(`cannot read ${path}: ${e.message}`, { cause: e, status: e.code === "ENOENT" ? 404 : void 0 });
  }
  return { sha256: h.digest("hex"), size };
}
function openBuildRepo(url) {
  const client = new RepoClient(url);
  let all;
  const listAll = async () => {
    const out = [];
    for await (const p of client.streamPrimary()) out.push(toBuild(url, p));
    return out;
  };
  let advisories;
  const securityAdvisories = async () => {
    const out = [];
    for await (const a of client.streamUpdateinfo()) if (a.type === "security") out.push({ id: a.id, packages: a.packages });
    return out;
  };
  return {
    url,
    async find(nevra) {
      const ref = await client.findPackage(nevra);
      return ref ? toBuild(url, ref) : void 0;
    },
    async versions(name, arch) {
      return (await (all ??= listAll())).filter((b) => b.nevra.name === name && b.nevra.arch === arch);
    },
    async headerDigests(build) {
      const { bytes } = await client.readRemoteHeaderBytes(build.ref);
      const pkg = parseRpmPackageBytes(bytes);
      const info = packageInfo(pkg.header, pkg.signature);
      return { sigmd5: info.sigmd5 ?? "", sha256Header: info.sha256Header ?? "" };
    },
    async download(build, dest) {
      const ref = build.ref;
      const local = localFile(url, ref);
      if (local) {
        const got = await hashLocal(local);
        if (build.sha256 && got.sha256 !== build.sha256) {
          throw new ChecksumMismatchError(`${local}: sha256 ${got.sha256}, the repository's metadata says ${build.sha256}`);
        }
        return { ...got, path: local };
      }
      const file = createWriteStream(dest);
      const closed = new Promise((resolve2, reject) => {
        file.once("close", resolve2);
        file.once("error", reject);
      });
      if (build.sha256) {
        const { size: size2 } = await client.downloadPackage(ref, file);
        await closed;
        return { sha256: build.sha256, size: size2 };
      }
      const h = createHash2("sha256");
      let size = 0;
      const tap = new Transform({
        transform(chunk, _e, cb) {
          h.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        }
      });
      tap.pipe(file);
      await client.downloadPackage(ref, tap);
      await closed;
      return { sha256: h.digest("hex"), size };
    },
    async advisoriesSuperseding(nevra) {
      const list = await (advisories ??= securityAdvisories().catch(() => []));
      return list.filter((a) => a.packages.some((p) => p.name === nevra.name && (p.arch === nevra.arch || p.arch === "noarch" || nevra.arch === "noarch") && compareEvr(p, nevra) > 0)).map((a) => a.id);
    },
    close: () => client.close()
  };
}
async function* payloadFiles(rpmPath, payloadOffset, compressor, files) {
  const raw = createReadStream(rpmPath, { start: payloadOffset, highWaterMark: 1 << 20 });
  const inflated = raw.pipe(bulkDecompressor(compressor));
  raw.on("error", (e) => inflated.destroy(e));
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
function defaultDeps() {
  return {
    async readInstalled(reader) {
      const pkgs = await readInstalledPackages(reader);
      return pkgs.filter((p) => p.name !== "gpg-pubkey").map((p) => ({
        nevra: { name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch },
        sigmd5: p.sigmd5 ?? "",
        sha256Header: p.sha256Header ?? "",
        files: p.files
      }));
    },
    openRepo: openBuildRepo,
    async openPackage(rpmPath) {
      const pkg = await readRpmPackage(rpmPath);
      const info = packageInfo(pkg.header, pkg.signature);
      return {
        nevra: { name: info.name, epoch: info.epoch, version: info.version, release: info.release, arch: info.arch },
        files: info.files,
        payload: payloadFiles(rpmPath, pkg.payloadOffset, info.payloadCompressor, info.files),
        close: async () => {
        }
      };
    }
  };
}
export {
  defaultDeps,
  openBuildRepo
};
