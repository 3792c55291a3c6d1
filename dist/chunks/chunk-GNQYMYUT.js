#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  SigTag,
  Tag
} from "./chunk-Y3BHZBXO.js";
import {
  parseEvr
} from "./chunk-QR73BMTC.js";
import {
  RpmFormatError
} from "./chunk-JAH4FOK6.js";

// src/rpm/info.ts
import { createHash } from "node:crypto";
var DIGEST_ALGOS = {
  1: "md5",
  2: "sha1",
  3: "ripemd160",
  5: "md2",
  6: "tiger192",
  7: "haval5160",
  8: "sha256",
  9: "sha384",
  10: "sha512",
  11: "sha224"
};
function digestAlgoName(n) {
  if (n === null) return "md5";
  const name = DIGEST_ALGOS[n];
  if (!name) throw new RpmFormatError(`unknown file digest algorithm ${n}`);
  return name;
}
function nevraOf(h) {
  const name = h.getString(Tag.NAME);
  const version = h.getString(Tag.VERSION);
  const release = h.getString(Tag.RELEASE);
  if (name === null || version === null || release === null) {
    throw new RpmFormatError("header has no NAME, VERSION or RELEASE");
  }
  return { name, epoch: h.getNumber(Tag.EPOCH) ?? 0, version, release, arch: h.getString(Tag.ARCH) ?? "(none)" };
}
function hex(b) {
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex") : null;
}
function archiveSizeOf(h, signature) {
  return h.getNumber(Tag.LONGARCHIVESIZE) ?? h.getNumber(Tag.ARCHIVESIZE) ?? signature?.getNumber(SigTag.LONGARCHIVESIZE) ?? signature?.getNumber(SigTag.PAYLOADSIZE) ?? null;
}
function payloadInfo(header, signature) {
  return {
    ...nevraOf(header),
    payloadCompressor: header.getString(Tag.PAYLOADCOMPRESSOR) ?? "gzip",
    archiveSize: archiveSizeOf(header, signature),
    files: fileList(header)
  };
}
function packageInfo(header, signature) {
  const h = header;
  const sigmd5 = hex(h.has(Tag.SIGMD5) ? h.getBinary(Tag.SIGMD5) : signature?.has(SigTag.MD5) ? signature.getBinary(SigTag.MD5) : null);
  const sha256Header = h.getString(Tag.SHA256HEADER) ?? signature?.getString(SigTag.SHA256) ?? null;
  const archiveSize = archiveSizeOf(h, signature);
  return {
    ...nevraOf(h),
    sourceRpm: h.getString(Tag.SOURCERPM),
    payloadCompressor: h.getString(Tag.PAYLOADCOMPRESSOR) ?? "gzip",
    payloadFormat: h.getString(Tag.PAYLOADFORMAT) ?? "cpio",
    sigmd5,
    sha256Header: sha256Header?.toLowerCase() ?? null,
    headerSha256: createHash("sha256").update(h.immutableBytes()).digest("hex"),
    summary: h.getI18nString(Tag.SUMMARY) ?? "",
    description: h.getI18nString(Tag.DESCRIPTION) ?? "",
    url: h.getString(Tag.URL) ?? "",
    license: h.getString(Tag.LICENSE) ?? "",
    vendor: h.getString(Tag.VENDOR) ?? "",
    group: h.getI18nString(Tag.GROUP) ?? "",
    buildHost: h.getString(Tag.BUILDHOST) ?? "",
    buildTime: h.getNumber(Tag.BUILDTIME) ?? 0,
    size: h.getNumber(Tag.LONGSIZE) ?? h.getNumber(Tag.SIZE) ?? 0,
    archiveSize,
    ...safeFileList(h),
    provides: dependencies(h, Tag.PROVIDENAME, Tag.PROVIDEFLAGS, Tag.PROVIDEVERSION),
    requires: dependencies(h, Tag.REQUIRENAME, Tag.REQUIREFLAGS, Tag.REQUIREVERSION),
    conflicts: dependencies(h, Tag.CONFLICTNAME, Tag.CONFLICTFLAGS, Tag.CONFLICTVERSION),
    obsoletes: dependencies(h, Tag.OBSOLETENAME, Tag.OBSOLETEFLAGS, Tag.OBSOLETEVERSION),
    recommends: dependencies(h, Tag.RECOMMENDNAME, Tag.RECOMMENDFLAGS, Tag.RECOMMENDVERSION),
    suggests: dependencies(h, Tag.SUGGESTNAME, Tag.SUGGESTFLAGS, Tag.SUGGESTVERSION),
    supplements: dependencies(h, Tag.SUPPLEMENTNAME, Tag.SUPPLEMENTFLAGS, Tag.SUPPLEMENTVERSION),
    enhances: dependencies(h, Tag.ENHANCENAME, Tag.ENHANCEFLAGS, Tag.ENHANCEVERSION),
    changelogs: changelogs(h)
  };
}
function filePaths(h) {
  const basenames = h.getStringArray(Tag.BASENAMES);
  if (basenames.length === 0) return h.getStringArray(Tag.OLDFILENAMES);
  const dirnames = h.getStringArray(Tag.DIRNAMES);
  const dirindexes = h.getNumberArray(Tag.DIRINDEXES);
  if (dirindexes.length !== basenames.length) {
    throw new RpmFormatError(`DIRINDEXES has ${dirindexes.length} entries for ${basenames.length} BASENAMES`);
  }
  return basenames.map((base, i) => {
    const dir = dirnames[dirindexes[i]];
    if (dir === void 0) throw new RpmFormatError(`DIRINDEXES[${i}] = ${dirindexes[i]} outside ${dirnames.length} DIRNAMES`);
    return dir + base;
  });
}
function perFile(values, n, fill, name) {
  if (values.length === 0) return new Array(n).fill(fill);
  if (values.length !== n) throw new RpmFormatError(`${name} has ${values.length} entries for ${n} files`);
  return values;
}
function fileList(h) {
  const paths = filePaths(h);
  const n = paths.length;
  if (n === 0) return [];
  const digestAlgo = digestAlgoName(h.getNumber(Tag.FILEDIGESTALGO));
  const digests = perFile(h.getStringArray(Tag.FILEDIGESTS), n, "", "FILEDIGESTS");
  const sizes = perFile(h.has(Tag.LONGFILESIZES) ? h.getNumberArray(Tag.LONGFILESIZES) : h.getNumberArray(Tag.FILESIZES), n, 0, "FILESIZES");
  const modes = perFile(h.getNumberArray(Tag.FILEMODES), n, 0, "FILEMODES");
  const flags = perFile(h.getNumberArray(Tag.FILEFLAGS), n, 0, "FILEFLAGS");
  const users = perFile(h.getStringArray(Tag.FILEUSERNAME), n, "", "FILEUSERNAME");
  const groups = perFile(h.getStringArray(Tag.FILEGROUPNAME), n, "", "FILEGROUPNAME");
  const links = perFile(h.getStringArray(Tag.FILELINKTOS), n, "", "FILELINKTOS");
  const mtimes = perFile(h.getNumberArray(Tag.FILEMTIMES), n, 0, "FILEMTIMES");
  const inodes = perFile(h.getNumberArray(Tag.FILEINODES), n, 0, "FILEINODES");
  const devices = perFile(h.getNumberArray(Tag.FILEDEVICES), n, 0, "FILEDEVICES");
  const rdevs = perFile(h.getNumberArray(Tag.FILERDEVS), n, 0, "FILERDEVS");
  const caps = perFile(h.getStringArray(Tag.FILECAPS), n, "", "FILECAPS");
  const files = new Array(n);
  for (let i = 0; i < n; i++) {
    files[i] = {
      path: paths[i],
      digest: digests[i].toLowerCase(),
      digestAlgo,
      size: sizes[i],
      mode: modes[i],
      flags: flags[i],
      user: users[i],
      group: groups[i],
      linkTo: links[i],
      mtime: mtimes[i],
      inode: inodes[i],
      device: devices[i],
      rdev: rdevs[i],
      caps: caps[i]
    };
  }
  return files;
}
function safeFileList(h) {
  try {
    return { files: fileList(h), filesError: null };
  } catch (e) {
    if (e instanceof RpmFormatError) return { files: [], filesError: e.message };
    throw e;
  }
}
function dependencies(h, nameTag, flagsTag, versionTag) {
  const names = h.getStringArray(nameTag);
  if (names.length === 0) return [];
  const flags = perFile(h.getNumberArray(flagsTag), names.length, 0, `tag ${flagsTag}`);
  const versions = perFile(h.getStringArray(versionTag), names.length, "", `tag ${versionTag}`);
  return names.map((name, i) => {
    const dep = { name, flags: flags[i] };
    const v = versions[i];
    if (v !== "") {
      const evr = parseEvr(v);
      if (evr.epoch !== null) dep.epoch = evr.epoch;
      dep.version = evr.version;
      if (evr.release !== null) dep.release = evr.release;
    }
    return dep;
  });
}
function changelogs(h) {
  const times = h.getNumberArray(Tag.CHANGELOGTIME);
  if (times.length === 0) return [];
  const names = perFile(h.getStringArray(Tag.CHANGELOGNAME), times.length, "", "CHANGELOGNAME");
  const texts = perFile(h.getStringArray(Tag.CHANGELOGTEXT), times.length, "", "CHANGELOGTEXT");
  return times.map((time, i) => ({ time, author: names[i], text: texts[i] }));
}

export {
  nevraOf,
  payloadInfo,
  packageInfo,
  filePaths
};
