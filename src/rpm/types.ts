// The shapes every layer above src/rpm shares. Parsers in src/rpm and src/rpmdb produce these.

/** Name, epoch, version, release, arch: one exact package build (epoch 0 when the header has none). */
export interface Nevra {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
}

/** File digest algorithms by rpm's PGPHASHALGO numbers (FILEDIGESTALGO); md5 when the tag is absent. */
export type DigestAlgo = 'md5' | 'sha1' | 'ripemd160' | 'md2' | 'tiger192' | 'haval5160' | 'sha256' | 'sha384' | 'sha512' | 'sha224';

/** node:crypto's name for each FILEDIGESTALGO node can compute (md2, tiger192 and haval5160 it cannot). */
export const NODE_HASH_NAMES: Partial<Record<DigestAlgo, string>> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  ripemd160: 'ripemd160',
};

/** RPMFILE_* flags (rpmfiles.h). */
export const FileFlags = {
  CONFIG: 1 << 0,
  DOC: 1 << 1,
  ICON: 1 << 2,
  MISSINGOK: 1 << 3,
  NOREPLACE: 1 << 4,
  SPECFILE: 1 << 5,
  GHOST: 1 << 6,
  LICENSE: 1 << 7,
  README: 1 << 8,
  PUBKEY: 1 << 11,
  ARTIFACT: 1 << 12,
} as const;

/** One file as the header lists it. */
export interface RpmFile {
  /** Absolute path as installed (dirname + basename, or the old FILENAMES). */
  path: string;
  /** Lowercase hex digest of the contents; "" where rpm has none (directories, symlinks, ghosts, devices). */
  digest: string;
  digestAlgo: DigestAlgo;
  /** Bytes (LONGFILESIZES when present, so over 4 GiB works). */
  size: number;
  /** st_mode: file type and permission bits. */
  mode: number;
  /** RPMFILE_* flags. */
  flags: number;
  user: string;
  group: string;
  /** Symlink target, "" otherwise. */
  linkTo: string;
  mtime: number;
  /** FILEINODES and FILEDEVICES: files sharing both are one hardlink set. */
  inode: number;
  device: number;
  rdev: number;
  /** File capabilities text (FILECAPS), "" when none. */
  caps: string;
}
