import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
import { PROCESS_TOKEN } from '../../src/store/pid.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { blobStoreTests } from './blobStoreContract.ts';

let root = '';
blobStoreTests('filesystem', {
  open: async () => {
    root = mkdtempSync(join(tmpdir(), 'yv-blobs-'));
    return FsBlobStore.open(root);
  },
  cleanup: async () => rmSync(root, { recursive: true, force: true }),
  temps: async () => readdirSync(join(root, 'tmp')),
});

test('layout is ab/cd/<sha256>; open removes temps of dead writers and keeps live ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yv-blobs-'));
  try {
    const store = await FsBlobStore.open(dir);
    const { sha256 } = await store.put([Buffer.from('layout')]);
    expect(store.localPath(sha256)).toBe(join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256));
    expect(existsSync(store.localPath(sha256))).toBe(true);
    // A pid that certainly ran and exited: a crashed writer's leftover.
    const child = spawn('true');
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
    writeFileSync(join(dir, 'tmp', `${deadPid}.aaaa.x.tmp`), 'half a package');
    writeFileSync(join(dir, 'tmp', `1.bbbb.x.tmp`), 'pid 1 is alive: a live writer');
    // Our own pid from an earlier start (a container's pid 1 every time): a leftover. Ours now: live.
    writeFileSync(join(dir, 'tmp', `${process.pid}.cccc.x.tmp`), 'an earlier start');
    writeFileSync(join(dir, 'tmp', `${process.pid}.${PROCESS_TOKEN}.x.tmp`), 'a put in progress here');
    await FsBlobStore.open(dir);
    expect(readdirSync(join(dir, 'tmp')).sort()).toEqual([`${process.pid}.${PROCESS_TOKEN}.x.tmp`, '1.bbbb.x.tmp'].sort());
    expect(await store.has(sha256)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a SQLite lock row left by an earlier start with our pid is taken over; a live one is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yv-lock-'));
  try {
    const db = SqliteDatabase.open(join(dir, 'c.sqlite'));
    const release = await db.tryLock('m');
    expect(release).not.toBeNull();
    expect(await db.tryLock('m')).toBeNull();
    await db.run('UPDATE yv_locks SET token = ? WHERE name = ?', ['0123456789ab', 'm']);
    const again = await db.tryLock('m');
    expect(again).not.toBeNull();
    await again!();
    expect(await db.all('SELECT * FROM yv_locks')).toEqual([]);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
