// The main thread's part of a restore in place (place.ts): the residual's own bytes — tar headers,
// padding, files no package provides — written at their offsets as the residual is scanned, before any
// build is; then the image is followed in order, waiting at each package's references for that build to be
// written, so that everything before is complete: that is how far the file hasher may read.

import type { FileHasher } from './fileHasher.ts';
import { writeAllAt } from './place.ts';
import type { ImageSpan } from './residualScan.ts';

const BATCH = 1 << 20;

/** Gaps up to this size between two puts are written over with zeros rather than starting another write. */
const GAP = 64 << 10;

/**
 * Gathers bytes put in increasing offsets into 1 MiB positioned writes. Between a tar header and the next
 * lies a package file: a gap of up to GAP is filled with zeros and written along — the package files are
 * written after the scan, over them — so that tens of thousands of headers cost tens of writes, not a
 * write each (and the workers later write into file pages that already exist).
 */
export function positionedWriter(fd: number): { put(bytes: Uint8Array, offset: number): void; flush(): void } {
  const batch = Buffer.allocUnsafe(BATCH);
  let batched = 0;
  let start = 0;
  const flush = () => {
    if (batched > 0) writeAllAt(fd, batch.subarray(0, batched), start);
    batched = 0;
  };
  return {
    put(bytes, offset) {
      const gap = offset - (start + batched);
      if (batched > 0 && gap > 0 && gap <= GAP && gap + bytes.length <= BATCH - batched) {
        batch.fill(0, batched, batched + gap);
        batched += gap;
      }
      if (offset !== start + batched || bytes.length > BATCH - batched) flush();
      if (bytes.length >= BATCH / 2) return writeAllAt(fd, bytes, offset);
      if (batched === 0) start = offset;
      batch.set(bytes, batched);
      batched += bytes.length;
    },
    flush,
  };
}

/** The hasher is told to read on in steps of at least this much. */
const ADVANCE = 4 << 20;

/**
 * Walks the image's spans in order, feeding `hasher` everything before each package's references once
 * `built(pkg)` settles (it rejects when the build cannot be written) and long zero runs from memory.
 */
export async function followImage(spans: readonly ImageSpan[], size: number, built: (pkg: number) => Promise<void>, hasher: FileHasher): Promise<void> {
  const done = new Set<number>();
  let told = 0;
  for (const span of spans) {
    if (span.kind === 'zeros') {
      hasher.advance(span.offset);
      hasher.zeros(span.size);
      told = span.offset + span.size;
      continue;
    }
    if (done.has(span.pkg)) continue;
    if (span.offset - told >= ADVANCE) {
      hasher.advance(span.offset);
      told = span.offset;
    }
    await built(span.pkg);
    done.add(span.pkg);
  }
  hasher.advance(size);
}
