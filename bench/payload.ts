// Payload walking speed against rpm's own tools, measured side by side in one run:
//   1. decompress + walk every payload (verifyPayloadDigests: cpio + hash each file) of a set of
//      packages, vs `rpm2cpio X > /dev/null` on the same packages; serial, and ours on 2 worker threads;
//   2. raw xz decoding speed vs `xz -dc`.
// Run: npx node bench/payload.ts [DIR_WITH_RPMS]   (builds its packages with rpmbuild into a temp dir)
// Wall times move with machine load; CPU seconds (user+sys) are the steadier comparison.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { openRpmPayload, verifyPayloadDigests } from '../src/rpm/payload.ts';
import { createDecompressor } from '../src/rpm/decompress.ts';

const work = mkdtempSync(join(tmpdir(), 'yv-bench-payload-'));
const MB = 1024 * 1024;

/** Real shared libraries as package content: compressible like real packages are. */
function buildContent(limit: number): string {
  const dir = join(work, 'content');
  mkdirSync(dir, { recursive: true });
  let total = 0;
  const libdir = '/usr/lib/x86_64-linux-gnu';
  for (const name of readdirSync(libdir).sort()) {
    const p = join(libdir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size < 50_000) continue;
    copyFileSync(p, join(dir, name));
    total += st.size;
    if (total > limit) break;
  }
  return dir;
}

function buildPackage(name: string, payload: string, content: string): string {
  const top = join(work, `top-${name}`);
  const spec = join(work, `${name}.spec`);
  writeFileSync(spec, `Name: ${name}\nVersion: 1\nRelease: 1\nSummary: bench\nLicense: MIT\nBuildArch: noarch\n%description\nbench\n%install\nmkdir -p %{buildroot}/opt/${name}\ncp -a ${content}/. %{buildroot}/opt/${name}/\n%files\n/opt/${name}\n`);
  execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_binary_payload ${payload}`, '--define', '_build_id_links none', '--define', '__os_install_post %{nil}', '--define', '_binaries_in_noarch_packages_terminate_build 0', spec]);
  const dir = join(top, 'RPMS', 'noarch');
  return join(dir, readdirSync(dir)[0]);
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Wall and CPU seconds of a command (via /usr/bin/time), stdout to /dev/null. */
function timeCommand(cmd: string): { wall: number; cpu: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', 'sh', '-c', `{ ${cmd}; } > /dev/null`], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: last[0], cpu: last[1] + last[2] };
}

/** Serial: walk (decompress + cpio, bodies drained) or verify (also hash every file and compare). */
async function oursSerial(pkgs: string[], mode: 'walk' | 'verify', external = false): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (const p of pkgs) {
    if (mode === 'verify') {
      const r = await verifyPayloadDigests(p);
      if (r.mismatches.length) throw new Error(`${p}: ${JSON.stringify(r.mismatches[0])}`);
    } else {
      const payload = await openRpmPayload(p, { external });
      for await (const e of payload.entries) for await (const piece of e.body) void piece;
    }
  }
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
}

async function oursParallel(pkgs: string[], threads: number): Promise<number> {
  const t0 = performance.now();
  const queue = [...pkgs].sort((a, b) => statSync(b).size - statSync(a).size);
  await Promise.all(
    Array.from({ length: threads }, async () => {
      const w = new Worker(new URL('./payload.worker.ts', import.meta.url));
      try {
        for (let p = queue.shift(); p; p = queue.shift()) {
          const path = p;
          await new Promise<void>((resolve, reject) => {
            w.once('message', (m: { mismatches: number }) => (m.mismatches ? reject(new Error(`${path}: mismatches`)) : resolve()));
            w.once('error', reject);
            w.postMessage(path);
          });
        }
      } finally {
        await w.terminate();
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

function rpm2cpioSerial(pkgs: string[]): { wall: number; cpu: number } {
  return timeCommand(pkgs.map((p) => `rpm2cpio '${p}'`).join('; '));
}

const fmt = (n: number) => n.toFixed(2).padStart(7);

async function compare(label: string, pkgs: string[], external = false): Promise<void> {
  const bytes = pkgs.reduce((s, p) => s + statSync(p).size, 0);
  await oursSerial(pkgs.slice(0, 1), 'walk'); // warm up the JIT
  const ours = await oursSerial(pkgs, 'walk');
  const verify = await oursSerial(pkgs, 'verify');
  const theirs = rpm2cpioSerial(pkgs);
  console.log(
    `${label.padEnd(26)} ${String(pkgs.length).padStart(3)} pkgs ${(bytes / MB).toFixed(1).padStart(6)} MB | walk ${fmt(ours.wall)} s (cpu ${fmt(ours.cpu)}) | rpm2cpio ${fmt(theirs.wall)} s (cpu ${fmt(theirs.cpu)}) | walk/rpm2cpio wall ${(ours.wall / theirs.wall).toFixed(2)}x cpu ${(ours.cpu / theirs.cpu).toFixed(2)}x | verify (walk + hash) ${fmt(verify.wall)} s (cpu ${fmt(verify.cpu)})`,
  );
  if (external) {
    const ext = await oursSerial(pkgs, 'walk', true);
    console.log(`${''.padEnd(26)} walk with the external xz/bzip2 program ${fmt(ext.wall)} s (cpu of this process ${fmt(ext.cpu)}) = ${(ext.wall / theirs.wall).toFixed(2)}x rpm2cpio wall`);
  }
  if (pkgs.length > 1) {
    const par = await oursParallel(pkgs, Math.min(2, cpus().length));
    console.log(`${''.padEnd(26)} verify on ${Math.min(2, cpus().length)} worker threads ${fmt(par)} s wall = ${(par / theirs.wall).toFixed(2)}x serial rpm2cpio`);
  }
}

async function xzSpeed(file: string, rawBytes: number): Promise<void> {
  await decodeOnce(file); // warm-up
  const t0 = performance.now();
  const c0 = cpuSeconds();
  await decodeOnce(file);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const xz = timeCommand(`xz -dc '${file}'`);
  const e0 = performance.now();
  await decodeOnce(file, true);
  const ext = (performance.now() - e0) / 1000;
  console.log(
    `xz decode ${(rawBytes / MB).toFixed(0)} MB: ours ${fmt(wall)} s (cpu ${fmt(cpu)}, ${(rawBytes / MB / cpu).toFixed(0)} MB/s) | xz -dc ${fmt(xz.wall)} s (cpu ${fmt(xz.cpu)}, ${(rawBytes / MB / xz.cpu).toFixed(0)} MB/s) | ratio wall ${(wall / xz.wall).toFixed(2)}x cpu ${(cpu / xz.cpu).toFixed(2)}x | through the external program ${fmt(ext)} s`,
  );
}

async function decodeOnce(file: string, external = false): Promise<void> {
  await pipeline(createReadStream(file, { highWaterMark: MB }), createDecompressor('xz', { external }), new Writable({ write: (_c, _e, cb) => cb() }));
}

try {
  const content = buildContent(48 * MB);
  console.log(`building packages from ${(readdirSync(content).length)} real libraries…`);
  const built: Record<string, string> = {};
  for (const [name, payload] of [['b-xz', 'w2.xzdio'], ['b-zstd', 'w9.zstdio'], ['b-gzip', 'w6.gzdio'], ['b-bzip2', 'w9.bzdio']] as const) {
    built[name] = buildPackage(name, payload, content);
  }
  const fixtureDir = process.argv[2] ?? new URL('../../shared/fixtures/rpms', import.meta.url).pathname;
  const fixtures = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.rpm')).map((f) => join(fixtureDir, f)) : [];
  console.log(`node ${process.version}, ${cpus().length} cores, load ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
  console.log('walk = decompress + cpio with every body drained; verify also hashes each file against FILEDIGESTS');
  await compare('xz payload (w2.xzdio)', [built['b-xz']], true);
  await compare('zstd payload (w9.zstdio)', [built['b-zstd']]);
  await compare('gzip payload (w6.gzdio)', [built['b-gzip']]);
  await compare('bzip2 payload (w9.bzdio)', [built['b-bzip2']], true);
  await compare('all four', Object.values(built));
  if (fixtures.length) await compare(`fixtures (${fixtureDir})`, fixtures);
  const tarXz = join(work, 'content.tar.xz');
  execFileSync('sh', ['-c', `tar cf - -C '${content}' . | xz -6 -T1 > '${tarXz}'`]);
  const raw = readdirSync(content).reduce((s, f) => s + statSync(join(content, f)).size, 0);
  await xzSpeed(tarXz, raw);
} finally {
  rmSync(work, { recursive: true, force: true });
}
