// Package payload order is not tar order, so restore first extracts the files the residual references
// from each build's payload (inflated once) into a spool: one append-only file per build, each needed file
// once (content-addressed: the same bytes wanted by several paths or builds are written once), recorded
// as (spool file, offset, size). One open file per build instead of one per extracted file: an image has
// tens of thousands of small files, and per-file open/rename/close dominated the time.

import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ChecksumMismatchError } from '../errors.ts';
import type { RpmFile } from '../rpm/types.ts';
import type { ImageDeps, PayloadFile } from './builds.ts';
import { nodeHashName } from './decomposePass.ts';
import { nevraString } from './manifest.ts';
import type { PlannedBuild } from './restorePlan.ts';

/** A reference of the residual: package index, original digest, original path. */
export interface RefNeed {
  digest: string;
  size: number;
  path: string;
  /** Where the file's bytes start in the image, for each reference to it (the layout of an exact restore). */
  offsets: number[];
}

export interface SpooledFile {
  file: string;
  offset: number;
  size: number;
  /** The bytes themselves when kept in memory (within the spool's memory budget). */
  data?: Buffer;
}

/** How many bytes of extracted files may stay in memory instead of the disk spool (shared by all builds). */
export interface SpoolMemory {
  budget: number;
  used: number;
  /** The arena small files are carved from (see memorySlot). */
  arena?: { buf: Buffer; used: number };
}

/** Files are carved out of 32 MiB arenas; larger files get their own buffer. */
const ARENA = 32 << 20;
const OWN_BUFFER = 4 << 20;

/**
 * Room in memory for a file of `size` bytes, or undefined when the budget is spent. Tens of thousands of
 * small files each in its own Buffer made the garbage collector a third of restore's time (every
 * allocation counts toward V8's external-memory trigger, and each mark-compact walks them all); carving
 * them out of a few large arenas leaves it almost nothing to do.
 */
export function memorySlot(memory: SpoolMemory, size: number): Buffer | undefined {
  if (memory.used + size > memory.budget) return undefined;
  memory.used += size;
  if (size >= OWN_BUFFER) return Buffer.allocUnsafeSlow(size);
  let a = memory.arena;
  if (!a || a.buf.length - a.used < size) {
    a = memory.arena = { buf: Buffer.allocUnsafeSlow(Math.min(ARENA, Math.max(OWN_BUFFER, memory.budget - memory.used + size))), used: 0 };
  }
  const slot = a.buf.subarray(a.used, a.used + size);
  a.used += size;
  return slot;
}

/** A payload file with more bytes than its header gives it (extraction and restore in place say it alike). */
export function longerThanHeader(job: SpoolJob, f: RpmFile): ChecksumMismatchError {
  return new ChecksumMismatchError(`${nevraString(job.nevra)}: ${f.path} in its payload is longer than its header's ${f.size} bytes`);
}

/** A payload without a content the image needs; `which` tells the reader what referred to it. */
export function lacksContent(job: SpoolJob, digest: string, which: string): ChecksumMismatchError {
  return new ChecksumMismatchError(`${nevraString(job.nevra)}: its payload lacks the file with digest ${digest} (${which}); the package is corrupt`);
}

export const refKey = (pkg: number, digest: string) => `${pkg}\0${digest}`;

/** Content already spooled (by any build), by "algo-digest": shared by the builds of one restore. */
export type SpoolIndex = Map<string, SpooledFile>;

const BATCH = 1 << 20;

/** What a build is asked for: its place in the manifest, and whether it is the exact build recorded. */
export interface SpoolJob {
  index: number;
  choice: PlannedBuild['choice'];
  nevra: PlannedBuild['nevra'];
}

/**
 * Content digest → the refKeys it serves. Exact builds: by digest. Other builds (upgrade, substitute): the
 * file at each referenced path in the new build, whatever its digest now.
 */
export function wantedContents(job: SpoolJob, files: readonly RpmFile[], needs: readonly RefNeed[], log: (line: string) => void): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  const byPath = new Map<string, RpmFile>();
  if (job.choice !== 'exact') for (const f of files) byPath.set(f.path, f);
  for (const n of needs) {
    let key = n.digest;
    if (job.choice !== 'exact') {
      const f = byPath.get(n.path);
      if (!f || !f.digest || !nodeHashName(f.digestAlgo)) {
        log(`${nevraString(job.nevra)} has no file ${n.path}: it is left out of the restored image`);
        continue;
      }
      key = f.digest.toLowerCase();
    }
    const list = wanted.get(key) ?? [];
    list.push(refKey(job.index, n.digest));
    wanted.set(key, list);
  }
  return wanted;
}

/** Where extracted bytes go: a memory slot per file when there is one, else appended to `file`. */
export interface SpoolSink {
  readonly file: string;
  slot(size: number): Buffer | undefined;
  append(chunk: Uint8Array): void | Promise<void>;
  /** Keep `chunk` itself as the file's bytes (a whole file seen in one piece), if the sink can: no copy. */
  adopt?(chunk: Uint8Array): Buffer | undefined;
}

/**
 * Extracts from a build's payload the contents `wanted` names (consumed: what is left was not found) into
 * `sink`; `index` holds contents already extracted (reused, not extracted again) and gains the new ones.
 */
export async function extractContents(job: SpoolJob, files: readonly RpmFile[], payload: AsyncIterable<PayloadFile>, wanted: Map<string, string[]>, sink: SpoolSink, index: SpoolIndex): Promise<Map<string, SpooledFile>> {
  const out = new Map<string, SpooledFile>();
  let offset = 0;
  for await (const entry of payload) {
    const f = files[entry.fileIndex];
    const digest = f?.digest.toLowerCase();
    const keys = digest ? wanted.get(digest) : undefined;
    if (!f || !digest || !keys) continue;
    wanted.delete(digest);
    const contentKey = `${f.digestAlgo}-${digest}`;
    let loc = index.get(contentKey);
    if (!loc) {
      // An exact build was verified whole against the manifest's pkgid: its files need no second check.
      const h = job.choice !== 'exact' ? createHash(nodeHashName(f.digestAlgo)!) : undefined;
      // With a sink that can adopt whole pieces, the slot is asked for only when the first piece is not whole.
      let pending = sink.adopt !== undefined && f.size > 0;
      let data = pending ? undefined : sink.slot(f.size);
      let adopted = false;
      const start = offset;
      let got = 0;
      for await (const chunk of entry.body) {
        h?.update(chunk);
        if (pending) {
          pending = false;
          data = chunk.length === f.size ? sink.adopt!(chunk) : undefined;
          if (data) {
            adopted = true;
            got = chunk.length;
            continue;
          }
          data = sink.slot(f.size);
        }
        if (adopted) throw longerThanHeader(job, f);
        if (data) {
          if (got + chunk.length > f.size) throw longerThanHeader(job, f);
          data.set(chunk, got);
        } else {
          offset += chunk.length;
          await sink.append(chunk);
        }
        got += chunk.length;
      }
      const digestGot = h ? h.digest('hex') : digest;
      if (digestGot !== digest || got !== f.size) {
        throw new ChecksumMismatchError(`${nevraString(job.nevra)}: ${f.path} in its payload hashes to ${digestGot} (${got} bytes), its header says ${f.digest} (${f.size} bytes)`);
      }
      loc = data ? { file: '', offset: 0, size: f.size, data } : { file: sink.file, offset: start, size: f.size };
      index.set(contentKey, loc);
    }
    for (const k of keys) out.set(k, loc);
  }
  for (const [digest, keys] of wanted) {
    // Empty files need no payload data.
    const f = files.find((x) => x.digest.toLowerCase() === digest);
    if (f && f.size === 0) {
      for (const k of keys) out.set(k, { file: sink.file, offset: 0, size: 0 });
      continue;
    }
    throw lacksContent(job, digest, `${keys.length} reference(s)`);
  }
  return out;
}

/**
 * A spool file written through a 1 MiB batch: data is copied together and written a MiB at a time, not a
 * write call per file. Synchronous: on worker threads, which have nothing else to do, and on the main
 * thread only for injected dependencies. Opened on the first append; `finish` writes the rest and makes
 * sure the file exists (references to empty files name it even when nothing was appended).
 */
export function batchedSpoolFile(path: string, batch: Buffer): { append(chunk: Uint8Array): void; finish(): void; close(): void } {
  let fd: number | undefined;
  let batched = 0;
  const flush = () => {
    fd ??= openSync(path, 'w');
    let done = 0;
    while (done < batched) done += writeSync(fd, batch, done, batched - done);
    batched = 0;
  };
  return {
    append(chunk) {
      let from = 0;
      while (from < chunk.length) {
        const n = Math.min(chunk.length - from, batch.length - batched);
        batch.set(chunk.subarray(from, from + n), batched);
        batched += n;
        from += n;
        if (batched === batch.length) flush();
      }
    },
    finish: flush,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * Extracts what `needs` asks of build `b` into `spoolDir`, on this thread (spoolWorkers.ts does the same
 * on worker threads). Answers refKey → spooled file; a path the new build lacks is absent from the answer.
 */
export async function spoolBuild(deps: ImageDeps, b: PlannedBuild, needs: readonly RefNeed[], spoolDir: string, index: SpoolIndex, memory: SpoolMemory, log: (line: string) => void): Promise<Map<string, SpooledFile>> {
  const pkg = await deps.openPackage(b.rpmPath);
  const file = join(spoolDir, `${b.index}.spool`);
  const out = batchedSpoolFile(file, Buffer.allocUnsafe(BATCH));
  const sink: SpoolSink = { file, slot: (size) => memorySlot(memory, size), append: out.append };
  try {
    const got = await extractContents(b, pkg.files, pkg.payload, wantedContents(b, pkg.files, needs, log), sink, index);
    out.finish();
    return got;
  } finally {
    out.close();
    await pkg.close();
  }
}
