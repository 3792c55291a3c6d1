// Reading package headers: ours vs the real rpm on the same few hundred packages, side by side.
//   1. NEVRA only:            read headers + nevraOf       vs  rpm -qp --qf '%{NEVRA}\n' ALL
//   2. NEVRA + every file:    read headers + packageInfo   vs  rpm -qp --qf '%{NEVRA}\n[%{FILENAMES} %{FILEDIGESTS} …\n]' ALL
// Ours both with readRpmPackageSync (one package after another) and readRpmPackage (8 in flight).
// One rpm process reads all packages (its fastest mode); ours runs in this process after one warm-up
// pass, so neither pays process start-up per package. Both read from the page cache.
// Run: npx node bench/rpm-headers.ts [COPIES_PER_PACKAGE]   (default 60: 4 built + 10 fixtures → 850 files)

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nevraOf, packageInfo } from '../src/rpm/info.ts';
import { type RpmPackage, readRpmPackage, readRpmPackageSync } from '../src/rpm/package.ts';
import { buildRpm } from '../test/fixtures-gen/rpmbuild.ts';
import type { SpecFile } from '../test/fixtures-gen/rpmSpec.ts';

const copies = Number(process.argv[2] ?? 60);
const work = mkdtempSync(join(tmpdir(), 'yv-bench-headers-'));

function files(n: number, dir: string): SpecFile[] {
  return Array.from({ length: n }, (_, i) => ({ path: `/usr/share/${dir}/d${i % 17}/file-${i}.txt`, content: `${dir} ${i}\n` }));
}

async function main(): Promise<void> {
  const bases = await Promise.all([
    buildRpm({ name: 'bench-tiny', files: files(3, 'tiny'), compression: 'gzip' }),
    buildRpm({ name: 'bench-small', files: files(40, 'small'), compression: 'xz', digestAlgo: 'sha256' }),
    buildRpm({ name: 'bench-medium', files: files(300, 'medium'), compression: 'zstd', digestAlgo: 'sha256' }),
    buildRpm({ name: 'bench-large', files: files(1500, 'large'), compression: 'zstd', digestAlgo: 'sha256' }),
  ]);
  const fixtureDir = join(process.env.YUMVAULT_FIXTURES ?? new URL('../../shared/fixtures', import.meta.url).pathname, 'rpms');
  const fixtures = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.rpm')).map((f) => join(fixtureDir, f)) : [];
  const paths: string[] = [];
  for (const [i, src] of [...bases, ...fixtures].entries()) {
    for (let c = 0; c < copies; c++) {
      const p = join(work, `pkg${i}-copy${c}.rpm`);
      copyFileSync(src, p);
      paths.push(p);
    }
  }
  const totalFiles = (await Promise.all(paths.map(async (p) => packageInfo((await readRpmPackage(p)).header).files.length))).reduce((a, b) => a + b, 0);
  console.log(`${paths.length} packages, ${totalFiles} files in all (${bases.length} rpmbuild packages + ${fixtures.length} fixtures, ${copies} copies each)\n`);

  /** Wall seconds, CPU seconds (user + system), output lines. */
  type Run = { seconds: number; cpu: number; lines: number };
  // Best of three: the machine is shared, and the minimum is the least disturbed run.
  const best = async (fn: () => Promise<Run> | Run): Promise<Run> => {
    const runs: Run[] = [];
    for (let i = 0; i < 3; i++) runs.push(await fn());
    return { seconds: Math.min(...runs.map((r) => r.seconds)), cpu: Math.min(...runs.map((r) => r.cpu)), lines: runs[0]!.lines };
  };
  const rpmTime = (qf: string): Run => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'rpm', '-qp', '--nosignature', '--nodigest', '--qf', qf, ...paths], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`rpm failed: ${r.stderr}`);
    const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { seconds, cpu: user! + sys!, lines: r.stdout.split('\n').length - 1 };
  };
  const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const linesOf = (pkg: RpmPackage, full: boolean): number => {
    if (!full) {
      nevraOf(pkg.header);
      return 1;
    }
    return 1 + packageInfo(pkg.header, pkg.signature).files.length;
  };
  const oursSync = (full: boolean): Run => {
    const t0 = performance.now();
    const c0 = cpuNow();
    let lines = 0;
    for (const p of paths) lines += linesOf(readRpmPackageSync(p), full);
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuNow() - c0, lines };
  };
  const oursAsync = async (full: boolean): Promise<Run> => {
    const t0 = performance.now();
    const c0 = cpuNow();
    let lines = 0;
    const queue = [...paths];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const pkg = await readRpmPackage(p);
        lines += linesOf(pkg, full);
      }
    }));
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuNow() - c0, lines };
  };

  oursSync(true); // warm-up: JIT and page cache
  await oursAsync(true);
  const nevraQf = '%{NEVRA}\\n';
  const fullQf = '%{NEVRA}\\n[%{FILENAMES} %{FILEDIGESTS} %{FILESIZES} %{FILEMODES} %{FILEFLAGS} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILELINKTOS} %{FILEMTIMES}\\n]';
  const rows: [string, Run, Run][] = [
    ['NEVRA, sync reads', await best(() => oursSync(false)), await best(() => rpmTime(nevraQf))],
    ['NEVRA, async x8', await best(() => oursAsync(false)), await best(() => rpmTime(nevraQf))],
    ['all files, sync', await best(() => oursSync(true)), await best(() => rpmTime(fullQf))],
    ['all files, async x8', await best(() => oursAsync(true)), await best(() => rpmTime(fullQf))],
  ];

  const f = (n: number, w: number): string => n.toFixed(3).padStart(w);
  console.log('task                  wall: ours    rpm  rpm/ours   cpu: ours    rpm  rpm/ours   same output');
  for (const [task, o, r] of rows) {
    const same = o.lines === r.lines ? `yes (${o.lines} lines)` : `NO (${o.lines} vs ${r.lines} lines)`;
    console.log(`${task.padEnd(20)} ${f(o.seconds, 11)} ${f(r.seconds, 6)} ${(r.seconds / o.seconds).toFixed(2).padStart(8)}x ${f(o.cpu, 10)} ${f(r.cpu, 6)} ${(r.cpu / o.cpu).toFixed(2).padStart(8)}x   ${same}`);
  }
  console.log('\nseconds; rpm/ours > 1: ours is faster. Best of 3 each. One rpm process reads every package (its fastest');
  console.log('mode); ours runs in-process after a warm-up, so neither pays process start-up per package.');
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
