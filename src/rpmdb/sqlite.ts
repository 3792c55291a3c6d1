// Reader for rpm's sqlite database (`rpmdb.sqlite`, rpm ≥ 4.16's default: Fedora 33+, RHEL 9, Mariner…).
// rpm keeps each header in table Packages(hnum INTEGER PRIMARY KEY, blob BLOB) (lib/backend/sqlite.cc);
// the other tables are indexes we do not need.
//
// The user's file is never modified. rpm runs the database in WAL mode, so committed transactions may
// still sit in `rpmdb.sqlite-wal`; opening that in place would create or touch -shm/-wal files next to
// it. So: with no (or an empty) -wal file, open the file immutable (no locks, no side files); with a
// -wal, copy database and log to a private temp directory and let sqlite replay the log there.

import { DatabaseSync } from 'node:sqlite';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RpmdbError } from '../errors.ts';
import type { StoredHeader } from './bdb.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';

export function isSqlite(head: Uint8Array): boolean {
  return head.length >= 16 && new TextDecoder('latin1').decode(head.subarray(0, 16)) === SQLITE_MAGIC;
}

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

/** Headers in an rpmdb.sqlite, in header-number order (as `rpm -qa` lists them). */
export async function* readSqlitePackages(path: string): AsyncGenerator<StoredHeader> {
  let tempDir: string | undefined;
  let db: DatabaseSync | undefined;
  try {
    try {
      if (await nonEmpty(`${path}-wal`)) {
        tempDir = await mkdtemp(join(tmpdir(), 'yv-rpmdb-'));
        const copy = join(tempDir, 'rpmdb.sqlite');
        await copyFile(path, copy);
        await copyFile(`${path}-wal`, `${copy}-wal`);
        db = new DatabaseSync(copy);
      } else {
        const url = pathToFileURL(path);
        url.searchParams.set('immutable', '1');
        db = new DatabaseSync(url, { readOnly: true });
      }
      const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
      for (const row of stmt.iterate()) {
        const { hnum, blob } = row as { hnum: unknown; blob: unknown };
        if (typeof hnum !== 'number' || !(blob instanceof Uint8Array)) {
          throw new RpmdbError(`${path}: Packages row ${String(hnum)} does not hold a header blob`);
        }
        yield { hnum, blob };
      }
    } catch (e) {
      if (e instanceof RpmdbError) throw e;
      throw new RpmdbError(`${path}: cannot read the sqlite rpm database: ${(e as Error).message}`, { cause: e });
    }
  } finally {
    db?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}
