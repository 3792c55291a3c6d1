// End to end through the proxy: an image decomposed against /repos/NAME/ and registered, upstream then
// publishes newer builds and evicts the image's, a monitor pass runs, and the image restores bit for bit
// from the proxy's /vault/NAME/ — upstream no longer has those builds.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDemoServices } from '../../src/demo/services.ts';
import type { RunningProxy } from '../../src/demo/cycle.ts';
import { buildPackages, createRepo, deltaPackage } from '../fixtures-gen/imageGen.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { cli, makeImageFixture, sha256Of, type ImageFixture } from './fixture.ts';

const TOKEN = 'image-test-token';
let fx: ImageFixture;
let upstreamDir: string;
let upstream: TestHttpServer;
let proxy: RunningProxy;

beforeAll(async () => {
  fx = makeImageFixture('yv-image-proxy-');
  upstreamDir = join(fx.work, 'upstream');
  mkdirSync(upstreamDir);
  for (const f of fx.rpms) copyFileSync(f, join(upstreamDir, f.slice(f.lastIndexOf('/') + 1)));
  createRepo(upstreamDir);
  upstream = await startTestHttpServer(upstreamDir);
  proxy = await defaultDemoServices().startProxy({ dataDir: join(fx.work, 'proxy-data'), upstreams: { base: upstream.url }, token: TOKEN });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  fx?.cleanup();
});

describe('through the proxy', () => {
  it('a registration the proxy refuses fails in one line that says the decomposition is written and how to register it later', async () => {
    const dir = join(fx.work, 'decomposed-badtoken');
    const d = await cli('decompose', fx.tar, '--repo', `${proxy.url}repos/base/`, '--out', dir, '--register', proxy.url, '--token', 'wrong-token');
    expect(d.code).toBe(1);
    expect(d.stderr.trim().split('\n')).toHaveLength(1);
    expect(d.stderr).toMatch(/refused the token.*is written and complete; register it later with: curl .*--data-binary @.*manifest\.json .*\/api\/v1\/manifests.*\[YV_AUTH\]/);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'residual.zst']);
    // …and that later registration works, with the file as it is.
    const later = await fetch(`${proxy.url}api/v1/manifests`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: readFileSync(join(dir, 'manifest.json')) });
    expect(later.status).toBeLessThan(300);
  });

  it('restores sha256-identical from the vault after upstream evicted the builds', async () => {
    const dir = join(fx.work, 'decomposed');
    const d = await cli('decompose', fx.tar, '--repo', `${proxy.url}repos/base/`, '--out', dir, '--register', proxy.url, '--token', TOKEN, '--json');
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const summary = JSON.parse(d.stdout);
    expect(summary.packagesFound).toBe(4);
    expect(summary.manifestId).toBeTruthy();

    // Upstream moves on: delta 1.0-2 replaces 1.0-1, alpha is rebuilt as 1.0-2; the old files are gone.
    const newer = buildPackages(join(fx.work, 'newer-build'), [deltaPackage('1.0', '2')], join(fx.work, 'newer'));
    for (const f of readdirSync(upstreamDir)) if (f.startsWith('delta-1.0-1') || f.startsWith('alpha-')) rmSync(join(upstreamDir, f));
    for (const f of newer) copyFileSync(f, join(upstreamDir, f.slice(f.lastIndexOf('/') + 1)));
    rmSync(join(upstreamDir, 'repodata'), { recursive: true });
    createRepo(upstreamDir);
    const pass = await fetch(`${proxy.url}api/v1/monitor`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(pass.status).toBe(200);

    // Restoring from upstream alone fails now, naming a missing build…
    const out = join(fx.work, 'restored.tar');
    const gone = await cli('restore', dir, '--repo', upstream.url, '--out', out);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/is in no repository/);
    // …and from the vault it is bit for bit.
    const r = await cli('restore', dir, '--repo', `${proxy.url}vault/base/`, '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verified).toBe('exact');
    expect(sha256Of(out)).toBe(sha256Of(fx.tar));
    expect((await cli('verify', dir, out)).code).toBe(0);
  });
});
