// Reads the whole rpm database of a 400-package root (written by the real rpm: sqlite), and the same
// headers as a BerkeleyDB Packages file, and prints our time beside `rpm -qa` on the same database.
//
//   npx node bench/rpmdb.ts [--packages 400] [--runs 10]
//
// "ours, listing" is listRpmdb() (what `inspect rpmdb` does and what `rpm -qa` does: NEVRA of every header);
// "ours, full" is readInstalledPackages(): every header with its whole file list, digests, dependencies.
// "ours as a CLI process" is a whole `node dist/cli.js inspect rpmdb ROOT --json` process (Node start-up included),
// the fair match for an `rpm -qa` process. Wall times are medians; CPU times (ours: process.cpuUsage,
// rpm: the children's times in /proc/self/stat) are means, and steadier when the machine is busy.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRpmdb, readInstalledPackages } from '../src/rpmdb/index.ts';
import { listRpmdb } from '../src/rpmdb/listing.ts';
import { writePackagesBdb } from '../test/fixtures-gen/bdbWriter.ts';
import { makeManyPackageRoot } from '../test/rpmdb/manyPackages.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const PACKAGES = option('packages', 400);
const RUNS = option('runs', 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  /** Median wall-clock time of one run. */
  wall: number;
  /** Mean CPU time (user + system) of one run: steadier than wall time on a busy machine. */
  cpu: number;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<Timing> {
  await fn(); // warm-up
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: median(times), cpu: (cpu.user + cpu.system) / 1000 / RUNS };
}

/** CPU time of this process's reaped children (utime + stime, /proc/self/stat fields 16 and 17), in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17, in clock ticks (USER_HZ = 100).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timeProcess(cmd: string, args: string[], expectLines?: number): Timing {
  const once = () => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    if (expectLines !== undefined) {
      const n = r.stdout.split('\n').filter((l) => l).length;
      if (n !== expectLines) throw new Error(`${cmd} listed ${n} packages, expected ${expectLines}`);
    }
    return ms;
  };
  once();
  const cpu0 = childrenCpuMs();
  const wall = median(Array.from({ length: RUNS }, once));
  return { wall, cpu: (childrenCpuMs() - cpu0) / RUNS };
}

const fmt = (t: Timing) => `${t.wall.toFixed(1).padStart(7)} ms (cpu ${t.cpu.toFixed(1).padStart(6)} ms)`;

const dir = mkdtempSync(join(tmpdir(), 'yv-bench-rpmdb-'));
try {
  process.stdout.write(`generating a root with ${PACKAGES} packages installed by rpm --justdb… `);
  const root = await makeManyPackageRoot(dir, PACKAGES);
  const blobs: Uint8Array[] = [];
  const db = await openRpmdb(root);
  for await (const { blob } of db.blobs()) blobs.push(blob);
  await db.close();
  const bdbDir = join(dir, 'bdb');
  mkdirSync(bdbDir);
  writeFileSync(join(bdbDir, 'Packages'), writePackagesBdb(blobs, { pageSize: 4096 }));
  console.log('done');

  const count = (await readInstalledPackages(root)).length;
  if (count !== PACKAGES) throw new Error(`read ${count} packages, expected ${PACKAGES}`);

  const rows: Array<[string, Timing, Timing, string]> = [];
  const sqliteRpm = timeProcess('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa'], PACKAGES);
  rows.push(['sqlite, ours listing', await timeAsync(() => listRpmdb(root)), sqliteRpm, 'rpm --root ROOT -qa']);
  rows.push(['sqlite, ours full', await timeAsync(() => readInstalledPackages(root)), sqliteRpm, 'rpm --root ROOT -qa']);
  if (existsSync('dist/cli.js')) {
    const cli = timeProcess(process.execPath, ['dist/cli.js', 'inspect', 'rpmdb', root, '--json']);
    rows.push(['sqlite, ours as a CLI process', cli, sqliteRpm, 'rpm --root ROOT -qa']);
  }
  const bdbRpm = timeProcess('rpm', ['--dbpath', bdbDir, '--define', '_db_backend bdb_ro', '-qa'], PACKAGES);
  rows.push(['BerkeleyDB, ours listing', await timeAsync(() => listRpmdb(bdbDir)), bdbRpm, 'rpm --define _db_backend bdb_ro -qa']);
  rows.push(['BerkeleyDB, ours full', await timeAsync(() => readInstalledPackages(bdbDir)), bdbRpm, 'rpm --define _db_backend bdb_ro -qa']);

  console.log(`\nwhole rpmdb, ${PACKAGES} packages: median wall time and mean CPU time of ${RUNS} runs; ratio = ours / rpm (below 1: we are faster)`);
  for (const [label, ours, rpm, peer] of rows) {
    console.log(
      `${label.padEnd(30)} ours ${fmt(ours)}   ${peer.padEnd(36)} ${fmt(rpm)}   ratio wall ${(ours.wall / rpm.wall).toFixed(2)}, cpu ${(ours.cpu / rpm.cpu).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
