// Package payload order is not tar order, so restore first extracts the files the residual references
// from each build's payload (inflated once) into a content-addressed spool (one file per digest: the same
// bytes in several packages or paths are stored once), verifying each against its header digest.

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
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
  size: number;
}

export const refKey = (pkg: number, digest: string) => `${pkg}\0${digest}`;

/**
 * Extracts what `needs` asks of build `b` into `spoolDir`. Exact builds: by digest. Other builds (upgrade,
 * substitute): the file at each referenced path in the new build, whatever its digest now. Answers
 * refKey → spooled file; a path the new build lacks is absent from the answer.
 */
export async function spoolBuild(deps: ImageDeps, b: PlannedBuild, needs: readonly RefNeed[], spoolDir: string, log: (line: string) => void): Promise<Map<string, SpooledFile>> {
  const pkg = await deps.openPackage(b.rpmPath);
  const out = new Map<string, SpooledFile>();
  try {
    // digest → the refs it serves
    const wanted = new Map<string, string[]>();
    const byPath = new Map<string, RpmFile>();
    for (const f of pkg.files) byPath.set(f.path, f);
    for (const n of needs) {
      let digest = n.digest;
      if (b.choice !== 'exact') {
        const f = byPath.get(n.path);
        if (!f || !f.digest || !nodeHashName(f.digestAlgo)) {
          log(`${nevraString(b.nevra)} has no file ${n.path}: it is left out of the restored image`);
          continue;
        }
        digest = f.digest.toLowerCase();
      }
      const list = wanted.get(digest) ?? [];
      list.push(refKey(b.index, n.digest));
      wanted.set(digest, list);
    }
    for await (const entry of pkg.payload) {
      const f = pkg.files[entry.fileIndex];
      const keys = f ? wanted.get(f.digest.toLowerCase()) : undefined;
      if (!f || !keys || f.size === 0) continue;
      const file = join(spoolDir, `${f.digestAlgo}-${f.digest.toLowerCase()}`);
      // An exact build was verified whole against the manifest's pkgid: its files need no second check.
      if (!(await exists(file))) await writeSpooled(entry.body, file, f, b, b.choice !== 'exact');
      for (const k of keys) out.set(k, { file, size: f.size });
      wanted.delete(f.digest.toLowerCase());
    }
    for (const [digest, keys] of wanted) {
      // Empty files need no payload data.
      const f = pkg.files.find((x) => x.digest.toLowerCase() === digest);
      if (f && f.size === 0) continue;
      throw new ChecksumMismatchError(`${nevraString(b.nevra)}: its payload lacks the file with digest ${digest} (${keys.length} reference(s)); the package is corrupt`);
    }
  } finally {
    await pkg.close();
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function writeSpooled(body: AsyncIterable<Uint8Array>, file: string, f: RpmFile, b: PlannedBuild, verify: boolean): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
  const h = verify ? createHash(nodeHashName(f.digestAlgo)!) : undefined;
  const out = createWriteStream(tmp);
  let size = 0;
  try {
    for await (const chunk of body) {
      h?.update(chunk);
      size += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const got = h ? h.digest('hex') : f.digest.toLowerCase();
    if (got !== f.digest.toLowerCase() || size !== f.size) {
      throw new ChecksumMismatchError(`${nevraString(b.nevra)}: ${f.path} in its payload hashes to ${got} (${size} bytes), its header says ${f.digest} (${f.size} bytes)`);
    }
    await rename(tmp, file);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}
