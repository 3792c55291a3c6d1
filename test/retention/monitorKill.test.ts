// `yumvault monitor --once` as a real process, SIGKILLed at random points of retention several times:
// the next pass is clean, nothing retained is lost or corrupt, no event is recorded twice.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { PostgresDatabase } from '../../src/store/postgres.ts';
import type { Catalog } from '../../src/store/catalog.ts';
import { pgUnavailableReason, startPgCluster } from '../store/pgCluster.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildRpms, publishRepo, type BuiltRpm } from './rpmRepo.ts';

const NODE = join(process.cwd(), 'node_modules/.bin/node');
const MAIN = join(process.cwd(), 'src/cli/main.ts');
let dir: string;
let server: TestHttpServer;
let built: BuiltRpm[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-kill-'));
  built = await buildRpms(join(dir, 'build'), Array.from({ length: 16 }, (_, i) => ({ name: `pkg${String(i).padStart(2, '0')}`, version: '1.0', release: '1', payloadBytes: 1_000_000 })));
  publishRepo(join(dir, 'upstream'), built);
  server = await startTestHttpServer(join(dir, 'upstream'));
}, 180_000);

/** A config for one backend: its own data dir, the same upstream, policy `all`. */
function writeConfig(name: string, catalogUrl?: string): { config: string; data: string } {
  const data = join(dir, `data-${name}`);
  const config = join(dir, `yumvault-${name}.yaml`);
  writeFileSync(config, `data: ${data}\n${catalogUrl ? `catalog: "${catalogUrl}"\n` : ''}retention: { keep: [all] }\nrepos:\n  base:\n    upstream: ${server.url}\n`);
  return { config, data };
}
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function countBlobs(root: string): number {
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const a of readdirSync(root)) {
    if (a === 'tmp') continue;
    for (const b of readdirSync(join(root, a))) n += readdirSync(join(root, a, b)).length;
  }
  return n;
}

/** Kill trigger: after `ms`, or once the child logged `count` lines matching `pattern` (deterministic mid-pass kills). */
type Kill = { ms: number } | { pattern: RegExp; count: number };

function monitorOnce(config: string, kill?: Kill): Promise<{ code: number | null; signal: string | null; out: string }> {
  const child = spawn(NODE, [MAIN, 'monitor', '--once', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let seen = 0;
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => {
    out += c;
    if (kill && 'pattern' in kill) {
      seen += String(c).split('\n').filter((l) => kill.pattern.test(l)).length;
      if (seen >= kill.count) child.kill('SIGKILL');
    }
  });
  const timer = kill && 'ms' in kill ? setTimeout(() => child.kill('SIGKILL'), kill.ms) : undefined;
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, out });
  }));
}

async function killScenario(config: string, data: string, openCatalog: () => Promise<Catalog>): Promise<void> {
  // Kill points: start-up, right after the scan, and in the middle of the downloads, several times.
  const kills: Kill[] = [{ ms: 250 }, { pattern: /revision/, count: 1 }, { pattern: /"retained /, count: 1 }, { pattern: /"retained /, count: 3 }, { pattern: /"retained /, count: 6 }];
  let killed = 0;
  const heldAfterKill: number[] = [];
  for (const ms of kills) {
    const r = await monitorOnce(config, ms);
    if (r.signal === 'SIGKILL') {
      killed++;
      heldAfterKill.push(countBlobs(join(data, 'blobs')));
    } else expect(r.code, r.out).toBe(0);
  }
  expect(killed).toBeGreaterThanOrEqual(3);
  // At least one kill landed in the middle of retention (some packages held, not all).
  expect(heldAfterKill.some((n) => n > 0 && n < built.length), `blobs held after each kill: ${heldAfterKill.join(', ')}`).toBe(true);
  const clean = await monitorOnce(config);
  expect(clean.code, clean.out).toBe(0);
  expect(clean.out).toContain('0 lost');

  const blobsDir = join(data, 'blobs');
  expect(readdirSync(join(blobsDir, 'tmp'))).toEqual([]);
  // The vault was published by the clean pass, and no killed publication left its staging dir behind.
  expect(readdirSync(join(data, 'vault', 'base')).filter((n) => n.startsWith('.staging'))).toEqual([]);
  expect(existsSync(join(data, 'vault', 'base', 'repodata', 'repomd.xml'))).toBe(true);
  const catalog = await openCatalog();
  try {
    for (const b of built) {
      const [row] = await catalog.findByPkgid(b.sha256);
      expect(row, b.nevra).toMatchObject({ retained: true, blobSha256: b.sha256 });
      const path = join(blobsDir, b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256);
      expect(existsSync(path)).toBe(true);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(b.sha256);
    }
    const events = await catalog.listEvents({ limit: 10_000 });
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    expect(count('appeared')).toBe(built.length);
    expect(count('retained')).toBe(built.length);
    expect(count('lost')).toBe(0);
    const [repo] = await catalog.listRepos();
    expect(repo!.counts).toMatchObject({ versions: built.length, retained: built.length, held: built.length, lost: 0 });
    expect(repo!.lastPassError).toBeNull();
  } finally {
    await catalog.close();
  }
  // A last pass has nothing to do.
  const idle = await monitorOnce(config);
  expect(idle.out).toMatch(/\(unchanged\).* 0 retained/);
}

test('SIGKILL mid-retention, many times (SQLite catalog): the next pass completes, nothing lost or corrupt', async () => {
  const { config, data } = writeConfig('sqlite');
  await killScenario(config, data, async () => SqlCatalog.open(SqliteDatabase.open(join(data, 'catalog.sqlite'))));
}, 120_000);

const pgReason = pgUnavailableReason();
if (pgReason) console.warn(`SKIPPING the PostgreSQL kill test: ${pgReason}`);
test.skipIf(pgReason !== null)('SIGKILL mid-retention, many times (PostgreSQL catalog, advisory lock)', async () => {
  const cluster = startPgCluster();
  try {
    const { config, data } = writeConfig('pg', cluster.url);
    await killScenario(config, data, async () => SqlCatalog.open(await PostgresDatabase.connect(cluster.url)));
  } finally {
    cluster.stop();
  }
}, 120_000);
