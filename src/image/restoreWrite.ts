// The output pass of restore: residual records in order → the tar, with each reference replaced by its
// spooled package file; hashed on the way. Headers of entries whose file changed size (upgrades) are
// rewritten; entries whose file the new build lacks are dropped.

import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { ResidualFormatError, VerificationError } from '../errors.ts';
import type { Progress } from '../util/progress.ts';
import { createStreamHasher } from './hashWorker.ts';
import { rewriteEntrySize } from './headerRewrite.ts';
import { readResidual } from './residualReader.ts';
import { refKey, type SpooledFile } from './spool.ts';

export interface WriteResult {
  sha256: string;
  size: number;
  /** What the residual's END record says the original image was. */
  original: { sha256: string; size: number };
}

async function put(out: Writable, chunk: Uint8Array): Promise<void> {
  if (!out.write(chunk)) {
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

export async function writeImage(residualPath: string, spool: Map<string, SpooledFile>, out: Writable, progress?: Progress, totalHint = 0): Promise<WriteResult> {
  const h = createStreamHasher(totalHint);
  let size = 0;
  const emit = async (chunk: Uint8Array) => {
    const waiting = h.update(chunk);
    size += chunk.length;
    await put(out, chunk);
    await waiting;
  };
  let held: Uint8Array | undefined; // the last HDR, emitted once we know whether its file changed size
  let skip = 0; // bytes of original padding to leave out after a dropped or resized file
  let original: WriteResult['original'] | undefined;
  progress?.start('restoring', totalHint, 'bytes');
  for await (const rec of readResidual(residualPath)) {
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
        if (file.size !== rec.size) {
          await emit(rewriteEntrySize(header, file.size));
          await copyFile(file.file, file.size, emit);
          const pad = (512 - (file.size % 512)) % 512;
          await emit(ZEROS.subarray(0, pad));
          skip = (512 - (rec.size % 512)) % 512; // the original padding no longer fits
          break;
        }
        await emit(header);
        await copyFile(file.file, file.size, emit);
        break;
      }
      case 'end':
        original = { sha256: rec.sha256, size: rec.size };
        break;
    }
    progress?.update(size);
  }
  progress?.done();
  if (held) await emit(held);
  if (!original) throw new ResidualFormatError('residual is truncated (no end record)');
  return { sha256: await h.digest(), size, original };
}

async function copyFile(path: string, expected: number, emit: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    n += chunk.length;
    await emit(chunk);
  }
  if (n !== expected) throw new VerificationError(`spooled file ${path} has ${n} bytes, expected ${expected}`);
}
