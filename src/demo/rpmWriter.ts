// Writes real RPM v4 packages without rpmbuild, so the demo (and tests) can make an upstream repository
// on a machine that has only Node. Format: https://rpm-software-management.github.io/rpm/manual/format_v4.html
// — a 96-byte lead, the signature header (one region, tag 62) padded to 8 bytes, the main header (one
// immutable region, tag 63), then the compressed cpio payload. The tags and their order follow what
// rpmbuild 4.18 writes; the real rpm reads them back (test/demo/rpmWriter.test.ts checks with rpm -K, -qp,
// -i, -V, rpm2cpio, createrepo_c and dnf). Same spec in, same bytes out: no clock, no host name.

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants as zc, gzip, zstdCompress } from 'node:zlib';
import { encodeCpio, type CpioEntry } from './cpioWriter.ts';
import {
  bin,
  concat,
  encodeRegionHeader,
  i18n,
  int16,
  int32,
  int64,
  str,
  strArray,
  withMagic,
  type HeaderEntry,
} from './headerWriter.ts';
import { FileFlags } from '../rpm/types.ts';
import { writeFileAtomic } from '../util/fs.ts';
import { Sense, SigTag, Tag } from '../rpm/tags.ts';

export type RpmFileType = 'file' | 'dir' | 'symlink';
export type RpmFileFlagName = 'config' | 'doc' | 'ghost' | 'license' | 'noreplace' | 'missingok';

export interface RpmFileSpec {
  /** Absolute path as installed: "/usr/bin/hello". */
  path: string;
  contents?: Uint8Array | string;
  /** Permission bits (0o755); the file type bits come from `type`. Defaults: 0o644 files, 0o755 dirs, 0o777 symlinks. */
  mode?: number;
  type?: RpmFileType;
  linkTo?: string;
  flags?: readonly RpmFileFlagName[];
  user?: string;
  group?: string;
  /** Seconds since the epoch; defaults to the build time. */
  mtime?: number;
}

/** "name", "name >= 1.0", or the parts. */
export type DependencySpec = string | { name: string; op?: '<' | '<=' | '=' | '>=' | '>'; version?: string };

export interface RpmSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch: string;
  summary: string;
  description?: string;
  license?: string;
  group?: string;
  url?: string;
  files: readonly RpmFileSpec[];
  requires?: readonly DependencySpec[];
  provides?: readonly DependencySpec[];
  compressor: 'gzip' | 'zstd';
  /** Compression level; rpm's defaults (gzip 9, zstd 19) unless given. Recorded in PAYLOADFLAGS. */
  level?: number;
  /** Seconds since the epoch (BUILDTIME, default mtimes). Default 1700000000: output never depends on the clock. */
  buildTime?: number;
  buildHost?: string;
  sourceRpm?: string;
}

/** A written package and the facts about it that callers (repodata, rpmdb, tests) need. */
export interface BuiltRpm {
  bytes: Uint8Array;
  /** The main header as rpmdb stores it: il, dl, index, data — no magic. */
  headerBlob: Uint8Array;
  /** Byte range [start, end) of the main header (with magic) inside `bytes`. */
  headerStart: number;
  headerEnd: number;
  /** sha256 of the whole file (repodata's pkgid), hex. */
  sha256: string;
  /** SHA256HEADER / SHA1HEADER: digests of the main header with magic, hex. */
  headerSha256: string;
  headerSha1: string;
  /** SIGMD5: md5 of main header + payload. */
  sigMd5: Uint8Array;
  /** Uncompressed cpio size (signature PAYLOADSIZE). */
  payloadSize: number;
  fileName: string;
}

const DEFAULT_BUILD_TIME = 1_700_000_000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const PGPHASHALGO_SHA256 = 8;

const OPS: Record<string, number> = {
  '<': Sense.LESS,
  '<=': Sense.LESS | Sense.EQUAL,
  '=': Sense.EQUAL,
  '>=': Sense.GREATER | Sense.EQUAL,
  '>': Sense.GREATER,
};

const FLAG_BITS: Record<RpmFileFlagName, number> = {
  config: FileFlags.CONFIG,
  doc: FileFlags.DOC,
  ghost: FileFlags.GHOST,
  license: FileFlags.LICENSE,
  noreplace: FileFlags.NOREPLACE,
  missingok: FileFlags.MISSINGOK,
};

interface Dep {
  name: string;
  flags: number;
  version: string;
}

function parseDep(d: DependencySpec): Dep {
  if (typeof d !== 'string') return { name: d.name, flags: d.op ? OPS[d.op]! : 0, version: d.version ?? '' };
  const m = /^\s*(\S+)(?:\s+(<=|>=|<|>|=)\s+(\S+))?\s*$/.exec(d);
  if (!m) throw new Error(`dependency '${d}' is not "name [op version]"`);
  return { name: m[1]!, flags: m[2] ? OPS[m[2]]! : 0, version: m[3] ?? '' };
}

export function evrString(spec: Pick<RpmSpec, 'epoch' | 'version' | 'release'>): string {
  return `${spec.epoch !== undefined ? `${spec.epoch}:` : ''}${spec.version}-${spec.release}`;
}

export function rpmFileName(spec: Pick<RpmSpec, 'name' | 'version' | 'release' | 'arch'>): string {
  return `${spec.name}-${spec.version}-${spec.release}.${spec.arch}.rpm`;
}

interface FileRow {
  path: string;
  dir: string;
  base: string;
  mode: number;
  size: number;
  data: Uint8Array;
  digest: string;
  linkTo: string;
  flags: number;
  user: string;
  group: string;
  mtime: number;
  inode: number;
}

const utf8 = new TextEncoder();

function fileRows(spec: RpmSpec, buildTime: number): FileRow[] {
  const seen = new Set<string>();
  const sorted = [...spec.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sorted.map((f, i) => {
    if (!f.path.startsWith('/') || f.path.endsWith('/') || f.path.includes('//') || /(^|\/)\.\.?(\/|$)/.test(f.path)) {
      throw new Error(`file path '${f.path}' must be absolute and normalized`);
    }
    if (seen.has(f.path)) throw new Error(`file '${f.path}' listed twice`);
    seen.add(f.path);
    const type = f.type ?? (f.linkTo !== undefined ? 'symlink' : 'file');
    const flags = (f.flags ?? []).reduce((n, name) => n | FLAG_BITS[name], 0);
    const slash = f.path.lastIndexOf('/');
    let data: Uint8Array = new Uint8Array(0);
    let mode: number;
    let digest = '';
    if (type === 'file') {
      data = typeof f.contents === 'string' ? utf8.encode(f.contents) : (f.contents ?? new Uint8Array(0));
      mode = S_IFREG | (f.mode ?? 0o644);
      if (!(flags & FileFlags.GHOST)) digest = createHash('sha256').update(data).digest('hex');
    } else if (type === 'dir') {
      mode = S_IFDIR | (f.mode ?? 0o755);
    } else {
      if (!f.linkTo) throw new Error(`symlink '${f.path}' needs linkTo`);
      data = utf8.encode(f.linkTo);
      mode = S_IFLNK | (f.mode ?? 0o777);
    }
    return {
      path: f.path,
      dir: f.path.slice(0, slash + 1),
      base: f.path.slice(slash + 1),
      mode,
      size: data.length,
      data,
      digest,
      linkTo: type === 'symlink' ? f.linkTo! : '',
      flags,
      user: f.user ?? 'root',
      group: f.group ?? 'root',
      mtime: f.mtime ?? buildTime,
      inode: i + 1,
    };
  });
}

function mainHeaderEntries(spec: RpmSpec, rows: FileRow[], payload: PayloadFacts, buildTime: number): HeaderEntry[] {
  const evr = evrString(spec);
  const dirs: string[] = [];
  const dirIndex = new Map<string, number>();
  for (const r of rows) {
    if (!dirIndex.has(r.dir)) {
      dirIndex.set(r.dir, dirs.length);
      dirs.push(r.dir);
    }
  }
  const provides = [
    ...(spec.provides ?? []).map(parseDep),
    { name: spec.name, flags: Sense.EQUAL, version: evr },
    ...(spec.arch === 'x86_64' ? [{ name: `${spec.name}(x86-64)`, flags: Sense.EQUAL, version: evr }] : []),
  ];
  // rpmbuild records the rpmlib() features the payload needs; rpm checks them against its own.
  const rpmlib = (name: string, version: string): Dep => ({ name: `rpmlib(${name})`, flags: Sense.RPMLIB | Sense.LESS | Sense.EQUAL, version });
  const requires = [
    ...(spec.requires ?? []).map(parseDep),
    rpmlib('CompressedFileNames', '3.0.4-1'),
    rpmlib('FileDigests', '4.6.0-1'),
    rpmlib('PayloadFilesHavePrefix', '4.0-1'),
    ...(spec.compressor === 'zstd' ? [rpmlib('PayloadIsZstd', '5.4.18-1')] : []),
  ];
  const totalSize = rows.reduce((n, r) => n + r.size, 0);
  const large = rows.some((r) => r.size > 0xffffffff) || totalSize > 0xffffffff;
  const entries: HeaderEntry[] = [
    { tag: Tag.HEADERI18NTABLE, data: strArray(['C']) },
    { tag: Tag.NAME, data: str(spec.name) },
    { tag: Tag.VERSION, data: str(spec.version) },
    { tag: Tag.RELEASE, data: str(spec.release) },
    { tag: Tag.SUMMARY, data: i18n(spec.summary) },
    { tag: Tag.DESCRIPTION, data: i18n(spec.description ?? spec.summary) },
    { tag: Tag.BUILDTIME, data: int32([buildTime]) },
    { tag: Tag.BUILDHOST, data: str(spec.buildHost ?? 'yumvault-demo') },
    { tag: Tag.LICENSE, data: str(spec.license ?? 'MIT') },
    { tag: Tag.GROUP, data: i18n(spec.group ?? 'Unspecified') },
    { tag: Tag.OS, data: str('linux') },
    { tag: Tag.ARCH, data: str(spec.arch) },
    { tag: Tag.SOURCERPM, data: str(spec.sourceRpm ?? `${spec.name}-${spec.version}-${spec.release}.src.rpm`) },
    { tag: Tag.PROVIDENAME, data: strArray(provides.map((d) => d.name)) },
    { tag: Tag.PROVIDEFLAGS, data: int32(provides.map((d) => d.flags)) },
    { tag: Tag.PROVIDEVERSION, data: strArray(provides.map((d) => d.version)) },
    { tag: Tag.REQUIRENAME, data: strArray(requires.map((d) => d.name)) },
    { tag: Tag.REQUIREFLAGS, data: int32(requires.map((d) => d.flags)) },
    { tag: Tag.REQUIREVERSION, data: strArray(requires.map((d) => d.version)) },
    { tag: Tag.RPMVERSION, data: str('4.18.0') },
    { tag: Tag.PAYLOADFORMAT, data: str('cpio') },
    { tag: Tag.PAYLOADCOMPRESSOR, data: str(spec.compressor) },
    { tag: Tag.PAYLOADFLAGS, data: str(String(payload.level)) },
    { tag: Tag.PLATFORM, data: str(`${spec.arch}-redhat-linux`) },
    { tag: Tag.ENCODING, data: str('utf-8') },
    { tag: Tag.PAYLOADDIGEST, data: strArray([payload.compressedSha256]) },
    { tag: Tag.PAYLOADDIGESTALGO, data: int32([PGPHASHALGO_SHA256]) },
    { tag: Tag.PAYLOADDIGESTALT, data: strArray([payload.uncompressedSha256]) },
  ];
  if (spec.url) entries.push({ tag: Tag.URL, data: str(spec.url) });
  if (spec.epoch !== undefined) entries.push({ tag: Tag.EPOCH, data: int32([spec.epoch]) });
  entries.push(large ? { tag: Tag.LONGSIZE, data: int64([BigInt(totalSize)]) } : { tag: Tag.SIZE, data: int32([totalSize]) });
  if (rows.length > 0) {
    entries.push(
      large
        ? { tag: Tag.LONGFILESIZES, data: int64(rows.map((r) => BigInt(r.size))) }
        : { tag: Tag.FILESIZES, data: int32(rows.map((r) => r.size)) },
      { tag: Tag.FILEMODES, data: int16(rows.map((r) => r.mode)) },
      { tag: Tag.FILERDEVS, data: int16(rows.map(() => 0)) },
      { tag: Tag.FILEMTIMES, data: int32(rows.map((r) => r.mtime)) },
      { tag: Tag.FILEDIGESTS, data: strArray(rows.map((r) => r.digest)) },
      { tag: Tag.FILELINKTOS, data: strArray(rows.map((r) => r.linkTo)) },
      { tag: Tag.FILEFLAGS, data: int32(rows.map((r) => r.flags)) },
      { tag: Tag.FILEUSERNAME, data: strArray(rows.map((r) => r.user)) },
      { tag: Tag.FILEGROUPNAME, data: strArray(rows.map((r) => r.group)) },
      { tag: Tag.FILEVERIFYFLAGS, data: int32(rows.map(() => 0xffffffff)) },
      { tag: Tag.FILEDEVICES, data: int32(rows.map(() => 1)) },
      { tag: Tag.FILEINODES, data: int32(rows.map((r) => r.inode)) },
      { tag: Tag.FILELANGS, data: strArray(rows.map(() => '')) },
      { tag: Tag.DIRINDEXES, data: int32(rows.map((r) => dirIndex.get(r.dir)!)) },
      { tag: Tag.BASENAMES, data: strArray(rows.map((r) => r.base)) },
      { tag: Tag.DIRNAMES, data: strArray(dirs) },
      { tag: Tag.FILECOLORS, data: int32(rows.map(() => 0)) },
      { tag: Tag.FILEDIGESTALGO, data: int32([PGPHASHALGO_SHA256]) },
    );
  }
  return entries;
}

interface PayloadFacts {
  compressed: Uint8Array;
  uncompressedSize: number;
  compressedSha256: string;
  uncompressedSha256: string;
  level: number;
}

async function buildPayload(spec: RpmSpec, rows: FileRow[]): Promise<PayloadFacts> {
  // Ghost files are listed in the header but never carried in the payload.
  const entries: CpioEntry[] = rows
    .filter((r) => !(r.flags & FileFlags.GHOST))
    .map((r) => ({ name: `.${r.path}`, ino: r.inode, mode: r.mode, uid: 0, gid: 0, nlink: 1, mtime: r.mtime, data: r.data }));
  const cpio = encodeCpio(entries);
  const level = spec.level ?? (spec.compressor === 'zstd' ? 19 : 9);
  const compressed =
    spec.compressor === 'zstd'
      ? await promisify(zstdCompress)(cpio, { params: { [zc.ZSTD_c_compressionLevel]: level, [zc.ZSTD_c_checksumFlag]: 1 } })
      : await promisify(gzip)(cpio, { level });
  return {
    compressed: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
    uncompressedSize: cpio.length,
    compressedSha256: createHash('sha256').update(compressed).digest('hex'),
    uncompressedSha256: createHash('sha256').update(cpio).digest('hex'),
    level,
  };
}

function lead(spec: RpmSpec): Uint8Array {
  const out = new Uint8Array(96);
  const dv = new DataView(out.buffer);
  out.set([0xed, 0xab, 0xee, 0xdb, 3, 0]); // magic, format 3.0
  dv.setUint16(6, 0); // binary package
  dv.setUint16(8, spec.arch === 'aarch64' ? 19 : 1); // archnum as in rpmrc's arch_canon
  out.set(utf8.encode(`${spec.name}-${spec.version}-${spec.release}`).subarray(0, 65), 10);
  dv.setUint16(76, 1); // osnum: Linux
  dv.setUint16(78, 5); // RPMSIGTYPE_HEADERSIG: a signature header follows
  return out;
}

/** Builds the package and reports its digests and header range. */
export async function buildRpm(spec: RpmSpec): Promise<BuiltRpm> {
  const buildTime = spec.buildTime ?? DEFAULT_BUILD_TIME;
  const rows = fileRows(spec, buildTime);
  const payload = await buildPayload(spec, rows);
  const headerBlob = encodeRegionHeader(mainHeaderEntries(spec, rows, payload, buildTime), 63);
  const header = withMagic(headerBlob);
  const headerSha1 = createHash('sha1').update(header).digest('hex');
  const headerSha256 = createHash('sha256').update(header).digest('hex');
  const sigMd5 = new Uint8Array(createHash('md5').update(header).update(payload.compressed).digest());
  const signedSize = header.length + payload.compressed.length;
  const sigEntries: HeaderEntry[] = [
    { tag: SigTag.SHA1, data: str(headerSha1) },
    { tag: SigTag.SHA256, data: str(headerSha256) },
    { tag: SigTag.MD5, data: bin(sigMd5) },
  ];
  if (signedSize > 0xffffffff || payload.uncompressedSize > 0xffffffff) {
    sigEntries.push(
      { tag: SigTag.LONGSIZE, data: int64([BigInt(signedSize)]) },
      { tag: SigTag.LONGARCHIVESIZE, data: int64([BigInt(payload.uncompressedSize)]) },
    );
  } else {
    sigEntries.push({ tag: SigTag.SIZE, data: int32([signedSize]) }, { tag: SigTag.PAYLOADSIZE, data: int32([payload.uncompressedSize]) });
  }
  const sig = withMagic(encodeRegionHeader(sigEntries, 62));
  const sigPad = new Uint8Array((8 - (sig.length % 8)) % 8);
  const headerStart = 96 + sig.length + sigPad.length;
  const bytes = concat([lead(spec), sig, sigPad, header, payload.compressed]);
  return {
    bytes,
    headerBlob,
    headerStart,
    headerEnd: headerStart + header.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    headerSha256,
    headerSha1,
    sigMd5,
    payloadSize: payload.uncompressedSize,
    fileName: rpmFileName(spec),
  };
}

/** The package file's bytes. */
export async function writeRpm(spec: RpmSpec): Promise<Uint8Array> {
  return (await buildRpm(spec)).bytes;
}

/** Writes the package to `path` atomically; returns what buildRpm reports. */
export async function writeRpmFile(spec: RpmSpec, path: string): Promise<BuiltRpm> {
  const built = await buildRpm(spec);
  await writeFileAtomic(path, built.bytes);
  return built;
}
