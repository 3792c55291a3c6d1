#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  verifyImage
} from "./chunk-2CPD2BKQ.js";
import {
  decomposeImage
} from "./chunk-LSCGIOGZ.js";
import {
  restoreImage
} from "./chunk-HDGBZ4LT.js";
import "./chunk-LMBS77BW.js";
import "./chunk-GQFZBJXP.js";
import "./chunk-I53UESSH.js";
import "./chunk-CAUWZJYD.js";
import "./chunk-NWOAOODA.js";
import "./chunk-3OVKAOUI.js";
import "./chunk-3RHWSWVI.js";
import "./chunk-BCCF2PO6.js";
import "./chunk-VJB3RVTA.js";
import "./chunk-QXTAC7VZ.js";
import "./chunk-GNQYMYUT.js";
import {
  createProxyServer
} from "./chunk-OFYDZMME.js";
import {
  buildConfig,
  defaultRepodataWriter,
  jsonLogger,
  openProxyServices,
  silentLogger,
  writeRepodata
} from "./chunk-MMDAE7E4.js";
import "./chunk-DQL5CALU.js";
import {
  optionValue,
  parseArgs
} from "./chunk-PKFRLOBS.js";
import "./chunk-VIM4Q2LT.js";
import "./chunk-GJT2OTVX.js";
import "./chunk-X4A4NOVL.js";
import {
  createAtomicFile,
  fsyncDir,
  tempPathFor
} from "./chunk-TQESCGCX.js";
import {
  humanBytes
} from "./chunk-Q25QUAV2.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";
import "./chunk-ED73BUU6.js";
import "./chunk-2AKM7XFZ.js";
import {
  parseRpmPackageBytes
} from "./chunk-JXIOSGGW.js";
import {
  FileFlags
} from "./chunk-7IXYQ7Q4.js";
import {
  Sense,
  SigTag,
  Tag,
  TagType,
  parseHeaderBlob
} from "./chunk-Y3BHZBXO.js";
import "./chunk-QR73BMTC.js";
import "./chunk-EYZF4QXM.js";
import "./chunk-J5JMZXTM.js";
import "./chunk-YMQT7WPY.js";
import {
  UpstreamError,
  UsageError,
  VerificationError,
  YumvaultError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/demo.ts
import { mkdtemp as mkdtemp2, readdir as readdir2, rm as rm4 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join6, resolve } from "node:path";

// src/demo/cycle.ts
import { createHash as createHash4 } from "node:crypto";
import { mkdir as mkdir3, stat as stat2 } from "node:fs/promises";
import { join as join4 } from "node:path";

// src/demo/demoPackages.ts
import { createCipheriv, createHash } from "node:crypto";
var DEMO_BUILDS = [
  ["1.0", "1"],
  ["1.0", "2"],
  ["1.1", "1"],
  ["1.1", "2"],
  ["1.2", "1"],
  ["2.0", "1"]
];
var DAY = 86400;
var BASE_TIME = 17e8;
function binaryBytes(seed, size) {
  const key = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return new Uint8Array(cipher.update(Buffer.alloc(size)));
}
function textBytes(seed, size) {
  const words = ["yum", "vault", "image", "package", "restore", "build", "upstream", "mirror", "header", "payload", "digest", "tar"];
  const h = createHash("sha256").update(seed).digest();
  let out = `# ${seed}
`;
  let i = 0;
  while (out.length < size) {
    const line = [];
    for (let w = 0; w < 8; w++) line.push(words[(h[(i + w) % h.length] + i * 7 + w) % words.length]);
    out += `${i} ${line.join(" ")}
`;
    i++;
  }
  return out.slice(0, size);
}
var doc = (name, v, r) => [
  { path: `/usr/share/doc/${name}`, type: "dir" },
  { path: `/usr/share/doc/${name}/README`, contents: textBytes(`${name} readme ${v}`, 6e3), flags: ["doc"] },
  { path: `/usr/share/doc/${name}/NEWS`, contents: textBytes(`${name} news ${v}-${r}`, 3e3), flags: ["doc"] },
  { path: `/usr/share/licenses/${name}`, type: "dir" },
  { path: `/usr/share/licenses/${name}/LICENSE`, contents: textBytes("MIT license text", 1100), flags: ["license"] }
];
var PACKAGES = [
  {
    name: "demo-shell",
    summary: "A demonstration shell",
    compressor: "zstd",
    files: (v, r) => [
      { path: "/usr/bin/demo-sh", contents: binaryBytes(`demo-sh ${v}-${r}`, 38e4), mode: 493 },
      { path: "/usr/bin/dsh", type: "symlink", linkTo: "demo-sh" },
      { path: "/etc/demo-sh.rc", contents: textBytes("demo-sh rc", 900), flags: ["config", "noreplace"] },
      ...doc("demo-shell", v, r)
    ]
  },
  {
    name: "demo-libs",
    summary: "Shared libraries for the demo",
    compressor: "gzip",
    files: (v, r) => [
      { path: `/usr/lib64/libdemo.so.${v}`, contents: binaryBytes(`libdemo ${v}-${r}`, 62e4), mode: 493 },
      { path: "/usr/lib64/libdemo.so.1", type: "symlink", linkTo: `libdemo.so.${v}` },
      { path: `/usr/lib64/libdemo-extra.so.${v}`, contents: binaryBytes(`libdemo-extra ${v}-${r}`, 24e4), mode: 493 },
      ...doc("demo-libs", v, r)
    ]
  },
  {
    name: "demo-tools",
    summary: "Small demonstration tools",
    compressor: "zstd",
    files: (v, r) => [
      ...["demo-ls", "demo-cp", "demo-cat", "demo-grep"].map((t, i) => ({
        path: `/usr/bin/${t}`,
        contents: binaryBytes(`${t} ${v}-${r}`, 9e4 + i * 2e4),
        mode: 493
      })),
      ...doc("demo-tools", v, r)
    ]
  },
  {
    name: "demo-server",
    summary: "A demonstration daemon",
    compressor: "gzip",
    files: (v, r) => [
      { path: "/usr/sbin/demod", contents: binaryBytes(`demod ${v}-${r}`, 45e4), mode: 493 },
      { path: "/etc/demod.conf", contents: textBytes(`demod.conf ${v}`, 1500), flags: ["config", "noreplace"] },
      { path: "/var/lib/demod", type: "dir", mode: 488 },
      { path: "/var/log/demod.log", flags: ["ghost"] },
      { path: "/usr/share/man/man8/demod.8", contents: textBytes(`demod manual ${v}`, 12e3), flags: ["doc"] },
      ...doc("demo-server", v, r)
    ]
  },
  {
    name: "demo-data",
    summary: "Data files for the demo",
    compressor: "zstd",
    files: (v, r) => Array.from({ length: 8 }, (_, i) => ({
      path: `/usr/share/demo-data/set-${i}.dat`,
      contents: i < 5 ? textBytes(`data set ${i}`, 4e4) : binaryBytes(`data set ${i} ${v}-${r}`, 6e4)
    }))
  }
];
var DEMO_PACKAGE_NAMES = PACKAGES.map((p) => p.name);
function demoPackageSpec(name, build, level) {
  const def = PACKAGES.find((p) => p.name === name);
  const evr = DEMO_BUILDS[build];
  if (!def || !evr) throw new Error(`no demo build ${name} #${build}`);
  const [version, release] = evr;
  return {
    name,
    version,
    release,
    arch: "x86_64",
    summary: def.summary,
    description: `${def.summary}: part of the generated repository that \`yumvault demo\` runs on.`,
    license: "MIT",
    url: "https://example.invalid/yumvault-demo",
    files: def.files(version, release),
    requires: name === "demo-shell" || name === "demo-libs" ? [] : ["demo-libs >= 1.0"],
    compressor: def.compressor,
    level: level ?? (def.compressor === "zstd" ? 3 : 6),
    buildTime: BASE_TIME + build * DAY
  };
}

// src/demo/imageBuilder.ts
import { createHash as createHash2 } from "node:crypto";
import { mkdtemp, readFile, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";

// src/demo/rpmdbWriter.ts
import { rename, rm } from "node:fs/promises";
import { DatabaseSync } from "node:sqlite";

// src/demo/headerWriter.ts
var HEADER_MAGIC = Uint8Array.of(142, 173, 232, 1, 0, 0, 0, 0);
var REGION_TRAILER_SIZE = 16;
var utf8 = new TextEncoder();
function alignment(type) {
  if (type === TagType.INT16) return 2;
  if (type === TagType.INT32) return 4;
  if (type === TagType.INT64) return 8;
  return 1;
}
function encodeValue(v) {
  switch (v.type) {
    case TagType.STRING:
    case TagType.I18NSTRING: {
      const s = utf8.encode(v.value);
      const out = new Uint8Array(s.length + 1);
      out.set(s);
      return { bytes: out, count: 1 };
    }
    case TagType.STRING_ARRAY: {
      const parts = v.value.map((s) => utf8.encode(s));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length + 1;
      }
      return { bytes: out, count: parts.length };
    }
    case TagType.CHAR:
    case TagType.INT8:
      return { bytes: Uint8Array.from(v.value, (n) => n & 255), count: v.value.length };
    case TagType.INT16: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 2));
      v.value.forEach((n, i) => dv.setUint16(i * 2, n & 65535));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case TagType.INT32: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 4));
      v.value.forEach((n, i) => dv.setUint32(i * 4, n >>> 0));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case TagType.INT64: {
      const dv = new DataView(new ArrayBuffer(v.value.length * 8));
      v.value.forEach((n, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, n)));
      return { bytes: new Uint8Array(dv.buffer), count: v.value.length };
    }
    case TagType.BIN:
      return { bytes: v.value, count: v.value.length };
  }
}
function layOut(entries, base) {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].tag === sorted[i - 1].tag) throw new Error(`header tag ${sorted[i].tag} given twice`);
  }
  const index = new DataView(new ArrayBuffer(sorted.length * 16));
  const chunks = [];
  let offset = base;
  sorted.forEach((e, i) => {
    const { bytes, count } = encodeValue(e.data);
    const pad = (alignment(e.data.type) - offset % alignment(e.data.type)) % alignment(e.data.type);
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    index.setUint32(i * 16, e.tag);
    index.setUint32(i * 16 + 4, e.data.type);
    index.setUint32(i * 16 + 8, offset);
    index.setUint32(i * 16 + 12, count);
    chunks.push(bytes);
    offset += bytes.length;
  });
  return { index: new Uint8Array(index.buffer), data: concat(chunks), count: sorted.length };
}
function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
function regionEntry(tag, offset) {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setUint32(0, tag);
  dv.setUint32(4, TagType.BIN);
  dv.setInt32(8, offset);
  dv.setUint32(12, REGION_TRAILER_SIZE);
  return new Uint8Array(dv.buffer);
}
function encodeRegionHeader(entries, regionTag) {
  const laid = layOut(entries, 0);
  const il = laid.count + 1;
  const trailerOffset = laid.data.length;
  const intro = new DataView(new ArrayBuffer(8));
  intro.setUint32(0, il);
  intro.setUint32(4, trailerOffset + REGION_TRAILER_SIZE);
  return concat([
    new Uint8Array(intro.buffer),
    regionEntry(regionTag, trailerOffset),
    laid.index,
    laid.data,
    regionEntry(regionTag, -il * 16)
  ]);
}
function withMagic(blob) {
  return concat([HEADER_MAGIC, blob]);
}
function appendDribbles(blob, extra) {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = dv.getUint32(0);
  const dl = dv.getUint32(4);
  if (blob.length !== 8 + il * 16 + dl) throw new Error("header blob length does not match il/dl");
  const laid = layOut(extra, dl);
  const intro = new DataView(new ArrayBuffer(8));
  intro.setUint32(0, il + laid.count);
  intro.setUint32(4, dl + laid.data.length);
  return concat([
    new Uint8Array(intro.buffer),
    blob.subarray(8, 8 + il * 16),
    laid.index,
    blob.subarray(8 + il * 16),
    laid.data
  ]);
}
var str = (value) => ({ type: TagType.STRING, value });
var i18n = (value) => ({ type: TagType.I18NSTRING, value });
var strArray = (value) => ({ type: TagType.STRING_ARRAY, value });
var int32 = (value) => ({ type: TagType.INT32, value });
var int16 = (value) => ({ type: TagType.INT16, value });
var int64 = (value) => ({ type: TagType.INT64, value });
var chars = (value) => ({ type: TagType.CHAR, value });
var bin = (value) => ({ type: TagType.BIN, value });

// src/demo/rpmdbWriter.ts
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
var FILETRIGGERNAME = 5069;
var TRANSFILETRIGGERNAME = 5079;
var INDEXES = [
  { table: "Name", tag: Tag.NAME, keyType: "TEXT", keyIdx: true, hnumIdx: false },
  { table: "Basenames", tag: Tag.BASENAMES, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Group", tag: Tag.GROUP, keyType: "TEXT", keyIdx: true, hnumIdx: false },
  { table: "Requirename", tag: Tag.REQUIRENAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Providename", tag: Tag.PROVIDENAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Conflictname", tag: Tag.CONFLICTNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Obsoletename", tag: Tag.OBSOLETENAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Triggername", tag: Tag.TRIGGERNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Dirnames", tag: Tag.DIRNAMES, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Installtid", tag: Tag.INSTALLTID, keyType: "BLOB", keyIdx: false, hnumIdx: false },
  { table: "Sigmd5", tag: Tag.SIGMD5, keyType: "BLOB", keyIdx: false, hnumIdx: false },
  { table: "Sha1header", tag: Tag.SHA1HEADER, keyType: "TEXT", keyIdx: true, hnumIdx: false },
  { table: "Filetriggername", tag: FILETRIGGERNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Transfiletriggername", tag: TRANSFILETRIGGERNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Recommendname", tag: Tag.RECOMMENDNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Suggestname", tag: Tag.SUGGESTNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Supplementname", tag: Tag.SUPPLEMENTNAME, keyType: "TEXT", keyIdx: true, hnumIdx: true },
  { table: "Enhancename", tag: Tag.ENHANCENAME, keyType: "TEXT", keyIdx: true, hnumIdx: true }
];
var SENSE_PRETRANS = 1 << 7;
var SENSE_POSTTRANS = 1 << 5;
var SENSE_KEYRING = 1 << 26;
var INSTALL_ONLY = Sense.SCRIPT_PRE | Sense.SCRIPT_POST | Sense.RPMLIB | SENSE_KEYRING | SENSE_PRETRANS | SENSE_POSTTRANS;
var ERASE_ONLY = Sense.SCRIPT_PREUN | Sense.SCRIPT_POSTUN;
var isTransientReq = (flags) => (flags & INSTALL_ONLY) !== 0 && (flags & ERASE_ONLY) === 0;
function installedHeaderBlob(pkg, installTime, installTid, installColor) {
  const { signature, header: main } = parseRpmPackageBytes(pkg, false);
  const extra = [];
  const sigSize = signature.getNumberArray(SigTag.SIZE);
  const longSigSize = signature.getNumberArray(SigTag.LONGSIZE);
  const md5 = signature.getBinary(SigTag.MD5);
  const sha1 = signature.getStringArray(SigTag.SHA1);
  const sha256 = signature.getStringArray(SigTag.SHA256);
  const payloadSize = signature.getNumberArray(SigTag.PAYLOADSIZE);
  const longPayloadSize = signature.getNumberArray(SigTag.LONGARCHIVESIZE);
  if (sigSize.length) extra.push({ tag: Tag.SIGSIZE, data: int32(sigSize) });
  if (longSigSize.length) extra.push({ tag: Tag.LONGSIGSIZE, data: int64(longSigSize.map(BigInt)) });
  if (md5) extra.push({ tag: Tag.SIGMD5, data: bin(md5) });
  if (sha1.length) extra.push({ tag: Tag.SHA1HEADER, data: str(sha1[0]) });
  if (sha256.length) extra.push({ tag: Tag.SHA256HEADER, data: str(sha256[0]) });
  if (payloadSize.length) extra.push({ tag: Tag.ARCHIVESIZE, data: int32(payloadSize) });
  if (longPayloadSize.length) extra.push({ tag: Tag.LONGARCHIVESIZE, data: int64(longPayloadSize.map(BigInt)) });
  const fileCount = main.entry(Tag.BASENAMES)?.count ?? 0;
  extra.push({ tag: Tag.INSTALLTIME, data: int32([installTime]) });
  if (fileCount > 0) extra.push({ tag: Tag.FILESTATES, data: chars(new Array(fileCount).fill(0)) });
  extra.push({ tag: Tag.INSTALLCOLOR, data: int32([installColor]) }, { tag: Tag.INSTALLTID, data: int32([installTid]) });
  return appendDribbles(main.headerBytes.subarray(8), extra);
}
function indexStrings(h, tag) {
  const e = h.entry(tag);
  if (!e) return [];
  return e.type === TagType.I18NSTRING ? h.getStringArray(tag).slice(0, 1) : h.getStringArray(tag);
}
function indexKeys(h, tag) {
  if (tag === Tag.INSTALLTID) {
    const v = h.getNumber(tag) ?? void 0;
    if (v === void 0) return [];
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, v, true);
    return [{ key, idx: 0 }];
  }
  if (tag === Tag.SIGMD5) {
    const md5 = h.getBinary(tag);
    return md5 ? [{ key: md5, idx: 0 }] : [];
  }
  let values = indexStrings(h, tag);
  if (tag === Tag.GROUP && values.length === 0) values = ["Unknown"];
  const flags = tag === Tag.REQUIRENAME ? h.getNumberArray(Tag.REQUIREFLAGS) : [];
  const out = [];
  values.forEach((v, i) => {
    if (tag === Tag.REQUIRENAME && isTransientReq(flags[i] ?? 0)) return;
    if (tag === Tag.TRIGGERNAME && values.indexOf(v) < i) return;
    if (v === "" || v.startsWith("(")) return;
    out.push({ key: v, idx: i });
  });
  return out;
}
async function writeRpmdb(target, packages, opts = {}) {
  const installTime = opts.installTime ?? 1700000100;
  const installColor = opts.installColor ?? 3;
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const db = new DatabaseSync(tmp);
    try {
      db.exec("PRAGMA secure_delete = OFF");
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
      for (const ix of INDEXES) {
        db.exec(
          `CREATE TABLE IF NOT EXISTS '${ix.table}' (key '${ix.keyType}' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))`
        );
        if (ix.keyIdx) db.exec(`CREATE INDEX IF NOT EXISTS '${ix.table}_key_idx' ON '${ix.table}'(key ASC)`);
        if (ix.hnumIdx) db.exec(`CREATE INDEX IF NOT EXISTS '${ix.table}_hnum_idx' ON '${ix.table}'(hnum ASC)`);
      }
      db.exec("BEGIN");
      const putPkg = db.prepare("INSERT INTO 'Packages' VALUES(?, ?)");
      const puts = new Map(INDEXES.map((ix) => [ix.table, db.prepare(`INSERT INTO '${ix.table}' VALUES(?, ?, ?)`)]));
      packages.forEach((pkg, i) => {
        const hnum = i + 1;
        const blob = installedHeaderBlob(pkg, installTime + i, installTime, installColor);
        putPkg.run(hnum, blob);
        const h = parseHeaderBlob(blob);
        for (const ix of INDEXES) {
          for (const { key, idx } of indexKeys(h, ix.tag)) puts.get(ix.table).run(key, hnum, idx);
        }
      });
      db.exec("COMMIT");
      db.exec("PRAGMA wal_checkpoint = TRUNCATE");
    } finally {
      db.close();
    }
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
    await rename(tmp, target);
    await fsyncDir(dirname(target));
  } catch (e) {
    await rm(tmp, { force: true });
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
    throw e;
  }
}

// src/demo/tarWriter.ts
var BLOCK = 512;
var utf82 = new TextEncoder();
var TYPEFLAG = { file: "0", dir: "5", symlink: "2", hardlink: "1" };
function octal(value, width) {
  return value.toString(8).padStart(width - 1, "0");
}
function putString(block, offset, width, s) {
  const bytes = typeof s === "string" ? utf82.encode(s) : s;
  if (bytes.length > width) throw new Error(`tar field of ${width} bytes cannot hold ${bytes.length}`);
  block.set(bytes, offset);
}
function headerBlock(e) {
  const b = new Uint8Array(BLOCK);
  putString(b, 0, 100, e.name.subarray(0, 100));
  putString(b, 100, 8, octal(e.mode, 8));
  putString(b, 108, 8, octal(e.uid, 8));
  putString(b, 116, 8, octal(e.gid, 8));
  if (e.size >= 8 ** 11) throw new Error("tar entry over 8 GiB: the demo never writes one");
  putString(b, 124, 12, octal(e.size, 12));
  putString(b, 136, 12, octal(e.mtime, 12));
  b.fill(32, 148, 156);
  putString(b, 156, 1, e.typeflag);
  putString(b, 157, 100, e.linkName.subarray(0, 100));
  putString(b, 257, 8, "ustar  \0");
  putString(b, 265, 32, e.uname);
  putString(b, 297, 32, e.gname);
  let sum = 0;
  for (const x of b) sum += x;
  putString(b, 148, 8, `${octal(sum, 7)}\0 `);
  return b;
}
function padding(size) {
  return new Uint8Array((BLOCK - size % BLOCK) % BLOCK);
}
function entryBlocks(e) {
  const out = [];
  const name = utf82.encode(e.name);
  const linkName = utf82.encode(e.linkName ?? "");
  const long = (typeflag, value) => {
    const body = new Uint8Array(value.length + 1);
    body.set(value);
    out.push(
      headerBlock({ name: utf82.encode("././@LongLink"), typeflag, mode: 420, uid: 0, gid: 0, size: body.length, mtime: 0, linkName: new Uint8Array(0), uname: "root", gname: "root" }),
      body,
      padding(body.length)
    );
  };
  if (linkName.length > 100) long("K", linkName);
  if (name.length > 100) long("L", name);
  const data = e.type === "file" ? e.data ?? new Uint8Array(0) : new Uint8Array(0);
  out.push(
    headerBlock({ name, typeflag: TYPEFLAG[e.type], mode: e.mode & 4095, uid: e.uid, gid: e.gid, size: data.length, mtime: e.mtime, linkName, uname: e.uname, gname: e.gname })
  );
  if (data.length) out.push(data, padding(data.length));
  return out;
}
function endBlocks() {
  return new Uint8Array(2 * BLOCK);
}
function recordPadding(written) {
  const record = 20 * BLOCK;
  return new Uint8Array((record - written % record) % record);
}

// src/demo/imageBuilder.ts
var RPMDB_PATH = "/var/lib/rpm/rpmdb.sqlite";
var DEFAULT_MTIME = 1700000200;
var USERS = { root: 0, bin: 1, daemon: 2, adm: 3, nobody: 65534 };
var utf83 = new TextEncoder();
function idOf(name) {
  return USERS[name] ?? 1e3;
}
var Tree = class {
  root;
  mtime;
  constructor(mtime) {
    this.mtime = mtime;
    this.root = { entry: this.dirEntry("./", 493), children: /* @__PURE__ */ new Map() };
  }
  dirEntry(name, mode) {
    return { name, type: "dir", mode, uid: 0, gid: 0, uname: "root", gname: "root", mtime: this.mtime };
  }
  /** The node for `path`, creating parent directories rpm (or the image build) would have made. */
  node(path, create) {
    const parts = path.split("/").filter(Boolean);
    let n = this.root;
    let sofar = ".";
    for (const part of parts) {
      sofar += `/${part}`;
      let next = n.children.get(part);
      if (!next) {
        if (!create) return void 0;
        next = { entry: this.dirEntry(`${sofar}/`, 493), children: /* @__PURE__ */ new Map() };
        n.children.set(part, next);
      }
      n = next;
    }
    return n;
  }
  set(path, entry) {
    const n = this.node(path, true);
    const name = entry.type === "dir" ? `.${path}/` : `.${path}`;
    n.entry = { ...entry, name };
  }
  remove(path) {
    const parts = path.split("/").filter(Boolean);
    const last = parts.pop();
    const parent = this.node(parts.join("/"), false);
    if (!last || !parent?.children.delete(last)) throw new Error(`image has no ${path} to remove`);
  }
  get(path) {
    return this.node(path, false)?.entry;
  }
  *walk(n = this.root) {
    yield n.entry;
    const names = [...n.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) yield* this.walk(n.children.get(name));
  }
};
function addPackage(tree, spec, buildTime) {
  for (const f of spec.files) {
    if (f.flags?.includes("ghost")) continue;
    const type = f.type ?? (f.linkTo !== void 0 ? "symlink" : "file");
    const user = f.user ?? "root";
    const group = f.group ?? "root";
    const base = { uid: idOf(user), gid: idOf(group), uname: user, gname: group, mtime: f.mtime ?? buildTime };
    if (type === "dir") tree.set(f.path, { ...base, type: "dir", mode: f.mode ?? 493 });
    else if (type === "symlink") tree.set(f.path, { ...base, type: "symlink", mode: 511, linkName: f.linkTo });
    else {
      const data = typeof f.contents === "string" ? utf83.encode(f.contents) : f.contents ?? new Uint8Array(0);
      tree.set(f.path, { ...base, type: "file", mode: f.mode ?? 420, data });
    }
  }
}
function* archiveChunks(tree) {
  let written = 0;
  for (const e of tree.walk()) {
    for (const c of entryBlocks(e)) {
      written += c.length;
      yield c;
    }
  }
  const end = endBlocks();
  written += end.length;
  yield end;
  yield recordPadding(written);
}
async function buildImage(out, packages, edits = {}, opts = {}) {
  const mtime = opts.mtime ?? DEFAULT_MTIME;
  const tree = new Tree(mtime);
  for (const p of packages) addPackage(tree, p.spec, p.spec.buildTime ?? 17e8);
  const work = await mkdtemp(join(tmpdir(), "yv-image-"));
  try {
    const dbFile = join(work, "rpmdb.sqlite");
    await writeRpmdb(dbFile, packages.map((p) => p.rpm), { installTime: mtime });
    tree.set(RPMDB_PATH, { type: "file", mode: 420, uid: 0, gid: 0, uname: "root", gname: "root", mtime, data: await readFile(dbFile) });
    for (const f of edits.extraFiles ?? []) {
      const data = typeof f.contents === "string" ? utf83.encode(f.contents) : f.contents;
      tree.set(f.path, { type: "file", mode: f.mode ?? 420, uid: 0, gid: 0, uname: "root", gname: "root", mtime: f.mtime ?? mtime, data });
    }
    for (const f of edits.modified ?? []) {
      const old = tree.get(f.path);
      if (!old || old.type !== "file") throw new Error(`image has no file ${f.path} to modify`);
      const data = typeof f.contents === "string" ? utf83.encode(f.contents) : f.contents;
      tree.set(f.path, { ...old, data, mtime: f.mtime ?? mtime + 3600 });
    }
    for (const path of edits.removed ?? []) tree.remove(path);
    const file = await createAtomicFile(out);
    const hash = createHash2("sha256");
    let size = 0;
    let entries = 0;
    for (const _ of tree.walk()) entries++;
    const tap = new Transform({
      transform(chunk, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      }
    });
    try {
      await pipeline(Readable.from(archiveChunks(tree), { objectMode: false }), tap, file.stream, { end: false });
      await file.commit();
    } catch (e) {
      await file.abort();
      throw e;
    }
    return { path: out, sha256: hash.digest("hex"), size, entries };
  } finally {
    await rm2(work, { recursive: true, force: true });
  }
}

// src/demo/staticServer.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { join as join2, sep } from "node:path";
function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return void 0;
  }
  const parts = decoded.split("/").filter(Boolean);
  if (parts.some((p) => p === ".." || p === "." || p.includes("\\") || p.includes("\0"))) return void 0;
  return join2(root, ...parts);
}
function contentType(path) {
  if (path.endsWith(".xml")) return "text/xml";
  if (path.endsWith(".rpm")) return "application/x-rpm";
  if (path.endsWith(".gz")) return "application/gzip";
  if (path.endsWith(".zst")) return "application/zstd";
  return "application/octet-stream";
}
async function handle(root, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const path = resolvePath(root, new URL(req.url ?? "/", "http://x").pathname);
  const st = path ? await stat(path).catch(() => void 0) : void 0;
  if (!path || !st || !st.isFile() || !(path + sep).startsWith(root + sep)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  const headers = {
    "content-type": contentType(path),
    "accept-ranges": "bytes",
    "last-modified": st.mtime.toUTCString()
  };
  let start = 0;
  let end = st.size - 1;
  let status = 200;
  const range = req.headers.range && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range);
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), st.size - 1);
    } else {
      start = Math.max(0, st.size - Number(range[2]));
    }
    if (start > end || start >= st.size) {
      res.writeHead(416, { "content-range": `bytes */${st.size}` }).end();
      return;
    }
    status = 206;
    headers["content-range"] = `bytes ${start}-${end}/${st.size}`;
  }
  headers["content-length"] = st.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === "HEAD" || st.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}
async function startStaticServer(root) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    handle(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve2());
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve2) => {
      server.closeAllConnections();
      server.close(() => resolve2());
    })
  };
}

// src/demo/upstreamRepo.ts
import { mkdir as mkdir2, readdir, rm as rm3, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/demo/rpmWriter.ts
import { createHash as createHash3 } from "node:crypto";
import { promisify } from "node:util";
import { constants as zc, gzip, zstdCompress } from "node:zlib";

// src/demo/cpioWriter.ts
var utf84 = new TextEncoder();
var hex8 = (n) => (n >>> 0).toString(16).padStart(8, "0");
var pad4 = (n) => (4 - n % 4) % 4;
function entryBytes(e) {
  const name = utf84.encode(e.name);
  if (e.data.length > 4294967295) throw new Error(`cpio newc cannot hold ${e.name}: over 4 GiB`);
  const header = "070701" + [
    e.ino,
    e.mode,
    e.uid,
    e.gid,
    e.nlink,
    e.mtime,
    e.data.length,
    0,
    // devmajor
    0,
    // devminor
    e.rdevMajor ?? 0,
    e.rdevMinor ?? 0,
    name.length + 1,
    0
    // check: always 0 for newc
  ].map(hex8).join("");
  const nameEnd = 110 + name.length + 1;
  return [utf84.encode(header), name, new Uint8Array(1 + pad4(nameEnd)), e.data, new Uint8Array(pad4(e.data.length))];
}
function encodeCpio(entries) {
  const parts = [];
  for (const e of entries) parts.push(...entryBytes(e));
  parts.push(
    ...entryBytes({ name: "TRAILER!!!", ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, data: new Uint8Array(0) })
  );
  return concat(parts);
}

// src/demo/rpmWriter.ts
var DEFAULT_BUILD_TIME = 17e8;
var S_IFREG = 32768;
var S_IFDIR = 16384;
var S_IFLNK = 40960;
var PGPHASHALGO_SHA256 = 8;
var OPS = {
  "<": Sense.LESS,
  "<=": Sense.LESS | Sense.EQUAL,
  "=": Sense.EQUAL,
  ">=": Sense.GREATER | Sense.EQUAL,
  ">": Sense.GREATER
};
var FLAG_BITS = {
  config: FileFlags.CONFIG,
  doc: FileFlags.DOC,
  ghost: FileFlags.GHOST,
  license: FileFlags.LICENSE,
  noreplace: FileFlags.NOREPLACE,
  missingok: FileFlags.MISSINGOK
};
function parseDep(d) {
  if (typeof d !== "string") return { name: d.name, flags: d.op ? OPS[d.op] : 0, version: d.version ?? "" };
  const m = /^\s*(\S+)(?:\s+(<=|>=|<|>|=)\s+(\S+))?\s*$/.exec(d);
  if (!m) throw new Error(`dependency '${d}' is not "name [op version]"`);
  return { name: m[1], flags: m[2] ? OPS[m[2]] : 0, version: m[3] ?? "" };
}
function evrString(spec) {
  return `${spec.epoch !== void 0 ? `${spec.epoch}:` : ""}${spec.version}-${spec.release}`;
}
function rpmFileName(spec) {
  return `${spec.name}-${spec.version}-${spec.release}.${spec.arch}.rpm`;
}
var utf85 = new TextEncoder();
function fileRows(spec, buildTime) {
  const seen = /* @__PURE__ */ new Set();
  const sorted = [...spec.files].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return sorted.map((f, i) => {
    if (!f.path.startsWith("/") || f.path.endsWith("/") || f.path.includes("//") || /(^|\/)\.\.?(\/|$)/.test(f.path)) {
      throw new Error(`file path '${f.path}' must be absolute and normalized`);
    }
    if (seen.has(f.path)) throw new Error(`file '${f.path}' listed twice`);
    seen.add(f.path);
    const type = f.type ?? (f.linkTo !== void 0 ? "symlink" : "file");
    const flags = (f.flags ?? []).reduce((n, name) => n | FLAG_BITS[name], 0);
    const slash = f.path.lastIndexOf("/");
    let data = new Uint8Array(0);
    let mode;
    let digest = "";
    if (type === "file") {
      data = typeof f.contents === "string" ? utf85.encode(f.contents) : f.contents ?? new Uint8Array(0);
      mode = S_IFREG | (f.mode ?? 420);
      if (!(flags & FileFlags.GHOST)) digest = createHash3("sha256").update(data).digest("hex");
    } else if (type === "dir") {
      mode = S_IFDIR | (f.mode ?? 493);
    } else {
      if (!f.linkTo) throw new Error(`symlink '${f.path}' needs linkTo`);
      data = utf85.encode(f.linkTo);
      mode = S_IFLNK | (f.mode ?? 511);
    }
    return {
      path: f.path,
      dir: f.path.slice(0, slash + 1),
      base: f.path.slice(slash + 1),
      mode,
      size: data.length,
      data,
      digest,
      linkTo: type === "symlink" ? f.linkTo : "",
      flags,
      user: f.user ?? "root",
      group: f.group ?? "root",
      mtime: f.mtime ?? buildTime,
      inode: i + 1
    };
  });
}
function mainHeaderEntries(spec, rows, payload, buildTime) {
  const evr = evrString(spec);
  const dirs = [];
  const dirIndex = /* @__PURE__ */ new Map();
  for (const r of rows) {
    if (!dirIndex.has(r.dir)) {
      dirIndex.set(r.dir, dirs.length);
      dirs.push(r.dir);
    }
  }
  const provides = [
    ...(spec.provides ?? []).map(parseDep),
    { name: spec.name, flags: Sense.EQUAL, version: evr },
    ...spec.arch === "x86_64" ? [{ name: `${spec.name}(x86-64)`, flags: Sense.EQUAL, version: evr }] : []
  ];
  const rpmlib = (name, version) => ({ name: `rpmlib(${name})`, flags: Sense.RPMLIB | Sense.LESS | Sense.EQUAL, version });
  const requires = [
    ...(spec.requires ?? []).map(parseDep),
    rpmlib("CompressedFileNames", "3.0.4-1"),
    rpmlib("FileDigests", "4.6.0-1"),
    rpmlib("PayloadFilesHavePrefix", "4.0-1"),
    ...spec.compressor === "zstd" ? [rpmlib("PayloadIsZstd", "5.4.18-1")] : []
  ];
  const totalSize = rows.reduce((n, r) => n + r.size, 0);
  const large = rows.some((r) => r.size > 4294967295) || totalSize > 4294967295;
  const entries = [
    { tag: Tag.HEADERI18NTABLE, data: strArray(["C"]) },
    { tag: Tag.NAME, data: str(spec.name) },
    { tag: Tag.VERSION, data: str(spec.version) },
    { tag: Tag.RELEASE, data: str(spec.release) },
    { tag: Tag.SUMMARY, data: i18n(spec.summary) },
    { tag: Tag.DESCRIPTION, data: i18n(spec.description ?? spec.summary) },
    { tag: Tag.BUILDTIME, data: int32([buildTime]) },
    { tag: Tag.BUILDHOST, data: str(spec.buildHost ?? "yumvault-demo") },
    { tag: Tag.LICENSE, data: str(spec.license ?? "MIT") },
    { tag: Tag.GROUP, data: i18n(spec.group ?? "Unspecified") },
    { tag: Tag.OS, data: str("linux") },
    { tag: Tag.ARCH, data: str(spec.arch) },
    { tag: Tag.SOURCERPM, data: str(spec.sourceRpm ?? `${spec.name}-${spec.version}-${spec.release}.src.rpm`) },
    { tag: Tag.PROVIDENAME, data: strArray(provides.map((d) => d.name)) },
    { tag: Tag.PROVIDEFLAGS, data: int32(provides.map((d) => d.flags)) },
    { tag: Tag.PROVIDEVERSION, data: strArray(provides.map((d) => d.version)) },
    { tag: Tag.REQUIRENAME, data: strArray(requires.map((d) => d.name)) },
    { tag: Tag.REQUIREFLAGS, data: int32(requires.map((d) => d.flags)) },
    { tag: Tag.REQUIREVERSION, data: strArray(requires.map((d) => d.version)) },
    { tag: Tag.RPMVERSION, data: str("4.18.0") },
    { tag: Tag.PAYLOADFORMAT, data: str("cpio") },
    { tag: Tag.PAYLOADCOMPRESSOR, data: str(spec.compressor) },
    { tag: Tag.PAYLOADFLAGS, data: str(String(payload.level)) },
    { tag: Tag.PLATFORM, data: str(`${spec.arch}-redhat-linux`) },
    { tag: Tag.ENCODING, data: str("utf-8") },
    { tag: Tag.PAYLOADDIGEST, data: strArray([payload.compressedSha256]) },
    { tag: Tag.PAYLOADDIGESTALGO, data: int32([PGPHASHALGO_SHA256]) },
    { tag: Tag.PAYLOADDIGESTALT, data: strArray([payload.uncompressedSha256]) }
  ];
  if (spec.url) entries.push({ tag: Tag.URL, data: str(spec.url) });
  if (spec.epoch !== void 0) entries.push({ tag: Tag.EPOCH, data: int32([spec.epoch]) });
  entries.push(large ? { tag: Tag.LONGSIZE, data: int64([BigInt(totalSize)]) } : { tag: Tag.SIZE, data: int32([totalSize]) });
  if (rows.length > 0) {
    entries.push(
      large ? { tag: Tag.LONGFILESIZES, data: int64(rows.map((r) => BigInt(r.size))) } : { tag: Tag.FILESIZES, data: int32(rows.map((r) => r.size)) },
      { tag: Tag.FILEMODES, data: int16(rows.map((r) => r.mode)) },
      { tag: Tag.FILERDEVS, data: int16(rows.map(() => 0)) },
      { tag: Tag.FILEMTIMES, data: int32(rows.map((r) => r.mtime)) },
      { tag: Tag.FILEDIGESTS, data: strArray(rows.map((r) => r.digest)) },
      { tag: Tag.FILELINKTOS, data: strArray(rows.map((r) => r.linkTo)) },
      { tag: Tag.FILEFLAGS, data: int32(rows.map((r) => r.flags)) },
      { tag: Tag.FILEUSERNAME, data: strArray(rows.map((r) => r.user)) },
      { tag: Tag.FILEGROUPNAME, data: strArray(rows.map((r) => r.group)) },
      { tag: Tag.FILEVERIFYFLAGS, data: int32(rows.map(() => 4294967295)) },
      { tag: Tag.FILEDEVICES, data: int32(rows.map(() => 1)) },
      { tag: Tag.FILEINODES, data: int32(rows.map((r) => r.inode)) },
      { tag: Tag.FILELANGS, data: strArray(rows.map(() => "")) },
      { tag: Tag.DIRINDEXES, data: int32(rows.map((r) => dirIndex.get(r.dir))) },
      { tag: Tag.BASENAMES, data: strArray(rows.map((r) => r.base)) },
      { tag: Tag.DIRNAMES, data: strArray(dirs) },
      { tag: Tag.FILECOLORS, data: int32(rows.map(() => 0)) },
      { tag: Tag.FILEDIGESTALGO, data: int32([PGPHASHALGO_SHA256]) }
    );
  }
  return entries;
}
async function buildPayload(spec, rows) {
  const entries = rows.filter((r) => !(r.flags & FileFlags.GHOST)).map((r) => ({ name: `.${r.path}`, ino: r.inode, mode: r.mode, uid: 0, gid: 0, nlink: 1, mtime: r.mtime, data: r.data }));
  const cpio = encodeCpio(entries);
  const level = spec.level ?? (spec.compressor === "zstd" ? 19 : 9);
  const compressed = spec.compressor === "zstd" ? await promisify(zstdCompress)(cpio, { params: { [zc.ZSTD_c_compressionLevel]: level, [zc.ZSTD_c_checksumFlag]: 1 } }) : await promisify(gzip)(cpio, { level });
  return {
    compressed: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
    uncompressedSize: cpio.length,
    compressedSha256: createHash3("sha256").update(compressed).digest("hex"),
    uncompressedSha256: createHash3("sha256").update(cpio).digest("hex"),
    level
  };
}
function lead(spec) {
  const out = new Uint8Array(96);
  const dv = new DataView(out.buffer);
  out.set([237, 171, 238, 219, 3, 0]);
  dv.setUint16(6, 0);
  dv.setUint16(8, spec.arch === "aarch64" ? 19 : 1);
  out.set(utf85.encode(`${spec.name}-${spec.version}-${spec.release}`).subarray(0, 65), 10);
  dv.setUint16(76, 1);
  dv.setUint16(78, 5);
  return out;
}
async function buildRpm(spec) {
  const buildTime = spec.buildTime ?? DEFAULT_BUILD_TIME;
  const rows = fileRows(spec, buildTime);
  const payload = await buildPayload(spec, rows);
  const headerBlob = encodeRegionHeader(mainHeaderEntries(spec, rows, payload, buildTime), 63);
  const header = withMagic(headerBlob);
  const headerSha1 = createHash3("sha1").update(header).digest("hex");
  const headerSha256 = createHash3("sha256").update(header).digest("hex");
  const sigMd5 = new Uint8Array(createHash3("md5").update(header).update(payload.compressed).digest());
  const signedSize = header.length + payload.compressed.length;
  const sigEntries = [
    { tag: SigTag.SHA1, data: str(headerSha1) },
    { tag: SigTag.SHA256, data: str(headerSha256) },
    { tag: SigTag.MD5, data: bin(sigMd5) }
  ];
  if (signedSize > 4294967295 || payload.uncompressedSize > 4294967295) {
    sigEntries.push(
      { tag: SigTag.LONGSIZE, data: int64([BigInt(signedSize)]) },
      { tag: SigTag.LONGARCHIVESIZE, data: int64([BigInt(payload.uncompressedSize)]) }
    );
  } else {
    sigEntries.push({ tag: SigTag.SIZE, data: int32([signedSize]) }, { tag: SigTag.PAYLOADSIZE, data: int32([payload.uncompressedSize]) });
  }
  const sig = withMagic(encodeRegionHeader(sigEntries, 62));
  const sigPad = new Uint8Array((8 - sig.length % 8) % 8);
  const headerStart = 96 + sig.length + sigPad.length;
  const bytes = concat([lead(spec), sig, sigPad, header, payload.compressed]);
  return {
    bytes,
    headerBlob,
    headerStart,
    headerEnd: headerStart + header.length,
    sha256: createHash3("sha256").update(bytes).digest("hex"),
    headerSha256,
    headerSha1,
    sigMd5,
    payloadSize: payload.uncompressedSize,
    fileName: rpmFileName(spec)
  };
}

// src/demo/upstreamRepo.ts
async function generatePool(opts = {}) {
  const names = opts.names ?? DEMO_PACKAGE_NAMES;
  const count = opts.builds ?? DEMO_BUILDS.length;
  const pool = /* @__PURE__ */ new Map();
  await Promise.all(
    names.map(async (name) => {
      const builds = await Promise.all(
        Array.from({ length: count }, async (_, build) => {
          const spec = demoPackageSpec(name, build);
          return { spec, rpm: await buildRpm(spec), build };
        })
      );
      pool.set(name, builds);
    })
  );
  return pool;
}
function window(pool, from, to) {
  return [...pool.values()].flatMap((builds) => builds.filter((b) => b.build >= from && b.build < to));
}
async function publish(repoDir, builds, writeRepodata2) {
  const pkgDir = join3(repoDir, "Packages");
  await mkdir2(pkgDir, { recursive: true });
  const wanted = new Set(builds.map((b) => b.rpm.fileName));
  const present = new Set(await readdir(pkgDir));
  for (const b of builds) {
    if (!present.has(b.rpm.fileName)) await writeFile(join3(pkgDir, b.rpm.fileName), b.rpm.bytes);
  }
  await writeRepodata2(
    repoDir,
    builds.map((b) => ({ relativePath: `Packages/${b.rpm.fileName}`, rpm: b.rpm }))
  );
  const evicted = [...present].filter((f) => f.endsWith(".rpm") && !wanted.has(f)).sort();
  for (const f of evicted) await rm3(join3(pkgDir, f), { force: true });
  return { evicted };
}

// src/demo/cycle.ts
var UPSTREAM_KEEP = 3;
var DEMO_REPO = "demo";
var DemoStepError = class extends YumvaultError {
  step;
  constructor(step, cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("YV_DEMO_STEP", `step '${step}' failed: ${why}`, { cause });
    this.step = step;
  }
};
function imageEdits() {
  return {
    extraFiles: [
      { path: "/etc/hostname", contents: "demo-image\n" },
      { path: "/etc/machine-id", contents: "5f1c2b9e0d8a4e6fb7a3c1d2e4f60718\n", mode: 292 },
      { path: "/var/log/build.log", contents: "image built by the yumvault demo\n".repeat(40) },
      { path: "/root/.bash_history", contents: "dnf install demo-server\nvi /etc/demod.conf\n", mode: 384 },
      // Data no package provides stays in the residual whole: an application cache.
      { path: "/var/cache/demod/state.bin", contents: binaryBytes("demod runtime state", 96e3), mode: 416 }
    ],
    modified: [{ path: "/etc/demod.conf", contents: "listen = 0.0.0.0:8080\nworkers = 4\n" }],
    removed: ["/usr/share/doc/demo-tools/NEWS"]
  };
}
async function runDemoCycle(opts) {
  const { workDir, services } = opts;
  const token = opts.token ?? createHash4("sha256").update(`${process.pid}:${Date.now()}:${Math.random()}`).digest("hex").slice(0, 32);
  const steps = [];
  const step = async (name, fn) => {
    const t0 = performance.now();
    const limit = opts.stepTimeoutMs ?? 12e4;
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${limit / 1e3} s`)), limit);
    });
    try {
      const out = await Promise.race([fn(), timeout]);
      const s = { name, ms: Math.round(performance.now() - t0) };
      steps.push(s);
      opts.onStep?.(s);
      return out;
    } catch (e) {
      throw e instanceof DemoStepError ? e : new DemoStepError(name, e);
    } finally {
      clearTimeout(timer);
    }
  };
  await mkdir3(workDir, { recursive: true });
  const repoDir = join4(workDir, "upstream", DEMO_REPO);
  const imagePath = join4(workDir, "image.tar");
  const decomposedDir = join4(workDir, "decomposed");
  const restoredPath = join4(workDir, "restored.tar");
  const current = UPSTREAM_KEEP - 1;
  let upstream;
  let proxy;
  try {
    const pool = await step(`generate ${DEMO_BUILDS.length} builds of each demo package`, () => generatePool());
    await step(`publish upstream repository (${UPSTREAM_KEEP} builds per package)`, async () => {
      await publish(repoDir, window(pool, 0, UPSTREAM_KEEP), services.writeRepodata);
      upstream = await startStaticServer(join4(workDir, "upstream"));
    });
    const upstreamUrl = `${upstream.url}${DEMO_REPO}/`;
    proxy = await step(
      "start the proxy",
      () => services.startProxy({ dataDir: join4(workDir, "proxy-data"), upstreams: { [DEMO_REPO]: upstreamUrl }, token })
    );
    const imageBuilds = [...pool.values()].map((builds) => builds[current]);
    const image = await step(
      "build an image from the current builds",
      () => buildImage(
        imagePath,
        imageBuilds.map((b) => ({ spec: b.spec, rpm: b.rpm.bytes })),
        imageEdits()
      )
    );
    const decomposed = await step(
      "decompose the image through the proxy",
      () => services.decompose({
        image: imagePath,
        repos: [`${proxy.url}repos/${DEMO_REPO}/`],
        out: decomposedDir,
        register: { url: proxy.url, token }
      })
    );
    const evicted = await step(
      "upstream publishes newer builds and evicts old ones",
      () => publish(repoDir, window(pool, DEMO_BUILDS.length - UPSTREAM_KEEP, DEMO_BUILDS.length), services.writeRepodata)
    );
    const imageFiles = imageBuilds.map((b) => b.rpm.fileName);
    const goneUpstream = await step("check upstream no longer has the image builds", async () => {
      let gone = 0;
      for (const f of imageFiles) {
        const r = await fetch(`${upstreamUrl}Packages/${f}`, { method: "HEAD" });
        if (r.status === 404) gone++;
      }
      if (gone !== imageFiles.length) throw new Error(`upstream still serves ${imageFiles.length - gone} of the image's builds`);
      return gone;
    });
    await step("run a monitor pass", () => services.monitor(proxy, token));
    const retained = await step(
      "count the image builds the proxy retained",
      () => services.retained({ proxy, token, manifestId: decomposed.manifestId, fileNames: imageFiles })
    );
    await step(
      "restore the image from the vault",
      () => services.restore({ dir: decomposedDir, repos: [`${proxy.url}vault/${DEMO_REPO}/`], out: restoredPath })
    );
    const restoredSha256 = await step("verify the restored image", async () => {
      await services.verify(decomposedDir, restoredPath);
      const sha = (await hashFile(restoredPath)).digest;
      if (sha !== image.sha256) throw new Error(`restored sha256 ${sha} differs from the image's ${image.sha256}`);
      return sha;
    });
    await opts.beforeShutdown?.({ proxyUrl: proxy.url, upstreamUrl });
    const stored = decomposed.storedBytes || await storedSize(decomposedDir);
    return {
      workDir,
      packages: imageBuilds.length,
      imageSha256: image.sha256,
      imageSize: image.size,
      storedBytes: stored,
      ratio: stored > 0 ? image.size / stored : 0,
      buildsEvictedUpstream: evicted.evicted.length,
      imageBuildsEvictedUpstream: goneUpstream,
      retainedByProxy: retained,
      restoredSha256,
      restoredMatches: restoredSha256 === image.sha256,
      steps
    };
  } finally {
    await proxy?.close().catch(() => void 0);
    await upstream?.close().catch(() => void 0);
  }
}
async function storedSize(dir) {
  let n = 0;
  for (const f of ["manifest.json", "residual.zst"]) n += (await stat2(join4(dir, f))).size;
  return n;
}

// src/demo/report.ts
function demoTable(r) {
  const rows = [
    ["packages in the image", String(r.packages)],
    ["image size", humanBytes(r.imageSize)],
    ["stored (manifest + residual)", humanBytes(r.storedBytes)],
    ["ratio", `${r.ratio.toFixed(1)}x`],
    ["builds evicted upstream", `${r.buildsEvictedUpstream} (${r.imageBuildsEvictedUpstream} of them in the image)`],
    ["retained by the proxy", `${r.retainedByProxy} of ${r.packages}`],
    ["restored sha256 matches", r.restoredMatches ? "yes" : "NO"]
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const total = r.steps.reduce((n, s) => n + s.ms, 0);
  return [
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `  ${"image sha256".padEnd(width)}  ${r.imageSha256}`,
    `  ${"total time".padEnd(width)}  ${(total / 1e3).toFixed(1)} s`
  ].join("\n");
}
function demoJson(r) {
  return {
    packages: r.packages,
    image: { sha256: r.imageSha256, size: r.imageSize },
    storedBytes: r.storedBytes,
    ratio: Number(r.ratio.toFixed(2)),
    buildsEvictedUpstream: r.buildsEvictedUpstream,
    imageBuildsEvictedUpstream: r.imageBuildsEvictedUpstream,
    retainedByProxy: r.retainedByProxy,
    restored: { sha256: r.restoredSha256, matches: r.restoredMatches },
    steps: r.steps,
    workDir: r.workDir
  };
}

// src/demo/services.ts
import { join as join5 } from "node:path";
function demoLogger() {
  return process.env.YUMVAULT_DEBUG ? jsonLogger() : silentLogger;
}
async function api(proxy, path, token, method = "GET") {
  const res = await fetch(`${proxy.url}api/v1/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new UpstreamError(`${method} /api/v1/${path} answered ${res.status}: ${text.slice(0, 300)}`, { status: res.status });
  return JSON.parse(text);
}
function defaultDemoServices() {
  return {
    writeRepodata: async (repoDir, packages) => {
      await writeRepodata(
        repoDir,
        packages.map((p) => ({ path: join5(repoDir, p.relativePath), location: p.relativePath }))
      );
    },
    async startProxy(o) {
      const config = buildConfig(
        // The demo runs its pass itself, when upstream has moved on.
        { monitorInterval: "0", ...o.metadataTtl !== void 0 ? { metadataTtl: o.metadataTtl } : {} },
        {},
        { data: o.dataDir, listen: "127.0.0.1:0", token: o.token, upstreams: Object.entries(o.upstreams).map(([n, u]) => `${n}=${u}`) }
      );
      const logger = demoLogger();
      const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
      try {
        const server = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger, monitor: services.monitor });
        const url = await server.start();
        return {
          url,
          async close() {
            await server.stop();
            await services.monitor.close();
            await services.close();
          }
        };
      } catch (e) {
        await services.monitor.close();
        await services.close();
        throw e;
      }
    },
    async decompose(o) {
      const s = await decomposeImage({ image: o.image, repos: o.repos, outDir: o.out, register: { proxyUrl: o.register.url, token: o.register.token } });
      if (s.packagesFound !== s.packages) {
        throw new VerificationError(`only ${s.packagesFound} of ${s.packages} packages found through the proxy (missing: ${s.packagesMissing.join(", ")})`);
      }
      return { packages: s.packages, packagesFound: s.packagesFound, storedBytes: s.storedBytes, manifestId: s.manifestId };
    },
    async monitor(proxy, token) {
      const report = await api(proxy, "monitor", token, "POST");
      const failed = report.repos.filter((r) => r.error);
      if (failed.length) throw new Error(`monitor pass failed: ${failed.map((r) => `${r.repo}: ${r.error}`).join("; ")}`);
      const lost = report.repos.reduce((n, r) => n + r.lost.length, 0);
      if (lost) throw new Error(`the monitor pass lost ${lost} build(s)`);
    },
    async retained(o) {
      if (!o.manifestId) throw new Error("decompose did not report the manifest id the proxy registered");
      const m = await api(o.proxy, `manifests/${encodeURIComponent(o.manifestId)}`, o.token);
      return m.builds.filter((b) => b.held && b.state === "retained").length;
    },
    async restore(o) {
      await restoreImage({ dir: o.dir, repos: o.repos, out: o.out });
    },
    async verify(dir, image) {
      const v = await verifyImage(dir, image);
      if (!v.ok) throw new VerificationError(v.reason ?? "the restored image does not match the manifest");
    }
  };
}

// src/cli/demo.ts
var HELP = `usage: yumvault demo [--keep DIR] [--json]

Runs the whole cycle on a generated repository, in-process, in under a minute: generate an upstream
repository, start the proxy, build an image, decompose it through the proxy, let upstream publish newer
builds and evict old ones, run a monitor pass, restore the image from the vault, verify it.

  --keep DIR   work in DIR (created, must be empty) and keep everything there afterwards
  --json       print one JSON object instead of the table
`;
async function runDemo(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(HELP);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json"], options: ["keep"], positionals: [0, 0] }, "demo");
  const json = args.flags.has("json");
  const keep = optionValue(args, "keep");
  let workDir;
  if (keep !== void 0) {
    workDir = resolve(keep);
    const existing = await readdir2(workDir).catch(() => []);
    if (existing.length > 0) throw new UsageError(`demo: --keep ${keep} is not empty; give a new or empty directory`);
  } else {
    workDir = await mkdtemp2(join6(tmpdir2(), "yumvault-demo-"));
  }
  try {
    if (!json) io.stdout("yumvault demo: decompose \u2192 upstream eviction \u2192 retention \u2192 restore \u2192 verify\n");
    const result = await runDemoCycle({
      workDir,
      services: defaultDemoServices(),
      onStep: (s) => {
        if (!json) io.stdout(`  \u2713 ${s.name} (${(s.ms / 1e3).toFixed(1)} s)
`);
      }
    });
    if (json) io.stdout(`${JSON.stringify({ ...demoJson(result), workDir: keep !== void 0 ? workDir : null })}
`);
    else {
      io.stdout(`
${demoTable(result)}
`);
      if (keep !== void 0) io.stdout(`
  everything is kept in ${workDir}
`);
    }
    return result.restoredMatches ? 0 : 1;
  } finally {
    if (keep === void 0) await rm4(workDir, { recursive: true, force: true });
  }
}
export {
  runDemo
};
