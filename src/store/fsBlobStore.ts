// The embedded blob store: DATA/blobs/ab/cd/<sha256>, written through DATA/blobs/tmp/ so that a crash
// mid-write leaves only a temp file, which the next open removes.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ChecksumMismatchError, NotFoundError, StorageError } from '../errors.ts';
import { fsyncDir } from '../util/fs.ts';
import { isLiveWriter, PROCESS_TOKEN } from './pid.ts';
import { isSha256Hex, type BlobStat, type BlobStore, type ByteRange, type PutExpectation, type PutResult } from './blobStore.ts';

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
    assertName(sha256);
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
    if (expect.sha256 !== undefined) assertName(expect.sha256);
    // The pid in the name lets a later open tell a crashed writer's leftovers from a live writer's file.
    const tmp = join(this.tmpDir, `${process.pid}.${PROCESS_TOKEN}.${randomBytes(8).toString('hex')}.tmp`);
    const out = createWriteStream(tmp, { mode: 0o644 });
    const hash = createHash('sha256');
    let size = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        out.once('open', () => resolve());
        out.once('error', reject);
      });
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        size += chunk.length;
        if (expect.size !== undefined && size > expect.size) {
          throw new ChecksumMismatchError(`blob is larger than the expected ${expect.size} bytes`);
        }
        // events.once removes its listeners when it settles: no 'error' listener piles up per wait.
        if (!out.write(chunk)) await once(out, 'drain');
      }
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      const sha256 = hash.digest('hex');
      if (expect.size !== undefined && size !== expect.size) {
        throw new ChecksumMismatchError(`blob has ${size} bytes, expected ${expect.size}`);
      }
      if (expect.sha256 !== undefined && sha256 !== expect.sha256) {
        throw new ChecksumMismatchError(`blob sha256 is ${sha256}, expected ${expect.sha256}`);
      }
      const fh = await open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      const target = this.localPath(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tmp, target);
      await fsyncDir(join(target, '..'));
      return { sha256, size };
    } catch (e) {
      out.destroy();
      await rm(tmp, { force: true });
      if (e instanceof ChecksumMismatchError) throw e;
      if ((e as NodeJS.ErrnoException).syscall) throw new StorageError(`cannot store blob: ${(e as Error).message}`, { cause: e });
      throw e;
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
    for (const name of await readdir(this.tmpDir)) {
      const [pid, token] = name.split('.');
      if (Number.isInteger(Number(pid)) && token && isLiveWriter(Number(pid), token)) continue;
      await rm(join(this.tmpDir, name), { force: true });
    }
  }
}

function assertName(sha256: string): void {
  // The name becomes a path: only 64 hex digits may ever reach the file system.
  if (!isSha256Hex(sha256)) throw new StorageError(`not a sha256 blob name: ${JSON.stringify(sha256).slice(0, 80)}`);
}
