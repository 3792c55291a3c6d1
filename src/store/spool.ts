// Spooling a blob to a verified temp file: the bytes are hashed while written, checked against what the
// caller expects, and fsynced; only then may a store make them visible (rename, or upload). On any
// failure the temp file is gone. Temp names carry the writer's pid and start token (pid.ts) so a later
// start can remove a crashed writer's leftovers.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ChecksumMismatchError, StorageError } from '../errors.ts';
import type { PutExpectation } from './blobStore.ts';
import { isLiveWriter, PROCESS_TOKEN } from './pid.ts';

export interface SpooledBlob {
  path: string;
  sha256: string;
  size: number;
}

export async function spoolVerified(
  source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  expect: PutExpectation,
  tmpDir: string,
): Promise<SpooledBlob> {
  const tmp = join(tmpDir, `${process.pid}.${PROCESS_TOKEN}.${randomBytes(8).toString('hex')}.tmp`);
  const out = createWriteStream(tmp, { mode: 0o644 });
  // One listener for the stream's whole life: an error after destroy() (a write still in flight when the
  // source failed) must not surface as an unhandled 'error' event; others are rethrown below.
  let streamError: Error | undefined;
  out.on('error', (e) => (streamError ??= e));
  const hash = createHash('sha256');
  let size = 0;
  try {
    await once(out, 'open');
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
      if (expect.size !== undefined && size > expect.size) throw new ChecksumMismatchError(`blob is larger than the expected ${expect.size} bytes`);
      // events.once removes its listeners when it settles: no 'error' listener piles up per wait.
      if (!out.write(chunk)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    if (streamError) throw streamError;
    const sha256 = hash.digest('hex');
    if (expect.size !== undefined && size !== expect.size) throw new ChecksumMismatchError(`blob has ${size} bytes, expected ${expect.size}`);
    if (expect.sha256 !== undefined && sha256 !== expect.sha256) throw new ChecksumMismatchError(`blob sha256 is ${sha256}, expected ${expect.sha256}`);
    const fh = await open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { path: tmp, sha256, size };
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    if (e instanceof ChecksumMismatchError) throw e;
    if ((e as NodeJS.ErrnoException).syscall) throw new StorageError(`cannot store blob: ${(e as Error).message}`, { cause: e });
    throw e;
  }
}

/** Removes temp files whose writer no longer runs. */
export async function removeStaleSpools(tmpDir: string): Promise<void> {
  for (const name of await readdir(tmpDir)) {
    const [pid, token] = name.split('.');
    if (Number.isInteger(Number(pid)) && token && isLiveWriter(Number(pid), token)) continue;
    await rm(join(tmpDir, name), { force: true });
  }
}
