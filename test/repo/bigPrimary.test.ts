// A primary the size of a big distribution repository (70,000 packages) streams in bounded memory and
// reasonable time, from disk and through RepoClient over HTTP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeRepomd } from '../../src/repo/repomd.ts';
import { RepoClient } from '../../src/repo/client.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { writeBigPrimary } from './bigPrimary.ts';

const COUNT = 70_000;
// Node 24 from the node@24 devDependency (runs .ts directly), whatever node runs vitest.
const NODE = join(process.cwd(), 'node_modules/.bin/node');
let root: string;
let primaryPath: string;
let server: TestHttpServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'yv-repo-big-'));
  mkdirSync(join(root, 'repodata'));
  primaryPath = join(root, 'repodata', 'big-primary.xml.gz');
  await writeBigPrimary(primaryPath, COUNT);
  const bytes = readFileSync(primaryPath);
  writeFileSync(
    join(root, 'repodata', 'repomd.xml'),
    writeRepomd({
      revision: '1',
      entries: [{ type: 'primary', location: 'repodata/big-primary.xml.gz', checksum: { type: 'sha256', value: createHash('sha256').update(bytes).digest('hex') }, size: bytes.length }],
    }),
  );
  server = await startTestHttpServer(root);
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a 70,000-package primary', () => {
  it('streams in a separate process capped at a 64 MB heap, retaining almost nothing', async () => {
    expect(statSync(primaryPath).size).toBeGreaterThan(1_000_000);
    // A child with a small old-space cap: a parser that held the packages (hundreds of MB) would die.
    const { stdout } = await promisify(execFile)(
      NODE,
      ['--expose-gc', '--max-old-space-size=64', fileURLToPath(new URL('./bigPrimaryChild.ts', import.meta.url)), primaryPath],
      { encoding: 'utf8', timeout: 110_000 },
    );
    const r = JSON.parse(stdout) as { packages: number; last: string; seconds: number; retainedBytes: number };
    expect(r.packages).toBe(COUNT);
    expect(r.last).toBe(`pkg${(COUNT - 1) % 20000}`);
    expect(r.retainedBytes).toBeLessThan(16 * 1024 * 1024);
    console.log(`70k primary: ${r.seconds.toFixed(1)} s, heap retained after GC ${(r.retainedBytes / 1e6).toFixed(1)} MB`);
  }, 120_000);

  it('indexes over HTTP and finds a package by NEVRA', async () => {
    const client = new RepoClient(server.url);
    try {
      const hit = await client.findPackage({ name: 'pkg12345', epoch: 0, version: '1.45.0', release: '1.el9', arch: 'x86_64' });
      expect(hit?.location.href).toBe('Packages/1/pkg12345-1.45.0-1.el9.x86_64.rpm');
      expect(hit?.headerRange).toEqual({ start: 4504, end: 9000 + (12345 % 5000) });
      // Built once: the second lookup does not fetch primary again.
      const before = server.requests.length;
      expect(await client.findPackage({ name: 'pkg12345', epoch: 9, version: '1.45.0', release: '1.el9', arch: 'x86_64' })).toBeUndefined();
      expect(server.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  }, 120_000);
});
