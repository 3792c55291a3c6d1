// manifest.json (DESIGN.md "Formats"): the exact package builds an image was made from, the image's
// sha256, and the residual that holds everything else. Editing a package's version here (or --upgrade)
// restores with that build instead.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError } from '../errors.ts';
import type { Nevra } from '../rpm/types.ts';

export const MANIFEST_FORMAT = 'yumvault.manifest/1';
export const MANIFEST_FILE = 'manifest.json';
export const RESIDUAL_FILE = 'residual.zst';

export type ImageCompression = 'none' | 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'lzma' | 'directory';

export interface ManifestPackage extends Nevra {
  /** sha256 of the whole .rpm file. */
  pkgid: string;
  /** SHA256HEADER of the build ("" when the build has none, then sigmd5 identifies it). */
  headerSha256: string;
  /** Repository (as given with --repo) where decompose found it. */
  repo: string;
  /** SIGMD5 of the build, hex (identifies builds without SHA256HEADER). */
  sigmd5?: string;
  /** name-[epoch:]version-release.arch at decomposition: a manifest edited since (another version) restores with that build. */
  decomposedAs?: string;
  /** Referenced files and their bytes. */
  files?: number;
  bytes?: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  image: { name: string; sha256: string; size: number; compression: ImageCompression };
  packages: ManifestPackage[];
  residual: { sha256: string; size: number };
  stats: {
    entries: number;
    packagesInstalled: number;
    packagesFound: number;
    packagesMissing: string[];
    filesReferenced: number;
    bytesReferenced: number;
    bytesInline: number;
    createdBy: string;
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

function fail(dir: string, why: string): never {
  throw new ManifestError(`${join(dir, MANIFEST_FILE)}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and checks manifest.json in `dir`. */
export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw new ManifestError(`cannot read ${join(dir, MANIFEST_FILE)}: ${(e as Error).message}`);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    fail(dir, `not JSON (${(e as Error).message})`);
  }
  return validateManifest(m, dir);
}

export function validateManifest(m: unknown, dir = '.'): Manifest {
  if (!isObject(m)) fail(dir, 'not a JSON object');
  if (m.format !== MANIFEST_FORMAT) fail(dir, `format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"`);
  const image = m.image;
  if (!isObject(image) || typeof image.sha256 !== 'string' || !HEX64.test(image.sha256) || !Number.isSafeInteger(image.size) || (image.size as number) < 0) {
    fail(dir, 'image must have a sha256 (64 hex digits) and a size');
  }
  const residual = m.residual;
  if (!isObject(residual) || typeof residual.sha256 !== 'string' || !HEX64.test(residual.sha256) || !Number.isSafeInteger(residual.size)) {
    fail(dir, 'residual must have a sha256 and a size');
  }
  if (!Array.isArray(m.packages)) fail(dir, 'packages must be an array');
  m.packages.forEach((p: unknown, i: number) => {
    if (!isObject(p)) fail(dir, `packages[${i}] is not an object`);
    for (const k of ['name', 'version', 'release', 'arch', 'pkgid', 'repo'] as const) {
      if (typeof p[k] !== 'string' || (k !== 'repo' && p[k] === '')) fail(dir, `packages[${i}].${k} must be a non-empty string`);
    }
    if (!Number.isSafeInteger(p.epoch) || (p.epoch as number) < 0) fail(dir, `packages[${i}].epoch must be a non-negative integer`);
    if (!HEX64.test(p.pkgid as string)) fail(dir, `packages[${i}].pkgid must be a sha256 (64 hex digits)`);
    if (typeof p.headerSha256 !== 'string') fail(dir, `packages[${i}].headerSha256 must be a string`);
  });
  return m as unknown as Manifest;
}

// The image code's names for rpm's one formatting of a build (src/rpm is the single implementation).
export { formatNevra as nevraString } from '../rpm/nevra.ts';
export { formatEvr as evrString } from '../rpm/vercmp.ts';

/** "E:V-R" or "V-R" into its parts (for --upgrade NAME=EVR). */
export function parseEvr(evr: string): { epoch: number; version: string; release: string } {
  const m = /^(?:(\d+):)?([^-:\s]+)-([^-:\s]+)$/.exec(evr);
  if (!m) throw new ManifestError(`'${evr}' is not an EVR (expected [EPOCH:]VERSION-RELEASE)`);
  return { epoch: m[1] ? Number(m[1]) : 0, version: m[2]!, release: m[3]! };
}
