// The embedded blob store: DATA/blobs/ab/cd/<sha256>, written through DATA/blobs/tmp/ so that a crash
// mid-write leaves only a temp file, which the next open removes.
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, StorageError } from '../errors.ts';
import { fsyncDir } from '../util/fs.ts';
import { removeStaleSpools, spoolVerified } from './spool.ts';
import { assertBlobName, type BlobStat, type BlobStore, type ByteRange, type PutExpectation, type PutResult } from './blobStore.ts';

export class FsBlobStore implements BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  private constructor(root: string) {
    this.root = root;
    this.tmpDir = join(root, 'tmp');
  }

  /** Opens (creating) the store under `root` and removes temp files left by processes that no longer run. */
  static async open(root: string): Promise<FsBlobStore> {
    const store = new FsBlobStore(root);
    await mkdir(store.tmpDir, { recursive: true });
    await store.removeStaleTemps();
    return store;
  }

  localPath(sha256: string): string {
    assertBlobName(sha256);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<BlobStat | null> {
    try {
      const st = await stat(this.localPath(sha256));
      return { size: st.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StorageError(`cannot stat blob ${sha256}: ${(e as Error).message}`, { cause: e });
    }
  }

  async put(source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expect: PutExpectation = {}): Promise<PutResult> {
    if (expect.sha256 !== undefined) assertBlobName(expect.sha256);
    const spooled = await spoolVerified(source, expect, this.tmpDir);
    try {
      const target = this.localPath(spooled.sha256);
      const fanout = join(target, '..');
      const created = await mkdir(fanout, { recursive: true });
      await rename(spooled.path, target);
      await fsyncDir(fanout);
      // A fan-out directory made just now must itself be durable, or a crash could lose the blob that the
      // catalog already records as stored: sync the parents of what mkdir created (cd/ in ab/, ab/ in root).
      if (created !== undefined) {
        await fsyncDir(join(fanout, '..'));
        await fsyncDir(this.root);
      }
      return { sha256: spooled.sha256, size: spooled.size };
    } catch (e) {
      await rm(spooled.path, { force: true });
      throw new StorageError(`cannot store blob ${spooled.sha256}: ${(e as Error).message}`, { cause: e });
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    let fh;
    try {
      fh = await open(this.localPath(sha256), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`blob ${sha256} is not stored`);
      throw new StorageError(`cannot open blob ${sha256}: ${(e as Error).message}`, { cause: e });
    }
    if (range) {
      const { size } = await fh.stat();
      if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start || range.end >= size) {
        await fh.close();
        throw new StorageError(`range ${range.start}-${range.end} is outside blob ${sha256} (${size} bytes)`);
      }
      return fh.createReadStream({ start: range.start, end: range.end });
    }
    return fh.createReadStream();
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.localPath(sha256), { force: true });
  }

  private async removeStaleTemps(): Promise<void> {
    await removeStaleSpools(this.tmpDir);
  }
}
