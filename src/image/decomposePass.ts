// The one streaming pass of decompose: walks the plain tar block by block, hashes the whole image, and
// writes the residual: every header verbatim, every regular file whose bytes hash to the digest a found
// package's header lists for that path as a reference, everything else inline.

import { createHash, type Hash } from 'node:crypto';
import { createStreamHasher } from './hashWorker.ts';
import type { DigestAlgo, RpmFile } from '../rpm/types.ts';
import { FileFlags, NODE_HASH_NAMES } from '../rpm/types.ts';
import type { Progress } from '../util/progress.ts';
import { ResidualWriter } from './residualWriter.ts';
import { normalizeTarPath, withTarFile } from './tar.ts';

/** A file of a found package that an image file may be replaced by. */
export interface Candidate {
  pkg: number;
  path: string;
  digest: string;
  algo: DigestAlgo;
  size: number;
}

export function nodeHashName(algo: DigestAlgo): string | undefined {
  return NODE_HASH_NAMES[algo];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Path (normalized, no leading "/") → the files of found packages at that path that can stand for image bytes. */
export function candidateIndex(packages: readonly { files: readonly RpmFile[] }[]): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  packages.forEach((p, pkg) => {
    for (const f of p.files) {
      if (!f.digest || (f.mode & S_IFMT) !== S_IFREG || f.flags & FileFlags.GHOST || !nodeHashName(f.digestAlgo)) continue;
      const key = normalizeTarPath(f.path);
      const list = index.get(key);
      const c: Candidate = { pkg, path: f.path, digest: f.digest.toLowerCase(), algo: f.digestAlgo, size: f.size };
      if (list) list.push(c);
      else index.set(key, [c]);
    }
  });
  return index;
}

export interface PassResult {
  sha256: string;
  size: number;
  entries: number;
  filesReferenced: number;
  bytesReferenced: number;
  bytesInline: number;
  /** Per package index: files and bytes referenced. */
  perPackage: Map<number, { files: number; bytes: number }>;
}

/**
 * The candidates for a tar file at `path`: the package files at that path, and at the paths of later
 * hardlink entries to it (GNU tar stores the data under the first name it meets, which may be a link the
 * image added to a package file).
 */
function candidatesFor(index: Map<string, Candidate[]>, hardlinks: ReadonlyMap<string, string[]>, path: string): Candidate[] | undefined {
  const key = normalizeTarPath(path);
  const direct = index.get(key);
  const links = hardlinks.get(key);
  if (!links) return direct;
  return [...(direct ?? []), ...links.flatMap((l) => index.get(l) ?? [])];
}

export async function decomposePass(tarPath: string, index: Map<string, Candidate[]>, hardlinks: ReadonlyMap<string, string[]>, writer: ResidualWriter, progress?: Progress): Promise<PassResult> {
  return withTarFile(tarPath, async (walker) => {
    const image = createStreamHasher(walker.size);
    const perPackage = new Map<number, { files: number; bytes: number }>();
    let entries = 0;
    let filesReferenced = 0;
    let bytesReferenced = 0;
    progress?.start('decomposing', walker.size, 'bytes');
    for (;;) {
      const e = await walker.next();
      if (!e) break;
      entries++;
      await image.update(e.header);
      await writer.header(e.header);
      const candidates = e.kind === 'file' && e.dataSize > 0 ? candidatesFor(index, hardlinks, e.path)?.filter((c) => c.size === e.dataSize) : undefined;
      let matched: Candidate | undefined;
      if (candidates && candidates.length > 0) {
        const hashers = new Map<string, Hash>();
        for (const c of candidates) if (!hashers.has(c.algo)) hashers.set(c.algo, createHash(nodeHashName(c.algo)!));
        await walker.readData(e, async (chunk) => {
          const waiting = image.update(chunk);
          for (const h of hashers.values()) h.update(chunk);
          await waiting;
        });
        const digests = new Map([...hashers].map(([algo, h]) => [algo, h.digest('hex')]));
        matched = candidates.find((c) => digests.get(c.algo) === c.digest);
        if (matched) {
          await writer.ref(matched.pkg, e.dataSize, matched.digest, matched.path);
          filesReferenced++;
          bytesReferenced += e.dataSize;
          const pp = perPackage.get(matched.pkg) ?? { files: 0, bytes: 0 };
          pp.files++;
          pp.bytes += e.dataSize;
          perPackage.set(matched.pkg, pp);
        } else {
          // Modified file of the same size: read it again (from the page cache) into the residual.
          await walker.readData(e, (chunk) => writer.raw(chunk));
        }
      } else if (e.dataSize > 0) {
        await walker.readData(e, async (chunk) => {
          await image.update(chunk);
          await writer.raw(chunk);
        });
      }
      if (e.paddingSize > 0) {
        const padding = await walker.readPadding(e);
        await image.update(padding);
        await writer.rawOrZero(padding);
      }
      progress?.update(e.dataOffset + e.dataSize + e.paddingSize);
    }
    await walker.readTrailer(async (chunk) => {
      await image.update(chunk);
      await writer.rawOrZero(chunk);
    });
    const sha256 = await image.digest();
    await writer.end(walker.size, sha256);
    progress?.done();
    return { sha256, size: walker.size, entries, filesReferenced, bytesReferenced, bytesInline: writer.inlineBytes, perPackage };
  });
}
