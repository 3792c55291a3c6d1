// The summary `yumvault inspect rpmdb` prints: which database, and each package's NEVRA and file count.
// Cheaper than readInstalledPackages (no file attributes, dependencies or digests are decoded).

import { RpmdbError, isYumvaultError } from '../errors.ts';
import { filePaths, nevraOf } from '../rpm/info.ts';
import type { Nevra } from '../rpm/types.ts';
import { openRpmdb, type RpmdbLocation } from './index.ts';

export interface RpmdbListing {
  backend: 'sqlite' | 'bdb' | 'ndb';
  /** Where the database was found inside the root or image, or the file as given. */
  path: string;
  packages: Array<Nevra & { fileCount: number }>;
}

/** Lists the installed packages of `location` (see openRpmdb) in database order. */
export async function listRpmdb(location: RpmdbLocation): Promise<RpmdbListing> {
  const db = await openRpmdb(location);
  try {
    const packages: RpmdbListing['packages'] = [];
    for await (const { header, hnum } of db.headers()) {
      let nevra: Nevra;
      try {
        nevra = nevraOf(header);
      } catch (e) {
        if (!isYumvaultError(e)) throw e;
        throw new RpmdbError(`${db.path}: header #${hnum}: ${e.message}`, { cause: e });
      }
      let fileCount: number;
      try {
        fileCount = filePaths(header).length;
      } catch {
        fileCount = 0; // a file list rpm cannot resolve: rpm shows "(contains no files)", packageInfo lists none
      }
      packages.push({ ...nevra, fileCount });
    }
    return { backend: db.backend, path: db.path, packages };
  } finally {
    await db.close();
  }
}
