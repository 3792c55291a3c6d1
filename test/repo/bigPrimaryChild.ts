// Run as a separate Node process (with --expose-gc and a small heap cap) by bigPrimary.test.ts: streams a
// primary file and reports the package count, time and the most heap retained after a full GC.
// Usage: node --expose-gc --max-old-space-size=N bigPrimaryChild.ts PRIMARY_PATH

import { createReadStream } from 'node:fs';
import { streamPrimary } from '../../src/repo/primary.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const path = process.argv[2]!;
gc?.();
const base = process.memoryUsage().heapUsed;
let retained = 0;
let n = 0;
let last = '';
const start = performance.now();
for await (const p of streamPrimary(createReadStream(path))) {
  n++;
  last = p.name;
  if (gc && n % 10_000 === 0) {
    gc();
    retained = Math.max(retained, process.memoryUsage().heapUsed - base);
  }
}
process.stdout.write(JSON.stringify({ packages: n, last, seconds: (performance.now() - start) / 1000, retainedBytes: retained }) + '\n');
