// Shared pieces of the proxy tests: dependency-free packages built by the real rpmbuild through the shared
// helper (dnf can install them into an empty root), repodata by the real createrepo_c, an in-process proxy over real stores in a
// temp data dir, and small HTTP helpers.
import { spawn } from 'node:child_process';
import { createrepo as sharedCreaterepo } from '../fixtures-gen/createrepo.ts';
import { createCipheriv, createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildConfig, type ProxyConfig } from '../../proxy/config.ts';
import { createProxyServer, type ProxyDeps, type ProxyServer } from '../../proxy/server.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { openStores, type Stores } from '../../src/store/index.ts';
import { buildRpm } from '../fixtures-gen/rpmbuild.ts';

export interface PkgSpec {
  name: string;
  version: string;
  release: string;
  /** Incompressible payload bytes (the package is about this big). */
  payloadBytes?: number;
}

/**
 * Builds simple noarch packages (one data file, no dependencies, no scriptlets) with the shared rpmbuild
 * helper into repoDir/Packages; returns their paths relative to repoDir. The payload is stored
 * uncompressed and is pseudo-random but fixed per NEVRA (AES-CTR keyed by it), so the helper's
 * content-addressed cache serves repeated runs.
 */
export async function buildPackages(repoDir: string, specs: readonly PkgSpec[]): Promise<string[]> {
  mkdirSync(join(repoDir, 'Packages'), { recursive: true });
  const out: string[] = [];
  for (const s of specs) {
    const nevra = `${s.name}-${s.version}-${s.release}`;
    const built = await buildRpm({
      name: s.name, version: s.version, release: s.release, summary: `proxy test package ${s.name}`, compression: 'none',
      files: [
        { path: `/usr/share/${s.name}/data-${s.version}-${s.release}`, content: fixedRandom(nevra, s.payloadBytes ?? 2000) },
        { path: `/usr/share/${s.name}/version`, content: `${s.version}-${s.release}\n` },
      ],
    });
    const rel = `Packages/${basename(built)}`;
    copyFileSync(built, join(repoDir, rel));
    out.push(rel);
  }
  return out.sort();
}

/** `n` bytes that look random (incompressible) and are the same for the same seed. */
export function fixedRandom(seed: string, n: number): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

/** An upstream re-published in place, as a mirror does: createrepo_c --update. */
export function createrepo(repoDir: string): void {
  sharedCreaterepo(repoDir, { update: true });
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface RunningProxy {
  url: string;
  proxy: ProxyServer;
  stores: Stores;
  config: ProxyConfig;
  close(): Promise<void>;
}

/** A proxy in this process over real stores in `dataDir`, listening on 127.0.0.1:0. */
export async function startProxy(
  dataDir: string,
  upstreams: Record<string, string>,
  file: Record<string, unknown> = {},
  deps: Partial<ProxyDeps> = {},
): Promise<RunningProxy> {
  const config = buildConfig({ metadataTtl: '0s', upstreamTimeout: '2s', upstreamIdleTimeout: '2s', ...file }, {}, {
    data: dataDir,
    listen: '127.0.0.1:0',
    token: 'test-token',
    upstreams: Object.entries(upstreams).map(([k, v]) => `${k}=${v}`),
  });
  const stores = await openStores({ dataDir });
  const proxy = await createProxyServer(config, { catalog: stores.catalog, blobs: stores.blobs, logger: silentLogger, ...deps });
  const url = await proxy.start();
  return {
    url, proxy, stores, config,
    async close() {
      await proxy.stop();
      await stores.close();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body ended short of Content-Length or the connection was cut. */
  aborted: boolean;
}

/** One HTTP request with the path sent exactly as given (no normalisation of '..' or escapes). */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}, method = 'GET', localAddress?: string): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method, headers, agent: false, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => {
        const body = Buffer.concat(chunks);
        const cl = res.headers['content-length'];
        if (cl !== undefined && method !== 'HEAD' && Number(cl) !== body.length) aborted = true;
        if (!res.complete) aborted = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, aborted });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (the proxy under test runs in this process). */
export function runAsync(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** dnf against an empty install root with only the repo files in `reposDir`. */
export function dnf(work: string, reposDir: string, root: string, args: readonly string[]): Promise<Ran> {
  return runAsync('dnf', [
    '-y', '--installroot', root, '--releasever', '1', `--setopt=reposdir=${reposDir}`, `--setopt=cachedir=${join(work, 'dnfcache')}`,
    '--setopt=install_weak_deps=0', '--setopt=gpgcheck=0', '--setopt=metadata_expire=0', '--setopt=skip_if_unavailable=0', ...args,
  ]);
}
