// Owned by the bench helper (B): realistic-image benchmark for issue 4
// Image decompose/restore benchmark (issue 4), side by side with the peer tools in one run:
//   stored bytes (manifest + residual)  vs  zstd -19 of the whole image, and vs the ideal: zstd -19 of only
//                                           the file data no package provides byte-identical
//   decompose time                      vs  sha256sum of the image
//   restore time                        vs  serial `rpm2cpio PKG > /dev/null` over the same packages
// Aims: stored ≤ 1.1× ideal, decompose ≤ 1.5× sha256sum, restore ≤ 0.8× rpm2cpio.
//
//   npx node bench/image.ts [--packages N] [--mb M] [--dir DIR [--rebuild]] [--keep] [--zstd-level 19]
// The image comes from bench/image.gen.ts (Debian packages of this machine repackaged as rpms). With
// --dir an existing repository there is reused. Not part of `npm test`.

import { execSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decomposeImage } from '../src/image/decompose.ts';
import { readResidual } from '../src/image/residualReader.ts';
import { restoreImage } from '../src/image/restore.ts';
import { buildImage, buildRepo } from './image.gen.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const packages = Number(arg('packages', '300'));
const mb = Number(arg('mb', '450'));
const keep = process.argv.includes('--keep');
const level = Number(arg('zstd-level', '19'));
const work = arg('dir', '') || mkdtempSync(join(tmpdir(), 'yv-bench-image-'));
mkdirSync(work, { recursive: true });
const log = (s: string) => process.stderr.write(`${s}\n`);

// Wall and CPU seconds: the machine may be shared, so CPU time (all threads) is shown beside wall time.
interface Timing {
  seconds: number;
  cpu: number;
}
/** A shell command's wall and CPU seconds (bash's time, children included), and its stdout. */
function timedShell(cmd: string): Timing & { value: string } {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT="%R %U %S"; time ( ${cmd} )`], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.toString()}`);
  const [real, user, sys] = r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
  return { value: r.stdout.toString().trim(), seconds: real, cpu: user + sys };
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<Timing & { value: T }> {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const value = await fn();
  const cu = process.cpuUsage(c);
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpu: (cu.user + cu.system) / 1e6 };
}
const size = (p: string) => statSync(p).size;
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

try {
  log(`work dir ${work}`);
  const { repoDir, rpms } = buildRepo(work, packages, mb * 1048576, log);
  log(`${rpms.length} packages in ${repoDir}`);
  // An image already in --dir is reused (its zstd -19 size is cached too); --rebuild makes a new one.
  const tar = existsSync(join(work, 'image.tar')) && !process.argv.includes('--rebuild') ? join(work, 'image.tar') : buildImage(work, rpms, 24 << 20).tar;
  const imageBytes = size(tar);
  log(`image ${tar}: ${mib(imageBytes)}`);
  execSync(`cat '${tar}' > /dev/null`); // warm the page cache for everyone alike

  const sha = timedShell(`sha256sum '${tar}' | cut -d' ' -f1`);
  const outDir = join(work, 'decomposed');
  rmSync(outDir, { recursive: true, force: true });
  const dec = await timedAsync(() => decomposeImage({ image: tar, repos: [repoDir], outDir }));
  if (dec.value.image.sha256 !== sha.value) throw new Error('decompose hashed the image differently from sha256sum');
  const stored = dec.value.storedBytes;

  // The ideal: only the file data no package provides (the residual's inline data), zstd -19.
  const inline = join(work, 'inline.bin');
  const ws = createWriteStream(inline);
  for await (const rec of readResidual(join(outDir, 'residual.zst'))) if (rec.op === 'raw') ws.write(rec.bytes);
  await new Promise<void>((resolve) => ws.end(resolve));
  const ideal = Number(execSync(`zstd -${level} -T2 -q -c '${inline}' | wc -c`).toString().trim());
  log(`decompose ${dec.seconds.toFixed(2)} s, sha256sum ${sha.seconds.toFixed(2)} s; stored ${stored} bytes, ideal ${ideal}`);

  execSync(`for f in '${repoDir}'/*.rpm; do cat "$f" > /dev/null; done`);
  const rpm2cpio = timedShell(`for f in '${repoDir}'/*.rpm; do rpm2cpio "$f" > /dev/null; done`);
  const restored = join(work, 'restored.tar');
  const res = await timedAsync(() => restoreImage({ dir: outDir, repos: [repoDir], out: restored }));
  if (res.value.sha256 !== sha.value) throw new Error('restore did not reproduce the image');
  log(`restore ${res.seconds.toFixed(2)} s, serial rpm2cpio ${rpm2cpio.seconds.toFixed(2)} s`);
  // zstd -19 of a whole image is slow (minutes): done last, and kept in the work dir for reruns.
  const cached = join(work, `zstd${level}-${sha.value}.size`);
  const zstdWhole = existsSync(cached) ? readFileSync(cached, 'utf8').trim() : execSync(`zstd -${level} -T2 -q -c '${tar}' | wc -c`).toString().trim();
  log(`zstd -${level} of the image: ${zstdWhole} bytes`);
  writeFileSync(cached, zstdWhole);
  const rows: [string, string, string, string][] = [
    ['image', mib(imageBytes), '', ''],
    ['packages', `${dec.value.packagesFound}/${dec.value.packages} found`, `${dec.value.filesReferenced} files`, mib(dec.value.bytesReferenced)],
    ['stored (manifest + residual)', mib(stored), `${((stored / imageBytes) * 100).toFixed(2)}% of the image`, ''],
    [`zstd -${level} of the image`, mib(Number(zstdWhole)), `stored/zstd = ${(stored / Number(zstdWhole)).toFixed(3)}`, ''],
    [`ideal (zstd -${level} of unprovided data)`, mib(ideal), `stored/ideal = ${(stored / ideal).toFixed(3)}`, 'aim ≤ 1.1'],
    ['decompose', `${dec.seconds.toFixed(2)} s (cpu ${dec.cpu.toFixed(2)} s)`, `sha256sum ${sha.seconds.toFixed(2)} s (cpu ${sha.cpu.toFixed(2)} s)`, `ratio ${(dec.seconds / sha.seconds).toFixed(2)} (aim ≤ 1.5)`],
    ['restore', `${res.seconds.toFixed(2)} s (cpu ${res.cpu.toFixed(2)} s)`, `serial rpm2cpio ${rpm2cpio.seconds.toFixed(2)} s (cpu ${rpm2cpio.cpu.toFixed(2)} s)`, `ratio ${(res.seconds / rpm2cpio.seconds).toFixed(2)} (aim ≤ 0.8)`],
  ];
  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n')}\n`);
} finally {
  if (!keep && !process.argv.includes('--dir')) rmSync(work, { recursive: true, force: true });
}
