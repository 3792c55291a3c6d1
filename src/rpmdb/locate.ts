// Finds the rpm database of a root file system (a directory or an image) or takes a database file as
// given, and says which backend it is (by its magic bytes, not its name).

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { RpmdbError, RpmdbNotFoundError } from '../errors.ts';
import { readFileHead } from '../util/fs.ts';
import { isBerkeleyDb } from './bdb.ts';
import { isNdb } from './ndb.ts';
import { directoryLookup, resolveInRoot } from './rootPath.ts';
import { isSqlite } from './sqlite.ts';

export type RpmdbBackend = 'sqlite' | 'bdb' | 'ndb';

/**
 * One file found inside an image (src/image's ImageFile has this shape, so its readers can be passed
 * directly).
 */
export interface RpmdbImageFile {
  /** The path asked for (absolute, inside the image). */
  path: string;
  /** Its bytes. A Node Readable is an AsyncIterable<Uint8Array>. */
  stream(): AsyncIterable<Uint8Array>;
  /** Its size in bytes, when known: an empty file is skipped as no database. */
  size?: number;
  /** Set when the file already lies on this machine's disk (a directory image): read in place, no copy. */
  hostPath?: string;
}

/**
 * What the image code hands us: finds the first of `paths` (absolute, inside the image) that is a regular
 * file, following symlinks against the image root, without unpacking the whole image.
 */
export interface RpmdbImageReader {
  findFile(paths: readonly string[]): Promise<RpmdbImageFile | null | undefined>;
}

/** A root directory, a database file, or an image. */
export type RpmdbLocation = string | RpmdbImageReader;

/** Where the usual rpm configurations keep the database, most specific first. */
export const RPMDB_DIRS = ['/usr/lib/sysimage/rpm', '/var/lib/rpm'] as const;
/** Database file names, in the order a directory is searched: sqlite (rpm ≥ 4.16), ndb (SUSE), bdb. */
export const RPMDB_FILES = ['rpmdb.sqlite', 'Packages.db', 'Packages'] as const;

export function candidatePaths(): string[] {
  return RPMDB_DIRS.flatMap((dir) => RPMDB_FILES.map((file) => `${dir}/${file}`));
}

export interface LocatedRpmdb {
  backend: RpmdbBackend;
  /** Where the database was found: inside the root or image ("/var/lib/rpm/Packages"), or the file as given. */
  path: string;
  /** The file on this machine to read (a temp copy for images). */
  hostPath: string;
  /** Removes temp copies. */
  cleanup(): Promise<void>;
}

async function detectBackend(hostPath: string, shownAs: string): Promise<RpmdbBackend> {
  const bytes = await readFileHead(hostPath, 16);
  if (isSqlite(bytes)) return 'sqlite';
  if (isNdb(bytes)) return 'ndb';
  if (isBerkeleyDb(bytes)) return 'bdb';
  throw new RpmdbError(`${shownAs}: not an rpm database (neither sqlite, ndb nor BerkeleyDB)`);
}

const noCleanup = async (): Promise<void> => {};

/** A regular file with something in it: an empty rpmdb.sqlite or Packages left behind is no database. */
async function isNonEmptyFile(path: string): Promise<boolean> {
  try {
    const st = await stat(path);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}

async function locateInDirectory(root: string): Promise<LocatedRpmdb> {
  const lookup = directoryLookup(root);
  for (const candidate of candidatePaths()) {
    const real = await resolveInRoot(candidate, lookup);
    if (!real) continue;
    const hostPath = join(root, real);
    if (!(await isNonEmptyFile(hostPath))) continue;
    return { backend: await detectBackend(hostPath, candidate), path: candidate, hostPath, cleanup: noCleanup };
  }
  // A database directory itself (a copy of /var/lib/rpm) is accepted too.
  for (const file of RPMDB_FILES) {
    const hostPath = join(root, file);
    if (await isNonEmptyFile(hostPath)) return { backend: await detectBackend(hostPath, hostPath), path: hostPath, hostPath, cleanup: noCleanup };
  }
  throw new RpmdbNotFoundError(`${root}: no rpm database found (looked for ${RPMDB_FILES.join(', ')} in ${RPMDB_DIRS.join(', ')})`);
}

async function copyOut(ref: RpmdbImageFile, target: string): Promise<void> {
  await pipeline(Readable.from(ref.stream()), createWriteStream(target, { mode: 0o600 }));
}

async function locateInImage(image: RpmdbImageReader): Promise<LocatedRpmdb> {
  let ref: RpmdbImageFile | null | undefined;
  for (const candidate of candidatePaths()) {
    ref = await image.findFile([candidate]);
    if (ref && ref.size !== 0) break;
    ref = undefined;
  }
  if (!ref) throw new RpmdbNotFoundError(`image: no rpm database found (looked for ${RPMDB_FILES.join(', ')} in ${RPMDB_DIRS.join(', ')})`);
  if (ref.hostPath) {
    return { backend: await detectBackend(ref.hostPath, ref.path), path: ref.path, hostPath: ref.hostPath, cleanup: noCleanup };
  }
  // Only the database files leave the image: into a private temp directory, removed by cleanup().
  const dir = await mkdtemp(join(tmpdir(), 'yv-rpmdb-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const hostPath = join(dir, posix.basename(ref.path));
    await copyOut(ref, hostPath);
    const backend = await detectBackend(hostPath, ref.path);
    if (backend === 'sqlite') {
      // Committed transactions may still be in the write-ahead log beside it.
      const wal = await image.findFile([`${ref.path}-wal`]);
      if (wal) await copyOut(wal, `${hostPath}-wal`);
    }
    return { backend, path: ref.path, hostPath, cleanup };
  } catch (e) {
    await cleanup();
    throw e instanceof RpmdbError ? e : new RpmdbError(`image: cannot read ${ref.path}: ${(e as Error).message}`, { cause: e });
  }
}

export async function locateRpmdb(location: RpmdbLocation): Promise<LocatedRpmdb> {
  if (typeof location !== 'string') return locateInImage(location);
  let st;
  try {
    st = await stat(location);
  } catch (e) {
    throw new RpmdbError(`${location}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, { cause: e });
  }
  if (st.isDirectory()) return locateInDirectory(location);
  return { backend: await detectBackend(location, location), path: location, hostPath: location, cleanup: noCleanup };
}
