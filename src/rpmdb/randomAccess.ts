// Positioned reads from a database file. The BerkeleyDB and ndb readers jump between pages, so they read
// through this instead of loading the whole file (an rpmdb of a big system is hundreds of MiB). A small
// cache of aligned chunks turns the many page-sized reads into few system calls.

import { open, type FileHandle } from 'node:fs/promises';
import { RpmdbError } from '../errors.ts';

export interface RandomAccessFile {
  readonly path: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`; RpmdbError when that runs past the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

const CHUNK = 256 * 1024;
const MAX_CHUNKS = 16;

export async function openRandomAccess(path: string): Promise<RandomAccessFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new RpmdbError(`cannot open ${path}: ${(e as Error).message}`, { cause: e });
  }
  const size = (await fh.stat()).size;
  // Insertion-ordered map as an LRU: re-inserting on use moves a chunk to the end.
  const chunks = new Map<number, Uint8Array>();

  async function chunk(index: number): Promise<Uint8Array> {
    const hit = chunks.get(index);
    if (hit) {
      chunks.delete(index);
      chunks.set(index, hit);
      return hit;
    }
    const start = index * CHUNK;
    const length = Math.min(CHUNK, size - start);
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(buf, done, length - done, start + done);
      if (bytesRead === 0) throw new RpmdbError(`${path}: file shrank while reading`);
      done += bytesRead;
    }
    chunks.set(index, buf);
    if (chunks.size > MAX_CHUNKS) chunks.delete(chunks.keys().next().value as number);
    return buf;
  }

  return {
    path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        throw new RpmdbError(`${path}: read of ${length} bytes at offset ${offset} runs past the end (${size} bytes); the database is truncated or corrupt`);
      }
      const first = Math.floor(offset / CHUNK);
      const last = Math.floor((offset + Math.max(length, 1) - 1) / CHUNK);
      if (first === last) {
        const c = await chunk(first);
        const at = offset - first * CHUNK;
        return c.subarray(at, at + length);
      }
      const out = new Uint8Array(length);
      let done = 0;
      for (let i = first; i <= last; i++) {
        const c = await chunk(i);
        const from = i === first ? offset - first * CHUNK : 0;
        const take = Math.min(c.length - from, length - done);
        out.set(c.subarray(from, from + take), done);
        done += take;
      }
      return out;
    },
    close: () => fh.close(),
  };
}
