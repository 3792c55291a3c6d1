// The first (for a restore in place, the only) pass over residual.zst: checked against the manifest, its
// references collected per package with the offset each one has in the image, and — when asked — every
// byte the residual itself holds handed over with its offset (restore in place writes them right away).

import { join } from 'node:path';
import { ManifestError, ResidualFormatError } from '../errors.ts';
import { RESIDUAL_FILE, type Manifest } from './manifest.ts';
import { hashFile } from '../util/hashFile.ts';
import { hashingTap } from '../util/hashingTap.ts';
import { readResidualBatches } from './residualReader.ts';
import type { ResidualRecord } from './residualFormat.ts';
import type { RefNeed } from './spool.ts';

/** A stretch of the image, in order: a run of references to one package, or a long run of zeros. */
export type ImageSpan = { kind: 'pkg'; pkg: number; offset: number } | { kind: 'zeros'; offset: number; size: number };

export interface ResidualScan {
  /**
   * Package index → what the image needs of it (each content once, with all its offsets). In the order of
   * each package's first reference: builds fetched in that order hold up the image's completion least.
   */
  needs: Map<number, RefNeed[]>;
  /** The references and long zero runs in image order (consecutive references to one package are one span). */
  spans: ImageSpan[];
  size: number;
}

/** Bytes a package's references take in the image (each content at each of its offsets). */
export function referencedBytes(needs: readonly RefNeed[]): number {
  return needs.reduce((n, x) => n + x.size * x.offsets.length, 0);
}

/** Zero runs above this size are reported as spans (for the in-place writer, holes) rather than as bytes. */
export const LONG_ZEROS = 64 << 10;

/**
 * Reads the residual of `dir` once. `onBytes`, if given, receives the residual's own bytes (headers, inline
 * data, padding and zero runs up to LONG_ZEROS) with their image offsets.
 */
export async function scanResidual(dir: string, manifest: Manifest, onBytes?: (bytes: Uint8Array, offset: number) => void): Promise<ResidualScan> {
  const residualPath = join(dir, RESIDUAL_FILE);
  // The file is hashed as it is read for decoding (one read, not two) and checked against the manifest at
  // the end; when reading fails first, its hash decides what is reported: a residual that is not the
  // manifest's says so, whatever its bytes made the decoder say.
  const tap = hashingTap();
  const mismatch = async (): Promise<ResidualFormatError | undefined> => {
    const { digest, size } = await hashFile(residualPath).catch((e: Error) => {
      throw new ResidualFormatError(`cannot read ${residualPath}: ${e.message}`);
    });
    return digest === manifest.residual.sha256 && size === manifest.residual.size ? undefined : mismatchError(residualPath, manifest, digest, size);
  };
  let scan: ResidualScan;
  try {
    scan = await scanRecords(readResidualBatches(residualPath, tap), manifest, dir, onBytes);
  } catch (e) {
    throw (await mismatch()) ?? e;
  }
  if (tap.sha256() !== manifest.residual.sha256 || tap.size() !== manifest.residual.size) throw mismatchError(residualPath, manifest, tap.sha256(), tap.size());
  return scan;
}

function mismatchError(residualPath: string, manifest: Manifest, digest: string, size: number): ResidualFormatError {
  return new ResidualFormatError(`${residualPath} does not match the manifest (sha256 ${digest}, ${size} bytes; the manifest says ${manifest.residual.sha256}, ${manifest.residual.size} bytes)`);
}

async function scanRecords(batches: AsyncIterable<ResidualRecord[]>, manifest: Manifest, dir: string, onBytes?: (bytes: Uint8Array, offset: number) => void): Promise<ResidualScan> {
  const needs = new Map<number, Map<string, RefNeed>>();
  const spans: ImageSpan[] = [];
  let last: ImageSpan | undefined;
  let pos = 0;
  const zeros = onBytes ? new Uint8Array(LONG_ZEROS) : undefined;
  for await (const batch of batches) {
    for (const rec of batch) {
      switch (rec.op) {
        case 'ref': {
          if (rec.pkg >= manifest.packages.length) throw new ResidualFormatError(`residual references package #${rec.pkg}; the manifest lists ${manifest.packages.length}`);
          let m = needs.get(rec.pkg);
          if (!m) needs.set(rec.pkg, (m = new Map()));
          const need = m.get(rec.digest);
          if (need) need.offsets.push(pos);
          else m.set(rec.digest, { digest: rec.digest, size: rec.size, path: rec.path, offsets: [pos] });
          if (last?.kind !== 'pkg' || last.pkg !== rec.pkg) spans.push((last = { kind: 'pkg', pkg: rec.pkg, offset: pos }));
          pos += rec.size;
          break;
        }
        case 'hdr':
        case 'raw':
          onBytes?.(rec.bytes, pos);
          pos += rec.bytes.length;
          break;
        case 'zero':
          if (rec.size > LONG_ZEROS) spans.push((last = { kind: 'zeros', offset: pos, size: rec.size }));
          else if (rec.size > 0) onBytes?.(zeros!.subarray(0, rec.size), pos);
          pos += rec.size;
          break;
        case 'end':
          if (rec.sha256 !== manifest.image.sha256 || rec.size !== manifest.image.size) {
            throw new ManifestError(`${join(dir, 'manifest.json')} belongs to another image than the residual (image sha256 ${manifest.image.sha256}, the residual's is ${rec.sha256})`);
          }
          if (pos !== rec.size) throw new ResidualFormatError(`residual is corrupt: its records make ${pos} bytes, its end record says the image has ${rec.size}`);
          break;
      }
    }
  }
  return { needs: new Map([...needs].map(([k, v]) => [k, [...v.values()]])), spans, size: pos };
}
