// Why restore's hashing waits: for a decomposition, how far into the image the hashable prefix reaches as
// builds are written in the order restore takes them (each package's first reference), against the share
// of package bytes written by then. The sha256 of the image is one sequential pass, so it can only run
// over that prefix; a prefix that stays short until most bytes are written leaves one core idle at the end.
//
//   npx node bench/restore-prefix.ts [DIR]     (default: the decomposition bench/image.ts leaves)

import { join } from 'node:path';
import { readResidual } from '../src/image/residualReader.ts';

const dir = process.argv[2] ?? '/tmp/yumvault-bench-cache/decomposed';
let pos = 0;
const first = new Map<number, number>();
const bytes = new Map<number, number>();
for await (const r of readResidual(join(dir, 'residual.zst'))) {
  if (r.op === 'ref') {
    if (!first.has(r.pkg)) first.set(r.pkg, pos);
    bytes.set(r.pkg, (bytes.get(r.pkg) ?? 0) + r.size);
    pos += r.size;
  } else if (r.op === 'hdr' || r.op === 'raw') pos += r.bytes.length;
  else if (r.op === 'zero') pos += r.size;
}
const order = [...first.keys()];
const all = order.reduce((a, i) => a + bytes.get(i)!, 0);
let written = 0;
let shown = -1;
for (let k = 0; k < order.length; k++) {
  written += bytes.get(order[k]!)!;
  const prefix = k + 1 < order.length ? first.get(order[k + 1]!)! : pos;
  const step = Math.floor((written / all) * 20);
  if (step !== shown || k === order.length - 1) {
    shown = step;
    process.stdout.write(`after ${String(k + 1).padStart(4)} of ${order.length} builds (${((written / all) * 100).toFixed(0).padStart(3)}% of package bytes): hashable prefix ${((prefix / pos) * 100).toFixed(1)}% of the image\n`);
  }
}
