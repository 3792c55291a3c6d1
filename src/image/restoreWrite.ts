// The output pass of restore: residual records in order → the tar, with each reference replaced by its
// spooled package file; hashed on the way. Headers of entries whose file changed size (upgrades) are
// rewritten; entries whose file the new build lacks are dropped.

import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ResidualFormatError, VerificationError } from '../errors.ts';
import type { Progress } from '../util/progress.ts';
import { createStreamHasher } from './hashWorker.ts';
import { rewriteEntrySize } from './headerRewrite.ts';
import { readResidual } from './residualReader.ts';
import type { ResidualRecord } from './residualFormat.ts';
import { refKey, type SpooledFile } from './spool.ts';

export interface WriteResult {
  sha256: string;
  size: number;
  /** What the residual's END record says the original image was. */
  original: { sha256: string; size: number };
}

async function put(out: Writable, chunk: Uint8Array, written?: () => void): Promise<void> {
  if (!out.write(chunk, written && ((e) => void (e ? undefined : written())))) {
    await new Promise<void>((resolve, reject) => {
      const ok = () => {
        out.off('error', bad);
        resolve();
      };
      const bad = (e: Error) => {
        out.off('drain', ok);
        reject(e);
      };
      out.once('drain', ok);
      out.once('error', bad);
    });
  }
}

const ZEROS = new Uint8Array(64 << 10);

/**
 * `reuseBuffers`: `out` is a file stream, whose write callback means the bytes are in the file, so
 * written batches may be reused (not so for a stream that passes buffers on, like a compressor's input).
 */
export async function writeImage(residualPath: string, spool: Map<string, SpooledFile>, out: Writable, progress?: Progress, totalHint = 0, reuseBuffers = false): Promise<WriteResult> {
  const h = createStreamHasher(totalHint);
  let size = 0;
  const write = async (chunk: Uint8Array, written?: () => void) => {
    const waiting = h.update(chunk);
    await put(out, chunk, written);
    await waiting;
  };
  // Headers, padding and small files are gathered into 1 MiB writes. The stream keeps each buffer until
  // it is written; then the buffer returns to a small pool instead of being garbage.
  const pool: Buffer[] = [];
  let batch: Buffer = Buffer.allocUnsafe(BATCH);
  let batched = 0;
  const flush = async () => {
    if (batched === 0) return;
    const owner = batch;
    const full = batch.subarray(0, batched);
    batch = pool.pop() ?? Buffer.allocUnsafe(BATCH);
    batched = 0;
    await write(
      full,
      reuseBuffers
        ? () => {
            if (pool.length < 16) pool.push(owner);
          }
        : undefined,
    );
  };
  const emit = async (chunk: Uint8Array) => {
    size += chunk.length;
    if (chunk.length > BATCH - batched) {
      await flush();
      if (chunk.length >= BATCH / 2) return write(chunk);
    }
    batch.set(chunk, batched);
    batched += chunk.length;
  };
  const handles = new Map<string, Promise<FileHandle>>();
  const spoolHandle = (path: string): Promise<FileHandle> => {
    let fh = handles.get(path);
    if (!fh) {
      fh = open(path, 'r');
      handles.set(path, fh);
    }
    return fh;
  };
  let held: Uint8Array | undefined; // the last HDR, emitted once we know whether its file changed size
  let skip = 0; // bytes of original padding to leave out after a dropped or resized file
  let original: WriteResult['original'] | undefined;
  progress?.start('restoring', totalHint, 'bytes');
  // Read-ahead: spooled files of the next references are read while earlier records are written (one
  // positioned read per small file; sequential awaits made the pass wait on the disk per file).
  const window: { rec: ResidualRecord; data?: Promise<Uint8Array> }[] = [];
  let windowBytes = 0;
  const readSmall = async (f: SpooledFile): Promise<Uint8Array> => {
    const fh = await spoolHandle(f.file);
    const buf = Buffer.allocUnsafe(f.size);
    let done = 0;
    while (done < f.size) {
      const { bytesRead } = await fh.read(buf, done, f.size - done, f.offset + done);
      if (bytesRead === 0) throw new VerificationError(`the spool ends inside a file (${f.size} bytes at ${f.offset} of ${f.file})`);
      done += bytesRead;
    }
    return buf;
  };
  const handle = async (rec: ResidualRecord, data: Promise<Uint8Array> | undefined) => {
    if (rec.op !== 'ref' && held) {
      await emit(held);
      held = undefined;
    }
    switch (rec.op) {
      case 'hdr':
        held = rec.bytes;
        skip = 0;
        break;
      case 'raw': {
        const cut = Math.min(skip, rec.bytes.length);
        skip -= cut;
        await emit(rec.bytes.subarray(cut));
        break;
      }
      case 'zero': {
        const cut = Math.min(skip, rec.size);
        skip -= cut;
        let left = rec.size - cut;
        while (left > 0) {
          const n = Math.min(left, ZEROS.length);
          await emit(ZEROS.subarray(0, n));
          left -= n;
        }
        break;
      }
      case 'ref': {
        const file = spool.get(refKey(rec.pkg, rec.digest));
        const header = held;
        held = undefined;
        if (!header) throw new ResidualFormatError('residual is corrupt: a file reference without its header');
        if (!file) {
          // Only upgrades leave references unresolved (the new build lacks the path): drop the entry.
          skip = (512 - (rec.size % 512)) % 512;
          break;
        }
        const resized = file.size !== rec.size;
        await emit(resized ? rewriteEntrySize(header, file.size) : header);
        if (file.data) await emit(file.data);
        else if (data) await emit(await data);
        else await copyRange(await spoolHandle(file.file), file, emit);
        if (resized) {
          await emit(ZEROS.subarray(0, (512 - (file.size % 512)) % 512));
          skip = (512 - (rec.size % 512)) % 512; // the original padding no longer fits
        }
        break;
      }
      case 'end':
        original = { sha256: rec.sha256, size: rec.size };
        break;
    }
    progress?.update(size);
  };
  try {
    for await (const rec of readResidual(residualPath)) {
      let data: Promise<Uint8Array> | undefined;
      if (rec.op === 'ref') {
        const f = spool.get(refKey(rec.pkg, rec.digest));
        if (f && !f.data && f.size <= SMALL) {
          data = readSmall(f);
          data.catch(() => {}); // awaited in order below; a failure surfaces there
          windowBytes += f.size;
        }
      }
      window.push({ rec, data });
      while (window.length > 256 || windowBytes > WINDOW_BYTES) {
        const item = window.shift()!;
        if (item.data) windowBytes -= (item.rec as { size: number }).size;
        await handle(item.rec, item.data);
      }
    }
    for (const item of window) await handle(item.rec, item.data);
    if (held) await emit(held);
    await flush();
  } finally {
    progress?.done();
    await Promise.all([...handles.values()].map((fh) => fh.then((h) => h.close(), () => {})));
  }
  if (!original) throw new ResidualFormatError('residual is truncated (no end record)');
  return { sha256: await h.digest(), size, original };
}

const BATCH = 1 << 20;
const READ = 4 << 20;
const SMALL = 1 << 20;
const WINDOW_BYTES = 16 << 20;

/** A spooled file's bytes, read in fresh buffers (the output stream keeps what it is given). */
async function copyRange(fh: FileHandle, f: SpooledFile, emit: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  let done = 0;
  while (done < f.size) {
    const buf = Buffer.allocUnsafe(Math.min(READ, f.size - done));
    const { bytesRead } = await fh.read(buf, 0, buf.length, f.offset + done);
    if (bytesRead === 0) throw new VerificationError(`the spool ends inside a file (${f.size} bytes at ${f.offset} of ${f.file})`);
    done += bytesRead;
    await emit(buf.subarray(0, bytesRead));
  }
}
