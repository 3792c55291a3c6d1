import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, statfs } from 'node:fs/promises';
import { NoSpaceError } from '../errors.ts';
import { humanBytes } from './format.ts';
import { removeIfInterrupted } from './interrupt.ts';
import { createWriteStream, type WriteStream } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';

/** A temp name beside the target, so the final rename stays on one file system (and is atomic). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Write a whole file atomically: temp file, fsync, rename, fsync the directory. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(target));
}

/**
 * A stream to a temp file that becomes `target` only on `commit()` (after fsync); `abort()` removes it.
 * Nothing is ever visible at `target` unless the writer committed.
 */
export interface AtomicFile {
  readonly tempPath: string;
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function createAtomicFile(target: string): Promise<AtomicFile> {
  await mkdir(dirname(target), { recursive: true });
  const tempPath = tempPathFor(target);
  const stream = createWriteStream(tempPath, { mode: 0o644 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  let done = false;
  const forget = removeIfInterrupted(tempPath);
  return {
    tempPath,
    stream,
    async commit() {
      if (done) return;
      done = true;
      try {
        await new Promise<void>((resolve, reject) => {
          if (stream.writableFinished) return resolve();
          stream.once('error', reject);
          stream.end(() => resolve());
        });
        const fh = await open(tempPath, 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tempPath, target);
      } catch (e) {
        // A commit that fails leaves nothing behind either (abort() after it has nothing left to do).
        stream.destroy();
        await rm(tempPath, { force: true });
        forget();
        throw e;
      }
      forget();
      await fsyncDir(dirname(target));
    },
    async abort() {
      if (done) return;
      done = true;
      stream.destroy();
      await rm(tempPath, { force: true });
      forget();
    },
  };
}

export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  }
}

/** The first `n` bytes of a file (fewer when it is shorter): enough to sniff a format by its magic. */
export async function readFileHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Throws NoSpaceError unless the file system that `target` will be written to has `bytes` free for an
 * unprivileged writer (its nearest existing directory is asked: the target's may not exist yet). A file
 * system that cannot say (statfs fails) is let through: the writes themselves will tell.
 */
export async function ensureFreeSpace(target: string, bytes: number, what: string): Promise<void> {
  let dir = dirname(resolve(target));
  for (;;) {
    try {
      const st = await statfs(dir);
      const free = Number(st.bavail) * Number(st.bsize);
      if (free < bytes) throw new NoSpaceError(`${what} needs ${humanBytes(bytes)} and ${dir} has ${humanBytes(free)} free: make room or write elsewhere`);
      return;
    } catch (e) {
      if (e instanceof NoSpaceError) throw e;
      const parent = dirname(dir);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) return;
      dir = parent;
    }
  }
}
