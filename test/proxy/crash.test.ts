// The real `yumvault serve` process, SIGKILLed again and again while clients download through it and its
// monitor retains (policy all): nothing corrupt is ever served or stored (every blob hashes to its name,
// every cache entry names a whole blob), the next start is clean (no temp file left once it listens),
// a pass after the kills holds every version, and SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildPackages, createrepo, rawGet, sha256, tempDir } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };
let repoDir: string;
let pkgs: string[];
let upstream: TestHttpServer;

beforeAll(async () => {
  work = await tempDir('yv-proxy-crash-');
  repoDir = join(work.path, 'upstream');
  pkgs = await buildPackages(repoDir, Array.from({ length: 6 }, (_, i) => ({ name: `yvk-p${i}`, version: '1.0', release: '1', payloadBytes: 3_000_000 })));
  createrepo(repoDir);
  upstream = await startTestHttpServer(repoDir);
}, 180_000); // rpmbuild of six 3 MB packages: slow on a loaded machine

afterAll(async () => {
  await upstream?.close();
  await work?.remove();
});

interface Serve {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startServe(dataDir: string): Promise<Serve> {
  // Policy `all`: the monitor pass each start runs retains every version, so kills land in retention too.
  const config = join(work.path, 'yumvault.yaml');
  writeFileSync(config, `retention: { keep: [all] }\n`);
  const child = spawn(process.execPath, ['src/cli/main.ts', 'serve', '--config', config, '--data', dataDir, '--listen', '127.0.0.1:0', '--upstream', `k=${upstream.url}`, '--token', 't'], {
    cwd: process.cwd(),
    env: { ...process.env, YUMVAULT_METADATA_TTL: '0s', YUMVAULT_UPSTREAM_IDLE_TIMEOUT: '30s' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /on (http:\/\/\S+\/)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${err}`)));
  });
}

async function sha256Stream(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Every blob hashes to its name; every cache entry names a blob of its size. */
async function checkStore(dataDir: string): Promise<number> {
  let blobs = 0;
  const root = join(dataDir, 'blobs');
  for (const a of await readdir(root)) {
    if (a === 'tmp') continue;
    for (const b of await readdir(join(root, a))) {
      for (const name of await readdir(join(root, a, b))) {
        expect(await sha256Stream(join(root, a, b, name)), `blob ${name}`).toBe(name);
        blobs++;
      }
    }
  }
  const indexRoot = join(dataDir, 'proxy', 'index', 'k');
  if (existsSync(indexRoot)) {
    for (const d of await readdir(indexRoot)) {
      for (const f of await readdir(join(indexRoot, d))) {
        const entry = JSON.parse(await readFile(join(indexRoot, d, f), 'utf8')) as { blob: string; size: number; path: string };
        const blobPath = join(root, entry.blob.slice(0, 2), entry.blob.slice(2, 4), entry.blob);
        expect(existsSync(blobPath), `index entry for ${entry.path}`).toBe(true);
      }
    }
  }
  return blobs;
}

describe('yumvault serve under SIGKILL', () => {
  it('never stores or serves corrupt bytes, and starts clean after every kill', async () => {
    const dataDir = join(work.path, 'data');
    const want = new Map(pkgs.map((p) => [p, sha256(readFileSync(join(repoDir, p)))]));
    // One package's upstream stalls mid-body: a download is always in flight when the kill comes.
    upstream.setFault(`/${pkgs[5]}`, { kind: 'stall', afterBytes: 1_000_000 });
    for (let round = 0; round < 6; round++) {
      const serve = await startServe(dataDir);
      // Clean start: no temp file from the previous (killed) process survives startup.
      expect(await readdir(join(dataDir, 'proxy', 'tmp'))).toEqual([]);
      expect((await readdir(join(dataDir, 'blobs', 'tmp'))).filter((n) => !n.startsWith(`${serve.child.pid}.`))).toEqual([]);
      await checkStore(dataDir);
      const clients = pkgs.map((p) => rawGet(serve.url, `/repos/k/${p}`).catch(() => null));
      await new Promise((r) => setTimeout(r, 50 + ((round * 97) % 400)));
      serve.child.kill('SIGKILL');
      await serve.exited;
      for (const [i, r] of (await Promise.all(clients)).entries()) {
        // Whatever a client got whole is right; anything else was cut short, never wrong and complete.
        if (r && r.status === 200 && !r.aborted) expect(sha256(r.body), pkgs[i]).toBe(want.get(pkgs[i]!));
      }
    }
    upstream.clearFaults();
    const serve = await startServe(dataDir);
    try {
      expect(await readdir(join(dataDir, 'proxy', 'tmp'))).toEqual([]);
      for (const p of pkgs) {
        const r = await rawGet(serve.url, `/repos/k/${p}`);
        expect(r.status, p).toBe(200);
        expect(sha256(r.body), p).toBe(want.get(p));
      }
      expect(await checkStore(dataDir)).toBeGreaterThanOrEqual(pkgs.length);
      // One full pass after all the kills: every version is retained, and its blob is whole.
      const pass = await fetch(`${serve.url}api/v1/monitor`, { method: 'POST', headers: { authorization: 'Bearer t' } });
      expect(pass.status).toBe(200);
      const listed = (await (await fetch(`${serve.url}api/v1/packages?repo=k`)).json()) as { packages: { location: string; retained: boolean; blobSha256: string | null }[] };
      expect(listed.packages.map((p) => p.location).sort()).toEqual([...pkgs].sort());
      for (const p of listed.packages) {
        expect(p.blobSha256, p.location).toBe(want.get(p.location));
        expect(p.retained, p.location).toBe(true);
      }
      await checkStore(dataDir);
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
  }, 120_000);
});
