// Entry point of a restore worker thread (spoolWorkers.ts starts it): extracts the referenced files of one
// build per message — inflate, cpio, copy — off the main thread, which is left to write the image. Its
// garbage (payload chunks, cpio entries) is collected on this thread's heap, not the writer's.
// Memory mode: the files go into one ArrayBuffer sized from the header, transferred back (not copied).
// Disk mode: appended to the build's spool file with synchronous writes (this thread has nothing else to do).

import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { YumvaultError } from '../errors.ts';
import { openPayloadFiles } from './payloadFiles.ts';
import { placeBuild } from './place.ts';
import { batchedSpoolFile, extractContents, wantedContents, type SpoolSink, type SpooledFile } from './spool.ts';
import type { PlaceAnswer, PlaceJob, WorkerAnswer, WorkerJob, WorkerRef } from './spoolWorkers.ts';

const BATCH = 1 << 20;
const batch = Buffer.allocUnsafeSlow(BATCH);

async function run(msg: WorkerJob): Promise<{ answer: WorkerAnswer; transfer: ArrayBuffer[] }> {
  const logs: string[] = [];
  const p = await openPayloadFiles(msg.rpmPath, { whole: true });
  const spool = batchedSpoolFile(msg.spoolFile, batch);
  try {
    const wanted = wantedContents(msg.job, p.files, msg.needs, (l) => logs.push(l));
    // Memory mode: files seen whole in a payload inflated in one piece stay views of it (no copy; the
    // payload's buffer is transferred); anything else is copied into one buffer sized from the header.
    let memory: Buffer | undefined;
    let used = 0;
    const whole = msg.inMemory && p.whole && p.whole.buffer.byteLength >= 64 << 10 ? p.whole : undefined;
    const allocate = () => {
      const sizes = new Map<string, number>();
      for (const f of p.files) if (f.digest) sizes.set(f.digest.toLowerCase(), f.size);
      let total = 0;
      for (const d of wanted.keys()) total += sizes.get(d) ?? 0;
      return Buffer.from(new ArrayBuffer(total));
    };
    if (msg.inMemory && !whole) memory = allocate();
    let wholeUsed = false;
    const sink: SpoolSink = {
      file: msg.spoolFile,
      slot(size) {
        if (msg.inMemory && !memory) memory = allocate();
        if (!memory || used + size > memory.length) return undefined;
        const s = memory.subarray(used, used + size);
        used += size;
        return s;
      },
      adopt: whole
        ? (chunk) => {
            if (chunk.buffer !== whole.buffer) return undefined;
            wholeUsed = true;
            return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
          }
        : undefined,
      append: spool.append,
    };
    const got = await extractContents(msg.job, p.files, p.payload, wanted, sink, new Map<string, SpooledFile>());
    spool.finish();
    const refs: WorkerRef[] = [];
    for (const [key, f] of got) {
      if (!f.data) refs.push([key, f.offset, f.size, 0]);
      else if (f.data.buffer === whole?.buffer) refs.push([key, f.data.byteOffset, f.size, 2]);
      else refs.push([key, f.data.byteOffset, f.size, 1]);
    }
    const copied = memory?.buffer as ArrayBuffer | undefined;
    const wholeBuffer = wholeUsed ? (whole!.buffer as ArrayBuffer) : undefined;
    const transfer = [copied, wholeBuffer].filter((b): b is ArrayBuffer => b !== undefined);
    return { answer: { ok: true, refs, logs, buffer: copied, whole: wholeBuffer }, transfer };
  } finally {
    spool.close();
    p.close();
  }
}

/** Restore in place (place.ts): the build's files go straight to their offsets in the output file. */
async function place(msg: PlaceJob): Promise<{ answer: PlaceAnswer; transfer: ArrayBuffer[] }> {
  const fd = openSync(msg.outPath, 'r+');
  try {
    await placeBuild(msg, fd);
    return { answer: { ok: true }, transfer: [] };
  } finally {
    closeSync(fd);
  }
}

// One job at a time, in the order sent: restore in place sends a worker its next build before the current
// one is done (so that it does not idle until the main thread hears of it), and the buffers a build is read
// and inflated into are reused by the next.
let queue: Promise<unknown> = Promise.resolve();
parentPort?.on('message', (msg: WorkerJob | PlaceJob) => {
  queue = queue.then(() => handle(msg));
});

function handle(msg: WorkerJob | PlaceJob): Promise<void> {
  return ('outPath' in msg ? place(msg) : run(msg)).then(
    ({ answer, transfer }) => parentPort!.postMessage(answer, transfer),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      parentPort!.postMessage({ ok: false, error: { name: err.name, code: err instanceof YumvaultError ? err.code : undefined, message: err.message } } satisfies WorkerAnswer);
    },
  );
}
