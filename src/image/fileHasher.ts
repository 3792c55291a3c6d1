// sha256 of a file that is being written out of order (restore in place: builds are written at their
// offsets while the residual's bytes are already there). The writer says how far the file is complete
// (`advance`), the hasher reads that far from the page cache and hashes it; long runs of zeros the writer
// left as holes are hashed from memory without reading them (`zeros`).
//
// It runs on the caller's thread, its reads on libuv's pool (the next piece is read while this one is
// hashed). Restore in place can mostly hash only once nearly every build is written (most packages have a
// file near the start of an image), when the main thread has nothing else to do; a thread of its own cost a
// worker's start, tens of milliseconds of CPU, for no earlier finish (measured on 2 cores).

import { createHash } from 'node:crypto';
import { closeSync, openSync, read } from 'node:fs';

export interface FileHasher {
  /** Bytes [previous end, `to`) of the file are written: hash them. */
  advance(to: number): void;
  /** The next `size` bytes are zeros (a hole the writer skipped): hash them without reading. */
  zeros(size: number): void;
  /** The sha256 of everything advanced over, once hashed. */
  digest(): Promise<{ sha256: string; size: number }>;
  /** Stops (after a failure; digest() stops it on success): waits for the read under way, closes the file. */
  close(): Promise<void>;
}

const PIECE = 4 << 20;
const ZEROS = Buffer.alloc(1 << 20);

/** `onProgress` is told how many bytes are hashed, as it gets through them. */
export function createFileHasher(path: string, onProgress?: (hashed: number) => void): FileHasher {
  const fd = openSync(path, 'r');
  const h = createHash('sha256');
  let current = Buffer.allocUnsafe(PIECE);
  let ahead = Buffer.allocUnsafe(PIECE);
  let pos = 0; // hashed so far
  let posted = 0; // advanced to so far
  let failed: Error | undefined;
  let open = true;
  // Steps run one after another, in the order asked; after a failure, none.
  let steps: Promise<void> = Promise.resolve();
  const then = (step: () => Promise<void> | void) => {
    steps = steps
      .then(() => (failed ? undefined : step()))
      .catch((e: unknown) => {
        failed ??= new Error(`hashing ${path}: ${(e as Error).message}`);
      });
  };
  const readAt = (buf: Buffer, at: number, len: number) => new Promise<number>((resolve, reject) => read(fd, buf, 0, len, at, (e, n) => (e ? reject(e) : resolve(n))));
  const readTo = async (to: number) => {
    let pending = pos < to ? readAt(current, pos, Math.min(PIECE, to - pos)) : undefined;
    while (pending) {
      const n = await pending;
      if (n === 0) throw new Error(`the file ends at ${pos}, before ${to}`);
      const at = pos + n;
      pending = at < to ? readAt(ahead, at, Math.min(PIECE, to - at)) : undefined;
      h.update(n === PIECE ? current : current.subarray(0, n));
      pos = at;
      [current, ahead] = [ahead, current];
      onProgress?.(pos);
    }
  };
  const hashZeros = (size: number) => {
    for (let left = size; left > 0; ) {
      const n = Math.min(left, ZEROS.length);
      h.update(n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n));
      left -= n;
    }
    pos += size;
    onProgress?.(pos);
  };
  const closeFile = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    advance(to) {
      if (to <= posted) return;
      posted = to;
      then(() => readTo(to));
    },
    zeros(size) {
      if (size <= 0) return;
      posted += size;
      then(() => hashZeros(size));
    },
    async digest() {
      await steps;
      closeFile();
      if (failed) throw failed;
      return { sha256: h.digest('hex'), size: pos };
    },
    async close() {
      await steps;
      closeFile();
    },
  };
}
