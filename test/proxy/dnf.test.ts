// Real dnf through /repos/NAME/ (with the .repo file the proxy hands out) from an upstream built by real
// rpmbuild + createrepo_c on a real HTTP server; upstream then publishes newer builds and evicts old ones,
// and dnf keeps working. Then the same with a gpg-signed upstream and repo_gpgcheck=1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRepomd } from '../../src/repo/repomd.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { buildPackages, createrepo, dnf, rawGet, sha256, startProxy, tempDir, type RunningProxy } from './helpers.ts';

let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir('yv-proxy-dnf-');
});

afterAll(async () => {
  await work?.remove();
});

/** Upstream moves on: new builds in, the oldest out, new repodata (signed when a GNUPGHOME is given). */
async function publish(repoDir: string, add: { name: string; release: string }[], evict: string[], gnupg?: string): Promise<void> {
  await buildPackages(repoDir, add.map((a) => ({ name: a.name, version: '1.0', release: a.release })));
  for (const f of evict) rmSync(join(repoDir, f));
  createrepo(repoDir);
  if (gnupg) sign(repoDir, gnupg);
}

function sign(repoDir: string, gnupg: string): void {
  const env = { ...process.env, GNUPGHOME: gnupg };
  rmSync(join(repoDir, 'repodata/repomd.xml.asc'), { force: true });
  execFileSync('gpg', ['--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', '--detach-sign', '--armor', join(repoDir, 'repodata/repomd.xml')], { env, stdio: 'ignore' });
  writeFileSync(join(repoDir, 'repodata/repomd.xml.key'), execFileSync('gpg', ['--batch', '--export', '--armor'], { env }));
}

async function writeRepoFile(proxy: RunningProxy, name: string, reposDir: string): Promise<string> {
  mkdirSync(reposDir, { recursive: true });
  const text = (await rawGet(proxy.url, `/repos/${name}.repo`)).body.toString();
  writeFileSync(join(reposDir, `${name}.repo`), text);
  return text;
}

async function everyListedFileServes(proxy: RunningProxy, name: string): Promise<number> {
  const repomd = await rawGet(proxy.url, `/repos/${name}/repodata/repomd.xml`);
  const entries = (await parseRepomd(repomd.body)).entries;
  for (const e of entries) {
    const r = await rawGet(proxy.url, `/repos/${name}/${e.location}`);
    expect(r.status, e.location).toBe(200);
    expect(sha256(r.body), e.location).toBe(e.checksum.value);
  }
  return entries.length;
}

describe('real dnf through the proxy', () => {
  let upstream: TestHttpServer;
  let proxy: RunningProxy;

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  it('installs an exact NEVRA, and keeps working after upstream publishes newer builds and evicts old ones', async () => {
    const repoDir = join(work.path, 'plain');
    const first = await buildPackages(repoDir, [{ name: 'yvd-app', version: '1.0', release: '1' }, { name: 'yvd-lib', version: '1.0', release: '1' }]);
    createrepo(repoDir);
    upstream = await startTestHttpServer(repoDir);
    proxy = await startProxy(join(work.path, 'data-plain'), { plain: upstream.url });
    const reposDir = join(work.path, 'repos-plain');
    expect(await writeRepoFile(proxy, 'plain', reposDir)).toContain(`baseurl=${proxy.url}repos/plain/`);

    const root1 = join(work.path, 'root1');
    const r1 = await dnf(work.path, reposDir, root1, ['install', 'yvd-app-1.0-1.noarch']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(readFileSync(join(root1, 'usr/share/yvd-app/version'), 'utf8').trim()).toBe('1.0-1');
    // The package dnf fetched is byte-identical to upstream's and cached.
    const app1 = first.find((f) => f.includes('yvd-app'))!;
    expect(await proxy.stores.blobs.has(sha256(readFileSync(join(repoDir, app1))))).toBe(true);

    await publish(repoDir, [{ name: 'yvd-app', release: '2' }], [app1]);
    const root2 = join(work.path, 'root2');
    const r2 = await dnf(work.path, reposDir, root2, ['--refresh', 'install', 'yvd-app-1.0-2.noarch', 'yvd-lib']);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readFileSync(join(root2, 'usr/share/yvd-app/version'), 'utf8').trim()).toBe('1.0-2');
    expect(existsSync(join(root2, 'usr/share/yvd-lib/version'))).toBe(true);
    const served = await rawGet(proxy.url, '/repos/plain/repodata/repomd.xml');
    expect(served.body.equals(readFileSync(join(repoDir, 'repodata/repomd.xml')))).toBe(true);
    expect(await everyListedFileServes(proxy, 'plain')).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('real dnf with a gpg-signed upstream (repo_gpgcheck=1)', () => {
  let upstream: TestHttpServer;
  let proxy: RunningProxy;

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  it('keeps verifying across an upstream revision, and every listed file answers 200', async () => {
    const gnupg = join(work.path, 'gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'yumvault test <test@yumvault.invalid>', 'rsa2048', 'sign', 'never'], {
      env: { ...process.env, GNUPGHOME: gnupg }, stdio: 'ignore',
    });
    const repoDir = join(work.path, 'signed');
    const first = await buildPackages(repoDir, [{ name: 'yvs-app', version: '1.0', release: '1' }]);
    createrepo(repoDir);
    sign(repoDir, gnupg);
    upstream = await startTestHttpServer(repoDir);
    proxy = await startProxy(join(work.path, 'data-signed'), {}, { repos: { signed: { upstream: upstream.url, repoGpgcheck: true } } });
    const reposDir = join(work.path, 'repos-signed');
    const repoFile = await writeRepoFile(proxy, 'signed', reposDir);
    expect(repoFile).toContain('repo_gpgcheck=1');
    expect(repoFile).toContain(`gpgkey=${proxy.url}repos/signed/repodata/repomd.xml.key`);

    const r1 = await dnf(work.path, reposDir, join(work.path, 'sroot1'), ['install', 'yvs-app-1.0-1.noarch']);
    expect(r1.status, r1.stderr).toBe(0);

    for (let rev = 2; rev <= 3; rev++) {
      await publish(repoDir, [{ name: 'yvs-app', release: String(rev) }], rev === 3 ? [first[0]!] : [], gnupg);
      const r = await dnf(work.path, reposDir, join(work.path, `sroot${rev}`), ['--refresh', 'install', `yvs-app-1.0-${rev}.noarch`]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/Bad GPG signature/i);
      const asc = await rawGet(proxy.url, '/repos/signed/repodata/repomd.xml.asc');
      expect(asc.body.equals(readFileSync(join(repoDir, 'repodata/repomd.xml.asc')))).toBe(true);
      expect(await everyListedFileServes(proxy, 'signed')).toBeGreaterThanOrEqual(3);
    }
    // Control: a signature that does not match its repomd.xml is refused by dnf, so the checks above bite.
    const staleAsc = readFileSync(join(repoDir, 'repodata/repomd.xml.asc'));
    await publish(repoDir, [{ name: 'yvs-app', release: '4' }], []);
    writeFileSync(join(repoDir, 'repodata/repomd.xml.asc'), staleAsc);
    const bad = await dnf(work.path, reposDir, join(work.path, 'sroot4'), ['--refresh', 'install', 'yvs-app-1.0-4.noarch']);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/GPG|signature/i);
  }, 180_000);
});
