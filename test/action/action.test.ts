// Runs the bundled action exactly as the runner does: `node dist/action.js` (and the post step) copied to a
// workspace with no node_modules, inputs as INPUT_* variables, outputs/state/summary as files, and the cache
// service played by a real HTTP server on 127.0.0.1 speaking @actions/cache's v1 and v2 protocols.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { generatePool, publish, window } from '../../src/demo/upstreamRepo.ts';
import { buildImage } from '../../src/demo/imageBuilder.ts';
import { startCacheServer, type CacheServer } from '../fixtures-gen/cacheServer.ts';
import { startTestHttpServer } from '../fixtures-gen/httpServer.ts';
import { writeRepodata } from '../../src/repo/writer.ts';
import { defaultDemoServices } from '../../src/demo/services.ts';
import { buildPackages, createRepo, editRoot, installRoot, standardPackages, tarRoot } from '../fixtures-gen/imageGen.ts';

const root = mkdtempSync(join(tmpdir(), 'yv-action-'));
const actionDir = join(root, 'action');
let repoUrl = '';
let imagePath = '';
let imageSha = '';
let cacheServer: CacheServer;
let pool: Awaited<ReturnType<typeof generatePool>>;

const repodataWriter = async (dir: string, pkgs: ReadonlyArray<{ relativePath: string }>): Promise<void> => {
  await writeRepodata(dir, pkgs.map((p) => ({ path: join(dir, p.relativePath), location: p.relativePath })));
};

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses the runner's file command format (`name<<delim` … `delim`, or `name=value`). */
function parseFileCommand(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i++]!);
      out[heredoc[1]!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

interface Step {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

// Asynchronous on purpose: the cache server lives in this process, and a blocking spawn would starve it.
async function runStep(
  entry: 'action.js' | 'action-post.js',
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  state: Record<string, string> = {},
): Promise<Step> {
  const files = mkdtempSync(join(root, 'files-'));
  const output = join(files, 'output');
  const stateFile = join(files, 'state');
  const summary = join(files, 'summary');
  for (const f of [output, stateFile, summary]) writeFileSync(f, '');
  const inputEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const stateEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(state)) stateEnv[`STATE_${k}`] = v;
  const child = spawn(process.execPath, [join(actionDir, 'dist', entry)], {
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? root,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      GITHUB_STATE: stateFile,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REF: 'refs/heads/main',
      RUNNER_TEMP: join(files, 'tmp'),
      RUNNER_OS: 'Linux',
      ...inputEnv,
      ...stateEnv,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return {
    status: code ?? -1,
    stdout,
    stderr,
    outputs: parseFileCommand(output),
    state: parseFileCommand(stateFile),
    summary: readFileSync(summary, 'utf8'),
  };
}

function workspace(): string {
  const ws = mkdtempSync(join(root, 'ws-'));
  mkdirSync(join(ws, 'out'));
  return ws;
}

beforeAll(async () => {
  // The action as a runner checks it out: action.yml and dist/, nothing else (no node_modules).
  cpSync('dist', join(actionDir, 'dist'), { recursive: true });
  copyFileSync('action.yml', join(actionDir, 'action.yml'));

  const names = ['demo-shell', 'demo-tools'];
  pool = await generatePool({ names, builds: 2 });
  const repoDir = join(root, 'repo');
  await publish(repoDir, window(pool, 0, 1), repodataWriter);
  repoUrl = pathToFileURL(repoDir).href + '/';
  imagePath = join(root, 'rootfs.tar');
  const built = await buildImage(
    imagePath,
    window(pool, 0, 1).map((b) => ({ spec: b.spec, rpm: b.rpm.bytes })),
    { extraFiles: [{ path: '/etc/hostname', contents: 'ci-build\n' }] },
  );
  imageSha = built.sha256;
  cacheServer = await startCacheServer();
}, 180_000);

afterAll(async () => {
  await cacheServer?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the bundled action', () => {
  it('fails with a clear annotation on bad input', async () => {
    const r = await runStep('action.js', workspace(), { command: 'explode', image: imagePath, repos: repoUrl });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::.*command.*decompose, restore, auto/);
  });

  for (const version of ['v1', 'v2'] as const) {
    it(`decomposes, saves to the cache (${version}), and a later run restores byte-identical`, async () => {
      const ws1 = workspace();
      const d = await runStep(
        'action.js',
        ws1,
        { command: 'decompose', image: imagePath, repos: repoUrl, name: `img-${version}`, token: 'sekrit-token-123' },
        cacheServer.env(version),
      );
      expect(d.status, d.stdout + d.stderr).toBe(0);
      expect(d.outputs.sha256).toBe(imageSha);
      expect(Number(d.outputs.packages)).toBe(2);
      expect(Number(d.outputs['stored-bytes'])).toBeGreaterThan(0);
      expect(Number(d.outputs['stored-bytes'])).toBeLessThan(Number(d.outputs['image-bytes']));
      expect(d.outputs['cache-key']).toBe(`yumvault-img-${version}-${imageSha}`);
      expect(d.outputs.dir).toBe(join('.yumvault', `img-${version}`));
      expect(d.summary).toContain('Packages found');
      // The runner masks the token from the ::add-mask:: command on, which must come before anything else.
      expect(d.stdout.startsWith('::add-mask::sekrit-token-123\n')).toBe(true);
      expect(d.stdout.slice('::add-mask::sekrit-token-123\n'.length)).not.toContain('sekrit-token-123');
      expect(cacheServer.entries().some((e) => e.key === d.outputs['cache-key'] && e.committed)).toBe(true);

      // A later run: a fresh workspace, only the name in common.
      const ws2 = workspace();
      const out = join(ws2, 'out', 'restored.tar');
      const r = await runStep('action.js', ws2, { command: 'restore', image: out, repos: repoUrl, name: `img-${version}` }, cacheServer.env(version));
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.outputs['cache-hit']).toBe('true');
      expect(r.outputs['cache-key']).toBe(d.outputs['cache-key']);
      expect(sha256(out)).toBe(imageSha);
      expect(r.outputs.sha256).toBe(imageSha);
      expect(r.summary).toContain('bit for bit');
    });
  }

  it('auto: misses, decomposes in the post step, then a later run restores', async () => {
    const env = cacheServer.env('v1');
    const ws = workspace();
    const target = join(ws, 'out', 'rootfs.tar');
    const inputs = { command: 'auto', image: target, repos: repoUrl, name: 'auto-img' };
    const main = await runStep('action.js', ws, inputs, env);
    expect(main.status, main.stdout + main.stderr).toBe(0);
    expect(main.outputs['cache-hit']).toBe('false');
    // The job builds the image, then the post step decomposes it.
    copyFileSync(imagePath, target);
    const post = await runStep('action-post.js', ws, inputs, env, main.state);
    expect(post.status, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain('Decompose');

    const ws2 = workspace();
    const target2 = join(ws2, 'out', 'rootfs.tar');
    const again = await runStep('action.js', ws2, { ...inputs, image: target2 }, env);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.outputs['cache-hit']).toBe('true');
    expect(sha256(target2)).toBe(imageSha);
    // A hit leaves nothing for the post step to do.
    const post2 = await runStep('action-post.js', ws2, { ...inputs, image: target2 }, env, again.state);
    expect(post2.status).toBe(0);
    expect(post2.stdout).not.toContain('Decompose');
  });

  it('round-trips an image made by the real tools (rpmbuild, createrepo_c, rpm, GNU tar --format=pax) through the v2 cache', async () => {
    const work = mkdtempSync(join(root, 'real-'));
    const repo = join(work, 'repo');
    const rpms = buildPackages(work, standardPackages(), repo);
    createRepo(repo);
    const rootfs = join(work, 'root');
    installRoot(rootfs, rpms);
    editRoot(rootfs);
    const image = join(work, 'rootfs.tar');
    tarRoot(rootfs, image, 'pax');
    const sha = sha256(image);
    const env = cacheServer.env('v2');
    const d = await runStep('action.js', workspace(), { command: 'decompose', image, repos: repo, name: 'real-rootfs' }, env);
    expect(d.status, d.stdout + d.stderr).toBe(0);
    expect(d.outputs.sha256).toBe(sha);
    expect(Number(d.outputs.packages)).toBe(rpms.length);
    const ws = workspace();
    const out = join(ws, 'out', 'rootfs.tar');
    const r = await runStep('action.js', ws, { command: 'restore', image: out, repos: repo, name: 'real-rootfs' }, env);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['cache-hit']).toBe('true');
    expect(sha256(out)).toBe(sha);
  });

  it('restores through the proxy after upstream evicted the builds: /repos/NAME/ falls back to /vault/NAME/', async () => {
    const TOKEN = 'action-proxy-token';
    const upstreamDir = join(root, 'upstream-http');
    await publish(upstreamDir, window(pool, 0, 1), repodataWriter);
    const upstream = await startTestHttpServer(upstreamDir);
    const proxy = await defaultDemoServices().startProxy({ dataDir: join(root, 'proxy-data'), upstreams: { base: upstream.url }, token: TOKEN, metadataTtl: '0' });
    try {
      const env = cacheServer.env('v1');
      const inputs = { repos: `${proxy.url}repos/base/`, name: 'proxied', proxy: proxy.url, token: TOKEN };
      const d = await runStep('action.js', workspace(), { ...inputs, command: 'decompose', image: imagePath }, env);
      expect(d.status, d.stdout + d.stderr).toBe(0);
      expect(d.summary).toMatch(/Registered with proxy<\/td><td>yes/);

      // Upstream publishes the next builds and evicts the image's; the proxy's monitor notices.
      const { evicted } = await publish(upstreamDir, window(pool, 1, 2), repodataWriter);
      expect(evicted.length).toBe(2);
      const pass = await fetch(`${proxy.url}api/v1/monitor`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(pass.status).toBe(200);
      // The proxy now serves upstream's new revision under /repos/base/: the image's builds are no longer
      // listed there, only in the vault.
      const primaryNow = await fetch(`${proxy.url}repos/base/repodata/repomd.xml`);
      expect(primaryNow.status).toBe(200);
      const { RepoClient } = await import('../../src/repo/client.ts');
      const client = new RepoClient(`${proxy.url}repos/base/`);
      const listed: string[] = [];
      for await (const p of client.streamPrimary()) listed.push(`${p.name}-${p.version}-${p.release}`);
      await client.close();
      expect(listed.length).toBe(2);
      expect(listed.every((n) => !evicted.some((f) => f.startsWith(n)))).toBe(true);

      const ws = workspace();
      const out = join(ws, 'out', 'rootfs.tar');
      const r = await runStep('action.js', ws, { ...inputs, command: 'restore', image: out }, env);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(sha256(out)).toBe(imageSha);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('warns once and goes on when the cache service is absent', async () => {
    const ws = workspace();
    const d = await runStep('action.js', ws, { command: 'decompose', image: imagePath, repos: repoUrl, name: 'nocache' });
    expect(d.status, d.stdout + d.stderr).toBe(0);
    expect(d.stdout.match(/::warning::The GitHub cache service is not available/g)?.length).toBe(1);
    expect(existsSync(join(ws, '.yumvault', 'nocache', 'manifest.json'))).toBe(true);
    expect(existsSync(join(ws, '.yumvault', 'nocache', 'residual.zst'))).toBe(true);
    // restore in the same workspace: the dir is there, no cache needed.
    const out = join(ws, 'out', 'again.tar');
    const r = await runStep('action.js', ws, { command: 'restore', image: out, repos: repoUrl, name: 'nocache' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(sha256(out)).toBe(imageSha);
  });

  it('restore without any decomposition fails naming what to do', async () => {
    const ws = workspace();
    const r = await runStep('action.js', ws, { command: 'restore', image: join(ws, 'out', 'x.tar'), repos: repoUrl, name: 'never-made' }, cacheServer.env('v1'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::.*no decomposition of 'never-made'.*command: decompose/);
    expect(existsSync(join(ws, 'out', 'x.tar'))).toBe(false);
  });
});
