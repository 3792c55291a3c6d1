// rpmdb.sqlite specifics: transactions still in the write-ahead log are read (as rpm reads them), and the
// user's files are never changed, nor are side files (-shm, -wal) created beside them.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openTarImage } from '../../src/image/imageReader.ts';
import { FIXTURES, ourQa, tempDir } from './helpers.ts';
import { QA_FORMAT, parseQa, run } from './rpmTools.ts';

const tmp = tempDir('yv-rpmdb-sqlite-');
afterAll(() => tmp.remove());

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) out[f] = `${statSync(join(dir, f)).mtimeMs}:${readFileSync(join(dir, f)).toString('base64').slice(0, 64)}:${statSync(join(dir, f)).size}`;
  return out;
}

describe('rpmdb.sqlite', () => {
  it('reads committed rows still in rpmdb.sqlite-wal, leaving the files untouched', async () => {
    // Make a database whose last transaction sits only in the log: copy the fixture, add a package (a
    // copy of curl's header under a new number) with checkpoints off, and copy both files while the
    // writer still has them open (closing would checkpoint the log into the database).
    const work = join(tmp.dir, 'work');
    mkdirSync(work);
    copyFileSync(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), join(work, 'rpmdb.sqlite'));
    const writer = new DatabaseSync(join(work, 'rpmdb.sqlite'));
    writer.exec('PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;');
    const curl = writer.prepare("SELECT blob FROM Packages WHERE hnum = (SELECT hnum FROM Name WHERE key = 'curl')").get() as { blob: Uint8Array };
    writer.prepare('INSERT INTO Packages (hnum, blob) VALUES (1000, ?)').run(curl.blob);
    const db = join(tmp.dir, 'db');
    mkdirSync(db);
    copyFileSync(join(work, 'rpmdb.sqlite'), join(db, 'rpmdb.sqlite'));
    copyFileSync(join(work, 'rpmdb.sqlite-wal'), join(db, 'rpmdb.sqlite-wal'));
    writer.close();
    expect(statSync(join(db, 'rpmdb.sqlite-wal')).size).toBeGreaterThan(0);

    const before = snapshot(db);
    const ours = await ourQa(db);
    expect(snapshot(db)).toEqual(before);
    expect(ours.records.length).toBe(130);
    expect(ours.records.at(-1)!.name).toBe('curl');

    // The real rpm (on its own copy: it opens read-write) sees the same.
    const rpmCopy = join(tmp.dir, 'rpmcopy');
    mkdirSync(rpmCopy);
    for (const f of ['rpmdb.sqlite', 'rpmdb.sqlite-wal']) copyFileSync(join(db, f), join(rpmCopy, f));
    const r = run('rpm', ['--dbpath', rpmCopy, '-qa', '--qf', QA_FORMAT]);
    expect(r.status).toBe(0);
    expect(ours.records).toEqual(parseQa(r.stdout));

    // And inside an image, the log travels with the database.
    const root = join(tmp.dir, 'root');
    mkdirSync(join(root, 'usr/lib/sysimage/rpm'), { recursive: true });
    for (const f of ['rpmdb.sqlite', 'rpmdb.sqlite-wal']) copyFileSync(join(db, f), join(root, 'usr/lib/sysimage/rpm', f));
    const tar = join(tmp.dir, 'root.tar');
    expect(run('tar', ['-C', root, '-cf', tar, '.']).status).toBe(0);
    const fromImage = await ourQa(openTarImage(tar));
    expect(fromImage.path).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(fromImage.records).toEqual(ours.records);
  });

  it('reads a database in a read-only directory without creating anything there', async () => {
    const dir = join(FIXTURES, 'cbl-mariner-2.0');
    const before = readdirSync(dir).sort();
    expect((await ourQa(dir)).records.length).toBe(129);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('names a database without a Packages table', async () => {
    const path = join(tmp.dir, 'other.sqlite');
    const other = new DatabaseSync(path);
    other.exec('CREATE TABLE t (x)');
    other.close();
    await expect(ourQa(path)).rejects.toMatchObject({ code: 'YV_RPMDB', message: expect.stringMatching(/no such table: Packages/) });
  });
});
