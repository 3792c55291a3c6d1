// sha256 of a file that is being written out of order (restore in place: workers write package files at
// their offsets while the main thread writes the residual's bytes), on its own thread. The writer says how
// far the file is complete (`advance`), the hasher reads that far from the page cache and hashes it; long
// runs of zeros the writer left as holes are hashed from memory without reading them (`zeros`).
// Plain JavaScript evaluated from a string, like hashWorker.ts: nothing to locate beside the bundle.

import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const fd = fs.openSync(workerData.path, 'r');
const h = createHash('sha256');
const SIZE = 4 << 20;
let current = Buffer.allocUnsafe(SIZE);
let ahead = Buffer.allocUnsafe(SIZE);
const zeros = Buffer.alloc(1 << 20);
let pos = 0;
const readAt = (buf, at, len) => new Promise((resolve, reject) => fs.read(fd, buf, 0, len, at, (e, n) => (e ? reject(e) : resolve(n))));
// The next piece is read (on libuv's thread pool, another core) while this one is hashed.
async function readTo(to) {
  let pending = pos < to ? readAt(current, pos, Math.min(SIZE, to - pos)) : undefined;
  while (pending) {
    const n = await pending;
    if (n === 0) throw new Error('the file ends at ' + pos + ', before ' + to);
    const at = pos + n;
    pending = at < to ? readAt(ahead, at, Math.min(SIZE, to - at)) : undefined;
    h.update(n === SIZE ? current : current.subarray(0, n));
    pos = at;
    [current, ahead] = [ahead, current];
  }
}
async function handle(m) {
  if (m.op === 'digest') {
    fs.closeSync(fd);
    return parentPort.postMessage({ pos, digest: h.digest('hex') });
  }
  if (m.op === 'zeros') {
    let left = m.size;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      h.update(n === zeros.length ? zeros : zeros.subarray(0, n));
      left -= n;
    }
    pos += m.size;
  } else await readTo(m.to);
  parentPort.postMessage({ pos });
}
let failed = false;
let chain = Promise.resolve();
parentPort.on('message', (m) => {
  chain = chain.then(() => (failed ? undefined : handle(m))).catch((e) => {
    failed = true;
    parentPort.postMessage({ pos, error: String((e && e.message) || e) });
  });
});
`;

export interface FileHasher {
  /** Bytes [previous end, `to`) of the file are written: hash them. */
  advance(to: number): void;
  /** The next `size` bytes are zeros (a hole the writer skipped): hash them without reading. */
  zeros(size: number): void;
  /** The sha256 of everything advanced over, once the thread has caught up. */
  digest(): Promise<{ sha256: string; size: number }>;
  /** Stops the thread (after a failure; digest() stops it on success). */
  close(): Promise<void>;
}

/** `onProgress` is told how many bytes are hashed, as the thread gets through them. */
export function createFileHasher(path: string, onProgress?: (hashed: number) => void): FileHasher {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
  let failed: Error | undefined;
  let final: ((r: { sha256: string; size: number }) => void) | undefined;
  let reject: ((e: Error) => void) | undefined;
  let posted = 0;
  worker.on('message', (m: { pos: number; digest?: string; error?: string }) => {
    if (m.error) {
      failed ??= new Error(`hashing ${path}: ${m.error}`);
      reject?.(failed);
      return;
    }
    if (m.digest !== undefined) return final?.({ sha256: m.digest, size: m.pos });
    onProgress?.(m.pos);
  });
  worker.on('error', (e) => {
    failed ??= e;
    reject?.(e);
  });
  return {
    advance(to) {
      if (to <= posted) return;
      posted = to;
      worker.postMessage({ op: 'read', to });
    },
    zeros(size) {
      if (size <= 0) return;
      posted += size;
      worker.postMessage({ op: 'zeros', size });
    },
    digest() {
      return new Promise((resolve, rej) => {
        if (failed) return rej(failed);
        reject = rej;
        final = (r) => {
          void worker.terminate();
          resolve(r);
        };
        worker.postMessage({ op: 'digest' });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
