// bench/proxy.ts (`npx node bench/proxy.ts [--seconds N] [--rounds N]`): the proxy against Debian's nginx serving the
// same files from disk, measured side by side in one run on this machine.
//  1. Cached package downloads: wrk, 64 connections, round-robin over the packages; requests/s, MB/s and
//     p99 latency for nginx and for the proxy (its cache warm), and the ratios (aim: ≥0.7x nginx's
//     throughput, ≤2x its p99); then the proxy again with its in-memory hot cache off (every answer
//     streamed from the blob file), for comparison.
//  2. A cold miss: one 50 MB package requested by 50 clients at once through a proxy with an empty cache
//     (nginx is its upstream): upstream requests (from nginx's access log) and the time until every client
//     had all bytes, each checked by sha256; nginx serving the same 50 clients directly for reference.
// nginx runs with its own temp config on 127.0.0.1 and a free port; the proxy is the real `yumvault serve`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackages, createrepo } from '../test/proxy/helpers.ts';

const SECONDS = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;
const CONNECTIONS = 64;
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const BIG_BYTES = 50 * 1024 * 1024;
const BIG_CLIENTS = 50;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startNginx(dir: string, root: string): Promise<{ url: string; stop: () => Promise<void>; accessLog: string }> {
  const port = await freePort();
  const prefix = join(dir, 'nginx');
  for (const d of ['', 'tmp', 'logs']) mkdirSync(join(prefix, d), { recursive: true });
  const accessLog = join(prefix, 'logs', 'access.log');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${accessLog};
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  types { application/x-rpm rpm; text/xml xml; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`);
  const child = spawn('/usr/sbin/nginx', ['-e', join(prefix, 'logs', 'error.log'), '-p', prefix, '-c', conf], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(url);
  return { url, accessLog, stop: () => stopChild(child) };
}

async function startProxy(dataDir: string, upstream: string, env: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--upstream', `bench=${upstream}`, '--token', 'bench'], {
    env: { ...process.env, YUMVAULT_MONITOR_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /on (http:\/\/\S+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`yumvault serve exited ${code}: ${err}`)));
  });
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await get(url, null);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not come up`);
}

/** GET; resolves with the status and the sha256 of the body (hashed as it streams). */
function get(url: string, _x: null): Promise<{ status: number; sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      const h = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        h.update(c);
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sha256: h.digest('hex'), bytes }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

interface WrkResult {
  rps: number;
  mbps: number;
  p50ms: number;
  p99ms: number;
  errors: string;
}

function wrk(base: string, paths: readonly string[], script: string): WrkResult {
  writeFileSync(script, `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
`);
  const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', script, base], { encoding: 'utf8' });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const ms = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const mbps = transfer ? Number(transfer[1]) * ({ B: 1 / 1048576, KB: 1 / 1024, MB: 1, GB: 1024 } as Record<string, number>)[transfer[2]!]! : NaN;
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    mbps,
    p50ms: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99ms: ms(/99%\s+([\d.]+)(us|ms|s)/),
    errors: /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out)?.[0] ?? 'none',
  };
}

function median(rs: WrkResult[]): WrkResult {
  const mid = <K extends 'rps' | 'mbps' | 'p50ms' | 'p99ms'>(k: K) => rs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
  return { rps: mid('rps'), mbps: mid('mbps'), p50ms: mid('p50ms'), p99ms: mid('p99ms'), errors: [...new Set(rs.map((r) => r.errors))].join(', ') };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'yv-bench-proxy-'));
  // nginx's workers drop to 'nobody' when started as root: they must be able to read the repository.
  await chmod(dir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  try {
    const repo = join(dir, 'repo');
    process.stderr.write('building packages with rpmbuild…\n');
    // A spread of package sizes like a real repository's: many small, some medium, a few large.
    const sizes = [20_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_500_000, 3_000_000];
    const pkgs = await buildPackages(repo, sizes.flatMap((bytes, i) => [1, 2].map((r) => ({ name: `bench-p${i}`, version: '1.0', release: String(r), payloadBytes: bytes }))));
    const [big] = await buildPackages(repo, [{ name: 'bench-big', version: '1.0', release: '1', payloadBytes: BIG_BYTES }]);
    createrepo(repo);
    const bigSha = createHash('sha256').update(readFileSync(join(repo, big!))).digest('hex');

    const nginx = await startNginx(dir, repo);
    stops.push(nginx.stop);
    const proxy = await startProxy(join(dir, 'data-warm'), nginx.url);
    stops.push(proxy.stop);
    const proxyPaths = pkgs.map((p) => `/repos/bench/${p}`);
    await get(`${proxy.url}repos/bench/repodata/repomd.xml`, null);
    for (const p of proxyPaths) {
      const r = await get(`${proxy.url}${p.slice(1)}`, null);
      if (r.status !== 200) {
        const body = await fetch(`${proxy.url}${p.slice(1)}`).then((x) => x.text());
        throw new Error(`warming ${p}: ${r.status} ${body}`);
      }
    }
    process.stderr.write(`wrk: ${CONNECTIONS} connections, ${SECONDS}s each, ${ROUNDS} alternating rounds (medians), ${pkgs.length} packages of 20 KB–3 MB\n`);
    // The machine is shared: runs alternate (nginx, proxy, proxy without hot cache) and each figure is the
    // median of ROUNDS, so a burst of outside load does not land on one side only.
    const plain = await startProxy(join(dir, 'data-plain'), nginx.url, { YUMVAULT_HOT_CACHE_MB: '0' });
    stops.push(plain.stop);
    await get(`${plain.url}repos/bench/repodata/repomd.xml`, null);
    for (const p of proxyPaths) await get(`${plain.url}${p.slice(1)}`, null);
    const runs: { n: WrkResult[]; y: WrkResult[]; z: WrkResult[] } = { n: [], y: [], z: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.n.push(wrk(nginx.url.slice(0, -1), pkgs.map((p) => `/${p}`), join(dir, 'nginx.lua')));
      runs.y.push(wrk(proxy.url.slice(0, -1), proxyPaths, join(dir, 'proxy.lua')));
      runs.z.push(wrk(plain.url.slice(0, -1), proxyPaths, join(dir, 'plain.lua')));
    }
    const [n, y, z] = [median(runs.n), median(runs.y), median(runs.z)];
    await proxy.stop();
    await plain.stop();

    // Cold miss: 50 clients at once for one 50 MB package, empty cache.
    const cold = await startProxy(join(dir, 'data-cold'), nginx.url);
    stops.push(cold.stop);
    await get(`${cold.url}repos/bench/repodata/repomd.xml`, null);
    const logBefore = readFileSync(nginx.accessLog, 'utf8').split('\n').filter((l) => l.includes(big!)).length;
    let t0 = performance.now();
    const coldResults = await Promise.all(Array.from({ length: BIG_CLIENTS }, () => get(`${cold.url}repos/bench/${big}`, null)));
    const coldMs = performance.now() - t0;
    const upstreamRequests = readFileSync(nginx.accessLog, 'utf8').split('\n').filter((l) => l.includes(big!)).length - logBefore;
    const coldOk = coldResults.filter((r) => r.status === 200 && r.sha256 === bigSha).length;
    t0 = performance.now();
    const directResults = await Promise.all(Array.from({ length: BIG_CLIENTS }, () => get(`${nginx.url}${big}`, null)));
    const directMs = performance.now() - t0;
    const directOk = directResults.filter((r) => r.status === 200 && r.sha256 === bigSha).length;

    const f = (v: number, d = 1) => v.toFixed(d);
    console.log(`\ncached package downloads (wrk, ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${SECONDS} s runs)`);
    console.log(`  nginx   ${f(n.rps, 0)} req/s  ${f(n.mbps)} MB/s  p50 ${f(n.p50ms, 2)} ms  p99 ${f(n.p99ms, 2)} ms  errors: ${n.errors}`);
    console.log(`  proxy   ${f(y.rps, 0)} req/s  ${f(y.mbps)} MB/s  p50 ${f(y.p50ms, 2)} ms  p99 ${f(y.p99ms, 2)} ms  errors: ${y.errors}`);
    console.log(`  ratio   throughput ${f(y.rps / n.rps, 2)}x nginx (aim >= 0.7)   p99 ${f(y.p99ms / n.p99ms, 2)}x nginx (aim <= 2)`);
    console.log(`  proxy, hot cache off (streamed from blob files):`);
    console.log(`          ${f(z.rps, 0)} req/s  ${f(z.mbps)} MB/s  p50 ${f(z.p50ms, 2)} ms  p99 ${f(z.p99ms, 2)} ms  errors: ${z.errors}`);
    console.log(`  ratio   throughput ${f(z.rps / n.rps, 2)}x nginx   p99 ${f(z.p99ms / n.p99ms, 2)}x nginx`);
    console.log(`\ncold miss: one ${BIG_BYTES / 1048576} MB package, ${BIG_CLIENTS} clients at once`);
    console.log(`  proxy   ${f(coldMs, 0)} ms until all ${BIG_CLIENTS} had it (${coldOk}/${BIG_CLIENTS} verified by sha256); upstream requests: ${upstreamRequests}`);
    console.log(`  nginx   ${f(directMs, 0)} ms serving the same ${BIG_CLIENTS} clients from disk (${directOk}/${BIG_CLIENTS} verified)`);
    console.log(`  ratio   ${f(coldMs / directMs, 2)}x nginx's time`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
