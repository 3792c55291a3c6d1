// sha256 of a byte stream on another core: decompose and restore each hash the whole image while the
// main thread hashes files, reads and writes; a worker keeps the image's hash off the main thread. The
// worker is plain JavaScript evaluated from a string, so it works the same from the .ts sources and from
// the single-file bundle (dist/cli.js), with nothing to locate on disk.
//
// Bytes travel in 1 MiB buffers that go to the worker and come back (transferred both ways, never
// copied in transit), so hashing an image allocates a few dozen buffers, not one per MiB: fresh
// allocations were a large part of the time, in page faults and garbage collection.

import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const h = createHash('sha256');
parentPort.on('message', (m) => {
  if (m === null) return parentPort.postMessage(h.digest('hex'));
  h.update(new Uint8Array(m.buf, 0, m.len));
  parentPort.postMessage(m, [m.buf]);
});
`;

export interface StreamHasher {
  /** Copies `chunk` (the caller may reuse its buffer). Await the answer when there is one: the worker is behind. */
  update(chunk: Uint8Array): void | Promise<void>;
  digest(): Promise<string>;
}

const SLAB = 1 << 20;
/** Buffers out at the worker at most: past this the caller waits, so memory stays bounded (32 MiB). */
const MAX_OUT = 32;

/** A hasher on a worker thread; below `minBytes` of expected input an in-thread hash is cheaper. */
export function createStreamHasher(expectedBytes: number, minBytes = 64 << 20): StreamHasher {
  if (expectedBytes < minBytes) {
    const h = createHash('sha256');
    return { update: (c) => void h.update(c), digest: async () => h.digest('hex') };
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const free: ArrayBuffer[] = [];
  let out = 0;
  let current = new Uint8Array(SLAB);
  let filled = 0;
  let waiting: (() => void) | undefined;
  let final: ((d: string) => void) | undefined;
  let failed: Error | undefined;
  worker.on('message', (m: { buf: ArrayBuffer; len: number } | string) => {
    if (typeof m === 'string') return final?.(m);
    out--;
    free.push(m.buf);
    if (waiting && out <= MAX_OUT / 2) {
      const w = waiting;
      waiting = undefined;
      w();
    }
  });
  worker.on('error', (e) => {
    failed = e;
    waiting?.();
  });
  const send = () => {
    if (filled === 0) return;
    const buf = current.buffer as ArrayBuffer;
    worker.postMessage({ buf, len: filled }, [buf]);
    out++;
    const next = free.pop();
    current = next ? new Uint8Array(next) : new Uint8Array(SLAB);
    filled = 0;
  };
  return {
    update(chunk) {
      if (failed) throw failed;
      let from = 0;
      while (from < chunk.length) {
        const n = Math.min(chunk.length - from, SLAB - filled);
        current.set(chunk.subarray(from, from + n), filled);
        filled += n;
        from += n;
        if (filled === SLAB) send();
      }
      if (out <= MAX_OUT) return;
      return new Promise<void>((resolve) => (waiting = resolve));
    },
    digest() {
      send();
      return new Promise<string>((resolve, reject) => {
        if (failed) return reject(failed);
        final = (d) => {
          void worker.terminate();
          resolve(d);
        };
        worker.once('error', reject);
        worker.postMessage(null);
      });
    },
  };
}
