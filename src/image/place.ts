// Restore in place: when every build is the exact one recorded and the output is a plain file, the
// residual alone fixes where each byte of the image goes (every reference keeps the size it had), so the
// output file is made at its full size up front and each build's files are written straight to their
// offsets as its payload is inflated — by the thread that inflates it (a worker, or the main thread once it
// has written the residual's own bytes between them: placeResidual.ts, placeDispatch.ts), with no spool.

import { writeSync } from 'node:fs';
import { ChecksumMismatchError } from '../errors.ts';
import type { RpmFile } from '../rpm/types.ts';
import type { PayloadFile, WholeFile } from './builds.ts';
import { nevraString } from './manifest.ts';
import { checkPkgid, openPayloadFiles } from './payloadFiles.ts';
import { hashFile } from '../util/hashFile.ts';
import { lacksContent, longerThanHeader, type RefNeed, type SpoolJob } from './spool.ts';
import type { PlaceJob } from './spoolWorkers.ts';

/** Writes all of `chunk` at `position` of `fd`. */
export function writeAllAt(fd: number, chunk: Uint8Array, position: number): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done, position + done);
}

/**
 * Writes the files `needs` asks of one exact build (by content digest) at every offset the residual gave
 * them. The build was verified whole against the manifest's pkgid, so a file's digest needs no second
 * check; its size is checked, since a wrong size would shift the bytes of others. `payload` is streamed, or
 * (a payload inflated whole) walked in memory.
 */
export async function placeContents(job: SpoolJob, files: readonly RpmFile[], payload: AsyncIterable<PayloadFile> | Iterable<WholeFile>, needs: readonly RefNeed[], fd: number): Promise<void> {
  const wanted = new Map<string, RefNeed>();
  for (const n of needs) wanted.set(n.digest, n);
  /** The need this payload file answers (taken off the list), or undefined. */
  const take = (fileIndex: number): { f: RpmFile; need: RefNeed } | undefined => {
    const f = files[fileIndex];
    const digest = f?.digest.toLowerCase();
    const need = digest ? wanted.get(digest) : undefined;
    if (!f || !digest || !need) return undefined;
    wanted.delete(digest);
    if (f.size !== need.size) {
      throw new ChecksumMismatchError(`${nevraString(job.nevra)}: ${f.path} has ${f.size} bytes in its header, the residual recorded ${need.size} for that content`);
    }
    return { f, need };
  };
  const write = (f: RpmFile, need: RefNeed, chunk: Uint8Array, got: number): number => {
    if (got + chunk.length > need.size) throw longerThanHeader(job, f);
    for (const at of need.offsets) writeAllAt(fd, chunk, at + got);
    return got + chunk.length;
  };
  const check = (f: RpmFile, need: RefNeed, got: number) => {
    if (got !== need.size) throw new ChecksumMismatchError(`${nevraString(job.nevra)}: ${f.path} in its payload has ${got} bytes, its header says ${f.size}`);
  };
  if (Symbol.iterator in payload) {
    for (const entry of payload) {
      if (wanted.size === 0) break; // the rest of the payload holds nothing the image needs
      const found = take(entry.fileIndex);
      if (found) check(found.f, found.need, write(found.f, found.need, entry.data, 0));
    }
  } else {
    for await (const entry of payload) {
      if (wanted.size === 0) break;
      const found = take(entry.fileIndex);
      if (!found) continue;
      let got = 0;
      for await (const chunk of entry.body) got = write(found.f, found.need, chunk, got);
      check(found.f, found.need, got);
    }
  }
  for (const [digest, need] of wanted) {
    if (need.size === 0) continue; // nothing to write: the file was made at its full size, zero-filled
    throw lacksContent(job, digest, need.path);
  }
}

/**
 * One build of a restore in place, on the thread that calls it (a worker, or the main thread between its
 * other work): the .rpm read whole (and checked against its sha256 first when asked), its payload inflated
 * into memory this thread reuses for its next build, the files the image needs written into `fd`. A build
 * whose .rpm is to be checked and that fails is hashed whole then (its header may have been all that was
 * checked): a file that is not the build is the cause to report, not what its bytes made the reader say.
 */
export async function placeBuild(msg: PlaceJob, fd: number): Promise<void> {
  try {
    const bytes = msg.rpmBytes ? Buffer.from(msg.rpmBytes) : undefined;
    const p = await openPayloadFiles(msg.rpmPath, { whole: true, reuse: true, bytes, expectSha256: msg.expectSha256, expectHeaderSha256: msg.expectHeaderSha256 });
    try {
      await placeContents(msg.job, p.files, p.wholeFiles ?? p.payload, msg.needs, fd);
    } finally {
      p.close();
    }
  } catch (e) {
    if (msg.expectSha256) await checkWholeFile(msg.rpmPath, msg.expectSha256, e);
    throw e;
  }
}

/**
 * Throws ChecksumMismatchError naming the .rpm unless it hashes to `expectSha256`; a file that cannot even be
 * read throws `otherwise` when given (the failure being explained), else why it cannot be read.
 */
export async function checkWholeFile(rpmPath: string, expectSha256: string, otherwise?: unknown): Promise<void> {
  let digest: string;
  try {
    digest = (await hashFile(rpmPath)).digest;
  } catch (e) {
    throw otherwise ?? e;
  }
  checkPkgid(rpmPath, digest, expectSha256);
}
