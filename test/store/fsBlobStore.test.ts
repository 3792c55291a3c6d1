import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FsBlobStore } from '../../src/store/fsBlobStore.ts';
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
    writeFileSync(join(dir, 'tmp', `${deadPid}.aaaa.tmp`), 'half a package');
    writeFileSync(join(dir, 'tmp', `1.bbbb.tmp`), 'pid 1 is alive: a live writer');
    await FsBlobStore.open(dir);
    expect(readdirSync(join(dir, 'tmp'))).toEqual(['1.bbbb.tmp']);
    expect(await store.has(sha256)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
