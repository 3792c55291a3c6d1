// Why restore's hashing waits: for a decomposition, how far into the image the hashable prefix reaches as
// builds are written in the order restore takes them (each package's first reference), against the share
// of package bytes written by then. The sha256 of the image is one sequential pass, so it can only run
// over that prefix; a prefix that stays short until most bytes are written leaves one core idle at the end.
//
//   npx node bench/restore-prefix.ts [DIR]     (default: the decomposition bench/image.ts leaves)

import { readManifest } from '../src/image/manifest.ts';
import { referencedBytes, scanResidual } from '../src/image/residualScan.ts';

const dir = process.argv[2] ?? '/tmp/yumvault-bench-cache/decomposed';
// The same scan restore makes: references per package in first-reference order, and the image's spans.
const { needs, spans, size } = await scanResidual(dir, await readManifest(dir));
const first = new Map<number, number>();
for (const s of spans) if (s.kind === 'pkg' && !first.has(s.pkg)) first.set(s.pkg, s.offset);
const order = [...needs.keys()];
const bytesOf = (pkg: number) => referencedBytes(needs.get(pkg)!);
const all = order.reduce((a, i) => a + bytesOf(i), 0);
let written = 0;
let shown = -1;
for (let k = 0; k < order.length; k++) {
  written += bytesOf(order[k]!);
  const prefix = k + 1 < order.length ? first.get(order[k + 1]!)! : size;
  const step = Math.floor((written / all) * 20);
  if (step !== shown || k === order.length - 1) {
    shown = step;
    process.stdout.write(`after ${String(k + 1).padStart(4)} of ${order.length} builds (${((written / all) * 100).toFixed(0).padStart(3)}% of package bytes): hashable prefix ${((prefix / size) * 100).toFixed(1)}% of the image\n`);
  }
}
