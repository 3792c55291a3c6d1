// What a header says about its package, in the shapes the layers above use: NEVRA, checksums, the file
// list, dependencies and changelogs. Values and defaults are rpm's (what `rpm -qp --qf` prints):
// epoch 0 when absent, payload compressor gzip and format cpio when absent (lib/psm.c / rpmio defaults),
// file digests md5 when FILEDIGESTALGO is absent (lib/rpmfi.c).

import { createHash } from 'node:crypto';
import { RpmFormatError } from '../errors.ts';
import type { RpmHeader } from './header.ts';
import { SigTag, Tag } from './tags.ts';
import type { DigestAlgo, Nevra, RpmFile } from './types.ts';
import { parseEvr } from './vercmp.ts';

export interface RpmDependency {
  name: string;
  /** RPMSENSE_* bits (tags.ts Sense): comparison, pre/post, rpmlib… */
  flags: number;
  /** Parsed from the version string: absent when it is empty (an unversioned dependency). */
  epoch?: number;
  version?: string;
  release?: string;
}

export interface RpmChangelog {
  time: number;
  author: string;
  text: string;
}

export interface RpmPackageInfo extends Nevra {
  sourceRpm: string | null;
  payloadCompressor: string;
  payloadFormat: string;
  /** SIGMD5 (header tag 261, or signature tag 1004): md5 of main header + payload, lowercase hex. */
  sigmd5: string | null;
  /** SHA256HEADER as rpm stored it (rpmdb header, or the package's signature header). */
  sha256Header: string | null;
  /** sha256 of the main header bytes we computed (equals sha256Header whenever rpm wrote one). */
  headerSha256: string;
  summary: string;
  description: string;
  url: string;
  license: string;
  vendor: string;
  group: string;
  buildHost: string;
  buildTime: number;
  /** Installed size (LONGSIZE when present). */
  size: number;
  /** Uncompressed payload size (LONGARCHIVESIZE / ARCHIVESIZE, header or signature); null when absent. */
  archiveSize: number | null;
  files: RpmFile[];
  /**
   * Why `files` is empty although the header lists files: rpm itself drops a file list it cannot
   * resolve (a DIRINDEXES entry past DIRNAMES, arrays of the wrong length) and prints "(contains no
   * files)"; we do the same and say why here. null when the list is sound.
   */
  filesError: string | null;
  provides: RpmDependency[];
  requires: RpmDependency[];
  conflicts: RpmDependency[];
  obsoletes: RpmDependency[];
  recommends: RpmDependency[];
  suggests: RpmDependency[];
  supplements: RpmDependency[];
  enhances: RpmDependency[];
  changelogs: RpmChangelog[];
}

/** PGPHASHALGO_* numbers (rpmpgp.h) to names. */
const DIGEST_ALGOS: Record<number, DigestAlgo> = {
  1: 'md5',
  2: 'sha1',
  3: 'ripemd160',
  5: 'md2',
  6: 'tiger192',
  7: 'haval5160',
  8: 'sha256',
  9: 'sha384',
  10: 'sha512',
  11: 'sha224',
};

export function digestAlgoName(n: number | null): DigestAlgo {
  if (n === null) return 'md5';
  const name = DIGEST_ALGOS[n];
  if (!name) throw new RpmFormatError(`unknown file digest algorithm ${n}`);
  return name;
}

export function nevraOf(h: RpmHeader): Nevra {
  const name = h.getString(Tag.NAME);
  const version = h.getString(Tag.VERSION);
  const release = h.getString(Tag.RELEASE);
  if (name === null || version === null || release === null) {
    throw new RpmFormatError('header has no NAME, VERSION or RELEASE');
  }
  // gpg-pubkey headers in an rpmdb carry no ARCH; rpm prints "(none)" and so do we.
  return { name, epoch: h.getNumber(Tag.EPOCH) ?? 0, version, release, arch: h.getString(Tag.ARCH) ?? '(none)' };
}

function hex(b: Uint8Array | null): string | null {
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex') : null;
}

/** The uncompressed payload's size as the headers state it (a hint: readers still check every entry). */
function archiveSizeOf(h: RpmHeader, signature?: RpmHeader): number | null {
  return h.getNumber(Tag.LONGARCHIVESIZE) ?? h.getNumber(Tag.ARCHIVESIZE) ?? signature?.getNumber(SigTag.LONGARCHIVESIZE) ?? signature?.getNumber(SigTag.PAYLOADSIZE) ?? null;
}

/** What unpacking a payload needs, and no more: restore reads this for every build, packageInfo's dependencies and changelogs would be garbage. */
export function payloadInfo(header: RpmHeader, signature?: RpmHeader): Pick<RpmPackageInfo, keyof Nevra | 'payloadCompressor' | 'archiveSize' | 'files'> {
  return {
    ...nevraOf(header),
    payloadCompressor: header.getString(Tag.PAYLOADCOMPRESSOR) ?? 'gzip',
    archiveSize: archiveSizeOf(header, signature),
    files: fileList(header),
  };
}

export function packageInfo(header: RpmHeader, signature?: RpmHeader): RpmPackageInfo {
  const h = header;
  const sigmd5 = hex(h.has(Tag.SIGMD5) ? h.getBinary(Tag.SIGMD5) : signature?.has(SigTag.MD5) ? signature.getBinary(SigTag.MD5) : null);
  const sha256Header = h.getString(Tag.SHA256HEADER) ?? signature?.getString(SigTag.SHA256) ?? null;
  const archiveSize = archiveSizeOf(h, signature);
  return {
    ...nevraOf(h),
    sourceRpm: h.getString(Tag.SOURCERPM),
    payloadCompressor: h.getString(Tag.PAYLOADCOMPRESSOR) ?? 'gzip',
    payloadFormat: h.getString(Tag.PAYLOADFORMAT) ?? 'cpio',
    sigmd5,
    sha256Header: sha256Header?.toLowerCase() ?? null,
    headerSha256: createHash('sha256').update(h.immutableBytes()).digest('hex'),
    summary: h.getI18nString(Tag.SUMMARY) ?? '',
    description: h.getI18nString(Tag.DESCRIPTION) ?? '',
    url: h.getString(Tag.URL) ?? '',
    license: h.getString(Tag.LICENSE) ?? '',
    vendor: h.getString(Tag.VENDOR) ?? '',
    group: h.getI18nString(Tag.GROUP) ?? '',
    buildHost: h.getString(Tag.BUILDHOST) ?? '',
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
    changelogs: changelogs(h),
  };
}

/** File paths: BASENAMES + DIRNAMES[DIRINDEXES], or the pre-4.0 OLDFILENAMES. */
export function filePaths(h: RpmHeader): string[] {
  const basenames = h.getStringArray(Tag.BASENAMES);
  if (basenames.length === 0) return h.getStringArray(Tag.OLDFILENAMES);
  const dirnames = h.getStringArray(Tag.DIRNAMES);
  const dirindexes = h.getNumberArray(Tag.DIRINDEXES);
  if (dirindexes.length !== basenames.length) {
    throw new RpmFormatError(`DIRINDEXES has ${dirindexes.length} entries for ${basenames.length} BASENAMES`);
  }
  return basenames.map((base, i) => {
    const dir = dirnames[dirindexes[i]!];
    if (dir === undefined) throw new RpmFormatError(`DIRINDEXES[${i}] = ${dirindexes[i]} outside ${dirnames.length} DIRNAMES`);
    return dir + base;
  });
}

/** A per-file array: absent → all default; present with another length → corrupt. */
function perFile<T>(values: T[], n: number, fill: T, name: string): T[] {
  if (values.length === 0) return new Array<T>(n).fill(fill);
  if (values.length !== n) throw new RpmFormatError(`${name} has ${values.length} entries for ${n} files`);
  return values;
}

export function fileList(h: RpmHeader): RpmFile[] {
  const paths = filePaths(h);
  const n = paths.length;
  if (n === 0) return [];
  const digestAlgo = digestAlgoName(h.getNumber(Tag.FILEDIGESTALGO));
  const digests = perFile(h.getStringArray(Tag.FILEDIGESTS), n, '', 'FILEDIGESTS');
  const sizes = perFile(h.has(Tag.LONGFILESIZES) ? h.getNumberArray(Tag.LONGFILESIZES) : h.getNumberArray(Tag.FILESIZES), n, 0, 'FILESIZES');
  const modes = perFile(h.getNumberArray(Tag.FILEMODES), n, 0, 'FILEMODES');
  const flags = perFile(h.getNumberArray(Tag.FILEFLAGS), n, 0, 'FILEFLAGS');
  const users = perFile(h.getStringArray(Tag.FILEUSERNAME), n, '', 'FILEUSERNAME');
  const groups = perFile(h.getStringArray(Tag.FILEGROUPNAME), n, '', 'FILEGROUPNAME');
  const links = perFile(h.getStringArray(Tag.FILELINKTOS), n, '', 'FILELINKTOS');
  const mtimes = perFile(h.getNumberArray(Tag.FILEMTIMES), n, 0, 'FILEMTIMES');
  const inodes = perFile(h.getNumberArray(Tag.FILEINODES), n, 0, 'FILEINODES');
  const devices = perFile(h.getNumberArray(Tag.FILEDEVICES), n, 0, 'FILEDEVICES');
  const rdevs = perFile(h.getNumberArray(Tag.FILERDEVS), n, 0, 'FILERDEVS');
  const caps = perFile(h.getStringArray(Tag.FILECAPS), n, '', 'FILECAPS');
  const files: RpmFile[] = new Array(n);
  for (let i = 0; i < n; i++) {
    files[i] = {
      path: paths[i]!,
      digest: digests[i]!.toLowerCase(),
      digestAlgo,
      size: sizes[i]!,
      mode: modes[i]!,
      flags: flags[i]!,
      user: users[i]!,
      group: groups[i]!,
      linkTo: links[i]!,
      mtime: mtimes[i]!,
      inode: inodes[i]!,
      device: devices[i]!,
      rdev: rdevs[i]!,
      caps: caps[i]!,
    };
  }
  return files;
}

function safeFileList(h: RpmHeader): { files: RpmFile[]; filesError: string | null } {
  try {
    return { files: fileList(h), filesError: null };
  } catch (e) {
    if (e instanceof RpmFormatError) return { files: [], filesError: e.message };
    throw e;
  }
}

export function dependencies(h: RpmHeader, nameTag: number, flagsTag: number, versionTag: number): RpmDependency[] {
  const names = h.getStringArray(nameTag);
  if (names.length === 0) return [];
  const flags = perFile(h.getNumberArray(flagsTag), names.length, 0, `tag ${flagsTag}`);
  const versions = perFile(h.getStringArray(versionTag), names.length, '', `tag ${versionTag}`);
  return names.map((name, i) => {
    const dep: RpmDependency = { name, flags: flags[i]! };
    const v = versions[i]!;
    if (v !== '') {
      const evr = parseEvr(v);
      if (evr.epoch !== null) dep.epoch = evr.epoch;
      dep.version = evr.version;
      if (evr.release !== null) dep.release = evr.release;
    }
    return dep;
  });
}

export function changelogs(h: RpmHeader): RpmChangelog[] {
  const times = h.getNumberArray(Tag.CHANGELOGTIME);
  if (times.length === 0) return [];
  const names = perFile(h.getStringArray(Tag.CHANGELOGNAME), times.length, '', 'CHANGELOGNAME');
  const texts = perFile(h.getStringArray(Tag.CHANGELOGTEXT), times.length, '', 'CHANGELOGTEXT');
  return times.map((time, i) => ({ time, author: names[i]!, text: texts[i]! }));
}
