// sha256 of a byte stream on another core: decompose and restore each hash the whole image while the
// main thread hashes files, reads and writes; a worker keeps the image's hash off the main thread. The
// worker is plain JavaScript evaluated from a string, so it works the same from the .ts sources and from
// the single-file bundle (dist/cli.js), with nothing to locate on disk.

import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const h = createHash('sha256');
parentPort.on('message', (m) => {
  if (m === null) parentPort.postMessage(h.digest('hex'));
  else {
    h.update(m);
    parentPort.postMessage(m.length);
  }
});
`;

export interface StreamHasher {
  /** Copies `chunk` (the caller may reuse its buffer). Await the answer when there is one: the worker is behind. */
  update(chunk: Uint8Array): void | Promise<void>;
  digest(): Promise<string>;
}

/** A hasher on a worker thread; below `minBytes` of expected input an in-thread hash is cheaper. */
export function createStreamHasher(expectedBytes: number, minBytes = 64 << 20): StreamHasher {
  if (expectedBytes < minBytes) {
    const h = createHash('sha256');
    return { update: (c) => void h.update(c), digest: async () => h.digest('hex') };
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  // Bytes posted but not hashed yet: past MAX_IN_FLIGHT the caller waits, so memory stays bounded.
  const MAX_IN_FLIGHT = 32 << 20;
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  let final: ((d: string) => void) | undefined;
  let failed: Error | undefined;
  worker.on('message', (m: number | string) => {
    if (typeof m === 'string') return final?.(m);
    inFlight -= m;
    if (waiting && inFlight <= MAX_IN_FLIGHT / 2) {
      const w = waiting;
      waiting = undefined;
      w();
    }
  });
  worker.on('error', (e) => {
    failed = e;
    waiting?.();
  });
  const post = (buf: Uint8Array) => {
    inFlight += buf.length;
    worker.postMessage(buf, [buf.buffer as ArrayBuffer]);
  };
  const backpressure = (): void | Promise<void> => {
    if (failed) throw failed;
    if (inFlight <= MAX_IN_FLIGHT) return;
    return new Promise<void>((resolve) => (waiting = resolve));
  };
  // Small chunks are batched: one message per ~1 MiB keeps the messaging overhead negligible.
  let batch: Uint8Array[] = [];
  let batched = 0;
  const flush = () => {
    if (batched === 0) return;
    const buf = new Uint8Array(batched);
    let off = 0;
    for (const b of batch) {
      buf.set(b, off);
      off += b.length;
    }
    post(buf);
    batch = [];
    batched = 0;
  };
  return {
    update(chunk) {
      if (chunk.length === 0) return;
      if (chunk.length >= 1 << 20) {
        flush();
        post(new Uint8Array(chunk));
        return backpressure();
      }
      batch.push(new Uint8Array(chunk));
      batched += chunk.length;
      if (batched >= 1 << 20) flush();
      return backpressure();
    },
    digest() {
      flush();
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
