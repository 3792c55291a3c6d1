// A blob is durable once put() returns: its file, and every directory entry on the way to it that put()
// created (the fan-out directories ab/ and ab/cd/), are synced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';

const synced: string[] = [];
vi.mock('../../src/util/fs.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/fs.ts')>();
  return { ...real, fsyncDir: async (dir: string) => { synced.push(dir); await real.fsyncDir(dir); } };
});
const { FsBlobStore } = await import('../../src/store/fsBlobStore.ts');

test('put syncs the directories it created: the blob\'s own, its parent and the root', async () => {
  const root = mkdtempSync(join(tmpdir(), 'yv-blobs-sync-'));
  try {
    const store = await FsBlobStore.open(root);
    synced.length = 0;
    const { sha256 } = await store.put([Buffer.from('durable')]);
    const ab = join(root, sha256.slice(0, 2));
    const cd = join(ab, sha256.slice(2, 4));
    expect(new Set(synced)).toEqual(new Set([cd, ab, root]));
    // The same blob again creates nothing: only its own directory is synced after the rename.
    synced.length = 0;
    await store.put([Buffer.from('durable')]);
    expect(synced).toEqual([cd]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
