// Package payload order is not tar order, so restore first extracts the files the residual references
// from each build's payload (inflated once) into a spool: one append-only file per build, each needed file
// once (content-addressed: the same bytes wanted by several paths or builds are written once), recorded
// as (spool file, offset, size). One open file per build instead of one per extracted file: an image has
// tens of thousands of small files, and per-file open/rename/close dominated the time.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumMismatchError } from '../errors.ts';
import type { RpmFile } from '../rpm/types.ts';
import type { ImageDeps } from './builds.ts';
import { nodeHashName } from './decomposePass.ts';
import { nevraString } from './manifest.ts';
import type { PlannedBuild } from './restorePlan.ts';

/** A reference of the residual: package index, original digest, original path. */
export interface RefNeed {
  digest: string;
  size: number;
  path: string;
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
}

export const refKey = (pkg: number, digest: string) => `${pkg}\0${digest}`;

/** Content already spooled (by any build), by "algo-digest": shared by the builds of one restore. */
export type SpoolIndex = Map<string, SpooledFile>;

const BATCH = 1 << 20;

/**
 * Extracts what `needs` asks of build `b` into `spoolDir`. Exact builds: by digest. Other builds (upgrade,
 * substitute): the file at each referenced path in the new build, whatever its digest now. Answers
 * refKey → spooled file; a path the new build lacks is absent from the answer.
 */
export async function spoolBuild(deps: ImageDeps, b: PlannedBuild, needs: readonly RefNeed[], spoolDir: string, index: SpoolIndex, memory: SpoolMemory, log: (line: string) => void): Promise<Map<string, SpooledFile>> {
  const pkg = await deps.openPackage(b.rpmPath);
  const out = new Map<string, SpooledFile>();
  const file = join(spoolDir, `${b.index}.spool`);
  const fh = await open(file, 'w');
  let offset = 0;
  // Data is copied into one buffer and written a MiB at a time, not a write call per file.
  const batch = Buffer.allocUnsafe(BATCH);
  let batched = 0;
  const flush = async () => {
    let done = 0;
    while (done < batched) done += (await fh.write(batch, done, batched - done)).bytesWritten;
    batched = 0;
  };
  const append = async (chunk: Uint8Array) => {
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, BATCH - batched);
      batch.set(chunk.subarray(from, from + n), batched);
      batched += n;
      from += n;
      if (batched === BATCH) await flush();
    }
  };
  try {
    // content key → the refs it serves
    const wanted = new Map<string, string[]>();
    const byPath = new Map<string, RpmFile>();
    for (const f of pkg.files) byPath.set(f.path, f);
    for (const n of needs) {
      let key = n.digest;
      if (b.choice !== 'exact') {
        const f = byPath.get(n.path);
        if (!f || !f.digest || !nodeHashName(f.digestAlgo)) {
          log(`${nevraString(b.nevra)} has no file ${n.path}: it is left out of the restored image`);
          continue;
        }
        key = f.digest.toLowerCase();
      }
      const list = wanted.get(key) ?? [];
      list.push(refKey(b.index, n.digest));
      wanted.set(key, list);
    }
    for await (const entry of pkg.payload) {
      const f = pkg.files[entry.fileIndex];
      const digest = f?.digest.toLowerCase();
      const keys = digest ? wanted.get(digest) : undefined;
      if (!f || !digest || !keys) continue;
      wanted.delete(digest);
      const contentKey = `${f.digestAlgo}-${digest}`;
      let loc = index.get(contentKey);
      if (!loc) {
        // An exact build was verified whole against the manifest's pkgid: its files need no second check.
        const h = b.choice !== 'exact' ? createHash(nodeHashName(f.digestAlgo)!) : undefined;
        const inMemory = memory.used + f.size <= memory.budget;
        const data = inMemory ? Buffer.allocUnsafe(f.size) : undefined;
        if (data) memory.used += f.size;
        const start = offset;
        let got = 0;
        for await (const chunk of entry.body) {
          h?.update(chunk);
          if (data) {
            if (got + chunk.length > f.size) throw new ChecksumMismatchError(`${nevraString(b.nevra)}: ${f.path} in its payload is longer than its header's ${f.size} bytes`);
            data.set(chunk, got);
          } else {
            offset += chunk.length;
            await append(chunk);
          }
          got += chunk.length;
        }
        const digestGot = h ? h.digest('hex') : digest;
        if (digestGot !== digest || got !== f.size) {
          throw new ChecksumMismatchError(`${nevraString(b.nevra)}: ${f.path} in its payload hashes to ${digestGot} (${got} bytes), its header says ${f.digest} (${f.size} bytes)`);
        }
        loc = data ? { file: '', offset: 0, size: f.size, data } : { file, offset: start, size: f.size };
        index.set(contentKey, loc);
      }
      for (const k of keys) out.set(k, loc);
    }
    await flush();
    for (const [digest, keys] of wanted) {
      // Empty files need no payload data.
      const f = pkg.files.find((x) => x.digest.toLowerCase() === digest);
      if (f && f.size === 0) {
        for (const k of keys) out.set(k, { file, offset: 0, size: 0 });
        continue;
      }
      throw new ChecksumMismatchError(`${nevraString(b.nevra)}: its payload lacks the file with digest ${digest} (${keys.length} reference(s)); the package is corrupt`);
    }
  } finally {
    await fh.close();
    await pkg.close();
  }
  return out;
}
