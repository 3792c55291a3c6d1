// Installed-package databases: find the rpm database of a root directory or image (or take a database file),
// and read every installed package's header from it, whichever backend wrote it:
//   sqlite  rpmdb.sqlite  (rpm ≥ 4.16)            ./sqlite.ts
//   bdb     Packages      (BerkeleyDB hash)        ./bdb.ts
//   ndb     Packages.db   (SUSE)                   ./ndb.ts
// Every backend yields the header blobs rpm stored; they are parsed by src/rpm into the same RpmHeader
// objects a package file gives.

import { RpmdbError, isYumvaultError } from '../errors.ts';
import { parseHeaderBlob, type RpmHeader } from '../rpm/header.ts';
import { packageInfo } from '../rpm/info.ts';
import { readBdbPackages, type StoredHeader } from './bdb.ts';
import { locateRpmdb, type RpmdbBackend, type RpmdbLocation } from './locate.ts';
import { readNdbPackages } from './ndb.ts';
import { openRandomAccess } from './randomAccess.ts';
import { readSqlitePackages } from './sqlite.ts';

export type { RpmdbBackend, RpmdbLocation, RpmdbImageReader, RpmdbImageFile } from './locate.ts';
export { RPMDB_DIRS, RPMDB_FILES, candidatePaths } from './locate.ts';
export type { StoredHeader } from './bdb.ts';

export interface InstalledHeader {
  /** rpm's header number in this database. */
  hnum: number;
  /** The header exactly as stored (il, dl, index, data; no magic). */
  blob: Uint8Array;
  header: RpmHeader;
}

export interface Rpmdb {
  backend: RpmdbBackend;
  /** Where the database was found inside the root or image ("/var/lib/rpm/rpmdb.sqlite"), or the file as given. */
  path: string;
  /** Raw stored headers, in rpm's order (what `rpm -qa` lists first comes first). */
  blobs(): AsyncIterable<StoredHeader>;
  /** Parsed headers, in the same order. A header that does not parse is an RpmdbError naming it. */
  headers(): AsyncIterable<InstalledHeader>;
  /** Removes temporary copies (databases taken out of an image). Safe to call twice. */
  close(): Promise<void>;
}

export type InstalledPackage = ReturnType<typeof packageInfo>;

async function* storedHeaders(backend: RpmdbBackend, hostPath: string): AsyncGenerator<StoredHeader> {
  if (backend === 'sqlite') {
    yield* readSqlitePackages(hostPath);
    return;
  }
  const file = await openRandomAccess(hostPath);
  try {
    yield* backend === 'bdb' ? readBdbPackages(file) : readNdbPackages(file);
  } finally {
    await file.close();
  }
}

/**
 * Opens the rpm database of `location`: a root directory (searched at /usr/lib/sysimage/rpm, then
 * /var/lib/rpm, for rpmdb.sqlite, Packages.db, Packages; symlinks resolved inside the root), a database
 * directory or file, or an image reader. RpmdbError when none is found or it is not an rpm database.
 */
export async function openRpmdb(location: RpmdbLocation): Promise<Rpmdb> {
  const found = await locateRpmdb(location);
  const { backend, path, hostPath } = found;
  const blobs = () => storedHeaders(backend, hostPath);
  return {
    backend,
    path,
    blobs,
    async *headers() {
      for await (const stored of blobs()) {
        let header: RpmHeader;
        try {
          header = parseHeaderBlob(stored.blob);
        } catch (e) {
          // A typed format error becomes the database's error; anything else is a bug and stays visible.
          if (!isYumvaultError(e)) throw e;
          throw new RpmdbError(`${path}: header #${stored.hnum} is corrupt: ${e.message}`, { cause: e });
        }
        yield { hnum: stored.hnum, blob: stored.blob, header };
      }
    },
    close: found.cleanup,
  };
}

/** Every installed package of `location` (see openRpmdb), as src/rpm's packageInfo describes it. */
export async function readInstalledPackages(location: RpmdbLocation): Promise<InstalledPackage[]> {
  const db = await openRpmdb(location);
  try {
    const out: InstalledPackage[] = [];
    for await (const { header, hnum } of db.headers()) {
      try {
        out.push(packageInfo(header));
      } catch (e) {
        if (!isYumvaultError(e)) throw e;
        throw new RpmdbError(`${db.path}: header #${hnum}: ${e.message}`, { cause: e });
      }
    }
    return out;
  } finally {
    await db.close();
  }
}
