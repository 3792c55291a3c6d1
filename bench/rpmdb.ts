// Reads the whole rpm database of a 400-package root (written by the real rpm: sqlite), and the same
// headers as a BerkeleyDB Packages file, and prints our time beside `rpm -qa` on the same database.
//
//   npx node bench/rpmdb.ts [--packages 400] [--runs 10]
//
// "ours, listing" is listRpmdb() (what `inspect rpmdb` does and what `rpm -qa` does: NEVRA of every header);
// "ours, full" is readInstalledPackages(): every header with its whole file list, digests, dependencies.
// "ours as a CLI process" is a whole `node dist/cli.js inspect rpmdb ROOT --json` process (Node start-up included),
// the fair match for an `rpm -qa` process. Times are medians.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

function timeProcess(cmd: string, args: string[], expectLines?: number): number {
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
  return median(Array.from({ length: RUNS }, once));
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;

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

  const rows: Array<[string, number, number, string]> = [];
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

  console.log(`\nwhole rpmdb, ${PACKAGES} packages (median of ${RUNS} runs; ratio = ours / rpm, below 1 is faster)`);
  for (const [label, ours, rpm, peer] of rows) {
    console.log(`${label.padEnd(32)} ours ${fmt(ours)}   ${peer.padEnd(36)} ${fmt(rpm)}   ratio ${(ours / rpm).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
