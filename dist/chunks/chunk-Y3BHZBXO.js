#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  RpmFormatError
} from "./chunk-JAH4FOK6.js";

// src/rpm/tags.ts
var TagType = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9
};
var TAG_TYPE_NAMES = [
  "NULL",
  "CHAR",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "STRING",
  "BIN",
  "STRING_ARRAY",
  "I18NSTRING"
];
var Tag = {
  HEADERIMAGE: 61,
  HEADERSIGNATURES: 62,
  HEADERIMMUTABLE: 63,
  HEADERREGIONS: 64,
  HEADERI18NTABLE: 100,
  SIGSIZE: 257,
  SIGLEMD5_1: 258,
  SIGPGP: 259,
  SIGLEMD5_2: 260,
  SIGMD5: 261,
  SIGGPG: 262,
  SIGPGP5: 263,
  BADSHA1_1: 264,
  BADSHA1_2: 265,
  PUBKEYS: 266,
  DSAHEADER: 267,
  RSAHEADER: 268,
  SHA1HEADER: 269,
  LONGSIGSIZE: 270,
  LONGARCHIVESIZE: 271,
  SHA256HEADER: 273,
  VERITYSIGNATURES: 276,
  VERITYSIGNATUREALGO: 277,
  NAME: 1e3,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  DESCRIPTION: 1005,
  BUILDTIME: 1006,
  BUILDHOST: 1007,
  INSTALLTIME: 1008,
  SIZE: 1009,
  DISTRIBUTION: 1010,
  VENDOR: 1011,
  GIF: 1012,
  XPM: 1013,
  LICENSE: 1014,
  PACKAGER: 1015,
  GROUP: 1016,
  CHANGELOG: 1017,
  SOURCE: 1018,
  PATCH: 1019,
  URL: 1020,
  OS: 1021,
  ARCH: 1022,
  PREIN: 1023,
  POSTIN: 1024,
  PREUN: 1025,
  POSTUN: 1026,
  OLDFILENAMES: 1027,
  FILESIZES: 1028,
  FILESTATES: 1029,
  FILEMODES: 1030,
  FILEUIDS: 1031,
  FILEGIDS: 1032,
  FILERDEVS: 1033,
  FILEMTIMES: 1034,
  FILEDIGESTS: 1035,
  FILELINKTOS: 1036,
  FILEFLAGS: 1037,
  ROOT: 1038,
  FILEUSERNAME: 1039,
  FILEGROUPNAME: 1040,
  EXCLUDE: 1041,
  EXCLUSIVE: 1042,
  ICON: 1043,
  SOURCERPM: 1044,
  FILEVERIFYFLAGS: 1045,
  ARCHIVESIZE: 1046,
  PROVIDENAME: 1047,
  REQUIREFLAGS: 1048,
  REQUIRENAME: 1049,
  REQUIREVERSION: 1050,
  NOSOURCE: 1051,
  NOPATCH: 1052,
  CONFLICTFLAGS: 1053,
  CONFLICTNAME: 1054,
  CONFLICTVERSION: 1055,
  DEFAULTPREFIX: 1056,
  BUILDROOT: 1057,
  INSTALLPREFIX: 1058,
  EXCLUDEARCH: 1059,
  EXCLUDEOS: 1060,
  EXCLUSIVEARCH: 1061,
  EXCLUSIVEOS: 1062,
  AUTOREQPROV: 1063,
  RPMVERSION: 1064,
  TRIGGERSCRIPTS: 1065,
  TRIGGERNAME: 1066,
  TRIGGERVERSION: 1067,
  TRIGGERFLAGS: 1068,
  TRIGGERINDEX: 1069,
  VERIFYSCRIPT: 1079,
  CHANGELOGTIME: 1080,
  CHANGELOGNAME: 1081,
  CHANGELOGTEXT: 1082,
  BROKENMD5: 1083,
  PREREQ: 1084,
  PREINPROG: 1085,
  POSTINPROG: 1086,
  PREUNPROG: 1087,
  POSTUNPROG: 1088,
  BUILDARCHS: 1089,
  OBSOLETENAME: 1090,
  VERIFYSCRIPTPROG: 1091,
  TRIGGERSCRIPTPROG: 1092,
  DOCDIR: 1093,
  COOKIE: 1094,
  FILEDEVICES: 1095,
  FILEINODES: 1096,
  FILELANGS: 1097,
  PREFIXES: 1098,
  INSTPREFIXES: 1099,
  SOURCEPACKAGE: 1106,
  PROVIDEFLAGS: 1112,
  PROVIDEVERSION: 1113,
  OBSOLETEFLAGS: 1114,
  OBSOLETEVERSION: 1115,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  ORIGDIRINDEXES: 1119,
  ORIGBASENAMES: 1120,
  ORIGDIRNAMES: 1121,
  OPTFLAGS: 1122,
  DISTURL: 1123,
  PAYLOADFORMAT: 1124,
  PAYLOADCOMPRESSOR: 1125,
  PAYLOADFLAGS: 1126,
  INSTALLCOLOR: 1127,
  INSTALLTID: 1128,
  REMOVETID: 1129,
  RHNPLATFORM: 1131,
  PLATFORM: 1132,
  FILECOLORS: 1140,
  FILECLASS: 1141,
  CLASSDICT: 1142,
  FILEDEPENDSX: 1143,
  FILEDEPENDSN: 1144,
  DEPENDSDICT: 1145,
  SOURCEPKGID: 1146,
  FILECONTEXTS: 1147,
  PRETRANS: 1151,
  POSTTRANS: 1152,
  PRETRANSPROG: 1153,
  POSTTRANSPROG: 1154,
  DISTTAG: 1155,
  OLDSUGGESTSNAME: 1156,
  OLDSUGGESTSVERSION: 1157,
  OLDSUGGESTSFLAGS: 1158,
  OLDENHANCESNAME: 1159,
  OLDENHANCESVERSION: 1160,
  OLDENHANCESFLAGS: 1161,
  FILEDIGESTALGOS: 1177,
  DBINSTANCE: 1195,
  NVRA: 1196,
  FILENAMES: 5e3,
  ORIGFILENAMES: 5007,
  LONGFILESIZES: 5008,
  LONGSIZE: 5009,
  FILECAPS: 5010,
  FILEDIGESTALGO: 5011,
  BUGURL: 5012,
  EVR: 5013,
  NVR: 5014,
  NEVR: 5015,
  NEVRA: 5016,
  HEADERCOLOR: 5017,
  PREINFLAGS: 5020,
  POSTINFLAGS: 5021,
  PREUNFLAGS: 5022,
  POSTUNFLAGS: 5023,
  PRETRANSFLAGS: 5024,
  POSTTRANSFLAGS: 5025,
  VERIFYSCRIPTFLAGS: 5026,
  TRIGGERSCRIPTFLAGS: 5027,
  VCS: 5034,
  ORDERNAME: 5035,
  ORDERVERSION: 5036,
  ORDERFLAGS: 5037,
  FILENLINKS: 5045,
  RECOMMENDNAME: 5046,
  RECOMMENDVERSION: 5047,
  RECOMMENDFLAGS: 5048,
  SUGGESTNAME: 5049,
  SUGGESTVERSION: 5050,
  SUGGESTFLAGS: 5051,
  SUPPLEMENTNAME: 5052,
  SUPPLEMENTVERSION: 5053,
  SUPPLEMENTFLAGS: 5054,
  ENHANCENAME: 5055,
  ENHANCEVERSION: 5056,
  ENHANCEFLAGS: 5057,
  ENCODING: 5062,
  FILESIGNATURES: 5090,
  FILESIGNATURELENGTH: 5091,
  PAYLOADDIGEST: 5092,
  PAYLOADDIGESTALGO: 5093,
  AUTOINSTALLED: 5094,
  IDENTITY: 5095,
  MODULARITYLABEL: 5096,
  PAYLOADDIGESTALT: 5097,
  ARCHSUFFIX: 5098,
  SPEC: 5099
};
var SigTag = {
  HEADERSIGNATURES: 62,
  BADSHA1_1: 264,
  BADSHA1_2: 265,
  DSA: 267,
  RSA: 268,
  SHA1: 269,
  LONGSIZE: 270,
  LONGARCHIVESIZE: 271,
  SHA256: 273,
  FILESIGNATURES: 274,
  FILESIGNATURELENGTH: 275,
  VERITYSIGNATURES: 276,
  VERITYSIGNATUREALGO: 277,
  RESERVED: 999,
  SIZE: 1e3,
  LEMD5_1: 1001,
  PGP: 1002,
  LEMD5_2: 1003,
  MD5: 1004,
  GPG: 1005,
  PGP5: 1006,
  PAYLOADSIZE: 1007,
  RESERVEDSPACE: 1008
};
function isRegionTag(tag) {
  return tag >= Tag.HEADERIMAGE && tag < Tag.HEADERREGIONS;
}
var Sense = {
  ANY: 0,
  LESS: 1 << 1,
  GREATER: 1 << 2,
  EQUAL: 1 << 3,
  PREREQ: 1 << 6,
  INTERP: 1 << 8,
  SCRIPT_PRE: 1 << 9,
  SCRIPT_POST: 1 << 10,
  SCRIPT_PREUN: 1 << 11,
  SCRIPT_POSTUN: 1 << 12,
  RPMLIB: 1 << 24,
  CONFIG: 1 << 28
};

// src/rpm/headerVerify.ts
var ENTRY_SIZE = 16;
var MAX_COUNT = 268435455;
var TYPE_ALIGN = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1];
var TYPE_SIZE = [0, 1, 1, 2, 4, 8, -1, 1, -1, -1];
function findNul(b, from, end) {
  for (let i = from; i < end; i++) if (b[i] === 0) return i;
  return -1;
}
function verifyRegion(entries, store, dl, what) {
  const first = entries[0];
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
  const tagOk = trailerTag === first.tag || first.tag === 62 && trailerTag === 61;
  if (!tagOk || tv.getUint32(4) !== TagType.BIN || tv.getUint32(12) !== ENTRY_SIZE) {
    throw new RpmFormatError(`${what} region trailer does not match region tag ${first.tag}`);
  }
  if (trailerOffset >= 0 || trailerOffset % ENTRY_SIZE !== 0 || !Number.isInteger(ril) || ril < 1 || ril > entries.length) {
    throw new RpmFormatError(`${what} region trailer claims ${ril} entries of ${entries.length}`);
  }
  return { tag: first.tag, indexCount: ril, dataLength: rdl };
}
function verifyEntries(entries, store, dl, region, what) {
  let end = 0;
  for (let i = region ? 1 : 0; i < entries.length; i++) {
    const e = entries[i];
    const where = `${what} entry ${i} (tag ${e.tag})`;
    if (e.offset < end) throw new RpmFormatError(`${where} overlaps the previous entry's data`);
    if (e.tag < 100) throw new RpmFormatError(`${where} has a reserved tag number`);
    if (e.type < TagType.CHAR || e.type > TagType.I18NSTRING) throw new RpmFormatError(`${where} has unknown type ${e.type}`);
    if (e.count < 1 || e.count > MAX_COUNT) throw new RpmFormatError(`${where} has count ${e.count}`);
    if (e.offset % TYPE_ALIGN[e.type] !== 0) throw new RpmFormatError(`${where} offset ${e.offset} is misaligned for ${TAG_TYPE_NAMES[e.type]}`);
    if (e.offset >= dl) throw new RpmFormatError(`${where} offset ${e.offset} outside data (${dl} bytes)`);
    const len = dataLength(e, store, dl);
    if (len < 0) throw new RpmFormatError(`${where} data runs past the end of the store`);
    end = e.offset + len;
    if (region && e.offset < region.dataLength && end > region.dataLength - ENTRY_SIZE) {
      throw new RpmFormatError(`${where} data overlaps the region trailer`);
    }
  }
}
function dataLength(e, store, dl) {
  const fixed = TYPE_SIZE[e.type];
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

// src/rpm/header.ts
var HEADER_MAGIC = Uint8Array.of(142, 173, 232, 1, 0, 0, 0, 0);
var MAX_INDEX_ENTRIES = 65535;
var MAX_DATA_LENGTH = 268435455;
var ENTRY_SIZE2 = 16;
var RpmHeader = class {
  /** The exact bytes parsed: magic-prefixed for a package header, the bare blob for an rpmdb one. */
  headerBytes;
  /** True when headerBytes starts with the 8-byte header magic. */
  hasMagic;
  indexCount;
  dataLength;
  region;
  /** All entries in stored order. */
  entries;
  byTag;
  store;
  storeView;
  constructor(headerBytes, hasMagic, indexCount, dataLength2, entries, region) {
    this.headerBytes = headerBytes;
    this.hasMagic = hasMagic;
    this.indexCount = indexCount;
    this.dataLength = dataLength2;
    this.entries = entries;
    this.region = region;
    const storeStart = (hasMagic ? 16 : 8) + indexCount * ENTRY_SIZE2;
    this.store = Buffer.from(headerBytes.buffer, headerBytes.byteOffset + storeStart, dataLength2);
    this.storeView = new DataView(this.store.buffer, this.store.byteOffset, this.store.byteLength);
    this.byTag = /* @__PURE__ */ new Map();
    for (let i = region ? 1 : 0; i < entries.length; i++) this.byTag.set(entries[i].tag, entries[i]);
  }
  /** Total size in bytes (headerBytes.length). */
  get byteLength() {
    return this.headerBytes.length;
  }
  has(tag) {
    return this.byTag.has(tag);
  }
  /** Tag numbers present (values only; the region entry is not listed). */
  tags() {
    return [...this.byTag.keys()];
  }
  entry(tag) {
    return this.byTag.get(tag);
  }
  /** A STRING (or the first of a STRING_ARRAY / I18NSTRING); null when absent. */
  getString(tag) {
    const e = this.byTag.get(tag);
    if (!e) return null;
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, "a string");
    }
    return this.readStrings(e, 1)[0] ?? null;
  }
  /** The C-locale (first) value of an I18NSTRING, as `rpm -q --qf` prints it without a locale. */
  getI18nString(tag) {
    return this.getString(tag);
  }
  /** Every string of a STRING_ARRAY / I18NSTRING (a STRING gives one); [] when absent. */
  getStringArray(tag) {
    const e = this.byTag.get(tag);
    if (!e) return [];
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, "a string array");
    }
    return this.readStrings(e, e.count);
  }
  /**
   * The raw bytes of every string (no NUL), for callers that must compare exactly what rpm stored:
   * paths need not be UTF-8, and getStringArray decodes invalid sequences to U+FFFD.
   */
  getStringArrayBytes(tag) {
    const e = this.byTag.get(tag);
    if (!e) return [];
    if (e.type !== TagType.STRING && e.type !== TagType.STRING_ARRAY && e.type !== TagType.I18NSTRING) {
      throw this.typeError(e, "a string array");
    }
    const out = [];
    let p = e.offset;
    for (let i = 0; i < e.count; i++) {
      const end = findNul(this.store, p, this.store.length);
      out.push(new Uint8Array(this.store.buffer, this.store.byteOffset + p, end - p));
      p = end + 1;
    }
    return out;
  }
  /** The first value of an integer tag (INT8..INT64, CHAR; unsigned as rpm prints them); null when absent. */
  getNumber(tag) {
    const e = this.byTag.get(tag);
    if (!e) return null;
    return this.readNumbers(e, 1)[0] ?? null;
  }
  /** All values of an integer tag; [] when absent. INT64 values above 2^53 raise RpmFormatError. */
  getNumberArray(tag) {
    const e = this.byTag.get(tag);
    if (!e) return [];
    return this.readNumbers(e, e.count);
  }
  /** A BIN value (or the raw bytes of any entry) as a view into headerBytes; null when absent. */
  getBinary(tag) {
    const e = this.byTag.get(tag);
    if (!e) return null;
    if (e.type === TagType.BIN || e.type === TagType.CHAR || e.type === TagType.INT8) {
      return this.store.subarray(e.offset, e.offset + e.count);
    }
    throw this.typeError(e, "binary");
  }
  /**
   * The header as it was in the package: magic + the immutable region only (index entries and data),
   * which is what SHA256HEADER / SHA1HEADER were computed over. For a package header that is exactly
   * headerBytes; for an rpmdb blob the entries rpm added at install are left out (rpm's headerExport
   * copies the region's index and data verbatim ahead of them). A header without a region (rpm 3 era)
   * is returned whole with magic.
   */
  immutableBytes() {
    const region = this.region;
    const bodyStart = this.hasMagic ? 8 : 0;
    if (!region || region.indexCount === this.indexCount && region.dataLength === this.dataLength) {
      if (this.hasMagic) return this.headerBytes;
      return concat(HEADER_MAGIC, this.headerBytes);
    }
    const out = new Uint8Array(16 + region.indexCount * ENTRY_SIZE2 + region.dataLength);
    out.set(HEADER_MAGIC, 0);
    const dv = new DataView(out.buffer);
    dv.setUint32(8, region.indexCount);
    dv.setUint32(12, region.dataLength);
    const idx = bodyStart + 8;
    out.set(this.headerBytes.subarray(idx, idx + region.indexCount * ENTRY_SIZE2), 16);
    out.set(this.store.subarray(0, region.dataLength), 16 + region.indexCount * ENTRY_SIZE2);
    return out;
  }
  typeError(e, wanted) {
    return new RpmFormatError(`header tag ${e.tag} has type ${TAG_TYPE_NAMES[e.type] ?? e.type}, expected ${wanted}`);
  }
  readStrings(e, max) {
    const out = [];
    const n = Math.min(max, e.count);
    let p = e.offset;
    for (let i = 0; i < n; i++) {
      const end = findNul(this.store, p, this.store.length);
      out.push(this.store.toString("utf8", p, end));
      p = end + 1;
    }
    return out;
  }
  readNumbers(e, max) {
    const n = Math.min(max, e.count);
    const out = new Array(n);
    const dv = this.storeView;
    switch (e.type) {
      case TagType.CHAR:
      case TagType.INT8:
        for (let i = 0; i < n; i++) out[i] = dv.getUint8(e.offset + i);
        return out;
      case TagType.INT16:
        for (let i = 0; i < n; i++) out[i] = dv.getUint16(e.offset + 2 * i);
        return out;
      case TagType.INT32:
        for (let i = 0; i < n; i++) out[i] = dv.getUint32(e.offset + 4 * i);
        return out;
      case TagType.INT64:
        for (let i = 0; i < n; i++) {
          const v = dv.getBigUint64(e.offset + 8 * i);
          if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpmFormatError(`header tag ${e.tag} value ${v} is beyond 2^53`);
          out[i] = Number(v);
        }
        return out;
      default:
        throw this.typeError(e, "an integer");
    }
  }
};
function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
function headerSizeAt(buf, offset, what = "header") {
  if (offset < 0 || offset + 16 > buf.length) throw new RpmFormatError(`${what} truncated at offset ${offset}`);
  for (let i = 0; i < 4; i++) {
    if (buf[offset + i] !== HEADER_MAGIC[i]) throw new RpmFormatError(`${what} magic missing at offset ${offset}`);
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return 16 + checkedSizes(dv.getUint32(offset + 8), dv.getUint32(offset + 12), what);
}
function checkedSizes(il, dl, what) {
  if (il < 1 || il > MAX_INDEX_ENTRIES) throw new RpmFormatError(`${what} index count ${il} out of range (1..${MAX_INDEX_ENTRIES})`);
  if (dl > MAX_DATA_LENGTH) throw new RpmFormatError(`${what} data length ${dl} out of range`);
  return il * ENTRY_SIZE2 + dl;
}
function parseHeader(buf, offset = 0, what = "header", copy = true) {
  const size = headerSizeAt(buf, offset, what);
  if (offset + size > buf.length) {
    throw new RpmFormatError(`${what} truncated: needs ${size} bytes at offset ${offset}, ${buf.length - offset} available`);
  }
  return build(copy ? copyOut(buf, offset, offset + size) : view(buf, offset, offset + size), true, what);
}
function parseHeaderBlob(blob, what = "header blob") {
  if (blob.length < 8) throw new RpmFormatError(`${what} truncated: ${blob.length} bytes`);
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = 8 + checkedSizes(dv.getUint32(0), dv.getUint32(4), what);
  if (size > blob.length) throw new RpmFormatError(`${what} truncated: needs ${size} bytes, has ${blob.length}`);
  return build(copyOut(blob, 0, size), false, what);
}
function copyOut(b, start, end) {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
}
function view(b, start, end) {
  return new Uint8Array(b.buffer, b.byteOffset + start, end - start);
}
function build(bytes, hasMagic, what) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const intro = hasMagic ? 8 : 0;
  const il = dv.getUint32(intro);
  const dl = dv.getUint32(intro + 4);
  const indexStart = intro + 8;
  const storeStart = indexStart + il * ENTRY_SIZE2;
  const store = bytes.subarray(storeStart, storeStart + dl);
  const entries = new Array(il);
  for (let i = 0; i < il; i++) {
    const p = indexStart + i * ENTRY_SIZE2;
    entries[i] = { tag: dv.getUint32(p), type: dv.getUint32(p + 4), offset: dv.getInt32(p + 8), count: dv.getUint32(p + 12) };
  }
  const region = verifyRegion(entries, store, dl, what);
  verifyEntries(entries, store, dl, region, what);
  return new RpmHeader(bytes, hasMagic, il, dl, entries, region);
}

export {
  TagType,
  Tag,
  SigTag,
  Sense,
  headerSizeAt,
  parseHeader,
  parseHeaderBlob
};
