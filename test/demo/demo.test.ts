// The README's first command: the whole cycle through the real proxy, decompose, monitor, restore and
// verify, then checked from outside with the real tools.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runDemoCycle } from '../../src/demo/cycle.ts';
import { defaultDemoServices } from '../../src/demo/services.ts';
import { silentProgress } from '../../src/util/progress.ts';
import { rpmRoot, run, runAsync } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), progress: silentProgress });
  return { code, stdout, stderr };
}

describe('yumvault demo', () => {
  it('runs the whole cycle and restores the image bit for bit from the vault', async () => {
    const keep = join(dir, 'kept');
    const t0 = Date.now();
    const r = await cli(['demo', '--json', '--keep', keep]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000);
    const out = JSON.parse(r.stdout) as {
      packages: number;
      image: { sha256: string; size: number };
      storedBytes: number;
      ratio: number;
      buildsEvictedUpstream: number;
      imageBuildsEvictedUpstream: number;
      retainedByProxy: number;
      restored: { sha256: string; matches: boolean };
      steps: Array<{ name: string; ms: number }>;
    };
    expect(out.packages).toBe(5);
    expect(out.buildsEvictedUpstream).toBe(15);
    expect(out.imageBuildsEvictedUpstream).toBe(5);
    expect(out.retainedByProxy).toBe(5);
    expect(out.restored).toEqual({ sha256: out.image.sha256, matches: true });
    expect(out.steps).toHaveLength(11);

    // From outside: the restored file is the image, byte for byte.
    const image = readFileSync(join(keep, 'image.tar'));
    const restored = readFileSync(join(keep, 'restored.tar'));
    expect(createHash('sha256').update(image).digest('hex')).toBe(out.image.sha256);
    expect(Buffer.compare(image, restored)).toBe(0);
    // What is stored is small next to the image: manifest + residual.
    const manifest = JSON.parse(readFileSync(join(keep, 'decomposed/manifest.json'), 'utf8')) as { format: string; packages: Array<{ name: string; version: string }> };
    expect(manifest.format).toBe('yumvault.manifest/1');
    expect(manifest.packages.map((p) => `${p.name}-${p.version}`).sort()).toEqual(
      ['demo-data', 'demo-libs', 'demo-server', 'demo-shell', 'demo-tools'].map((n) => `${n}-1.1`),
    );
    const stored = readFileSync(join(keep, 'decomposed/manifest.json')).length + readFileSync(join(keep, 'decomposed/residual.zst')).length;
    expect(out.storedBytes).toBe(stored);
    expect(out.ratio).toBeGreaterThan(20);
    // Upstream really moved on: its repodata lists none of the image's builds.
    const ups = await runAsync('dnf', [
      '-q', '--refresh', '--setopt=reposdir=/nonexistent', `--setopt=cachedir=${join(dir, 'cache')}`,
      '--repofrompath', `up,file://${join(keep, 'upstream/demo')}`, '--repo', 'up', 'repoquery', '--qf', '%{name}-%{version}', 'demo-shell',
    ]);
    expect(ups.stdout.trim().split('\n').sort()).toEqual(['demo-shell-1.1', 'demo-shell-1.2', 'demo-shell-2.0']);
    // The restored root is one rpm recognises: its database lists the packages, only the image's edits differ.
    const root = join(dir, 'root');
    mkdirSync(root);
    expect(run('tar', ['-C', root, '-xpf', join(keep, 'restored.tar')]).status).toBe(0);
    expect(rpmRoot(root, ['-qa']).stdout.trim().split('\n')).toHaveLength(5);
    expect(rpmRoot(root, ['-V', '-a']).stdout.trim().split('\n').sort()).toEqual([
      'S.5....T.  c /etc/demod.conf',
      'missing   d /usr/share/doc/demo-tools/NEWS',
    ]);
  });

  it('prints a readable table, and cleans up after itself without --keep', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('yumvault-demo-'));
    const r = await cli(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restored sha256 matches\s+yes/);
    expect(r.stdout).toMatch(/retained by the proxy\s+5 of 5/);
    expect(r.stdout).toMatch(/builds evicted upstream\s+15 \(5 of them in the image\)/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('yumvault-demo-'))).toEqual(before);
  });

  it('plain dnf installs the evicted builds from the vault, and no longer finds them upstream', async () => {
    let checked = false;
    const r = await runDemoCycle({
      workDir: join(dir, 'dnf'),
      services: defaultDemoServices(),
      beforeShutdown: async ({ proxyUrl, upstreamUrl }) => {
        const dnf = (repo: string, ...args: string[]) =>
          runAsync('dnf', [
            '-y', '-q', '--refresh', '--releasever', '1', '--setopt=reposdir=/nonexistent', `--setopt=cachedir=${join(dir, `dnfcache-${repo}`)}`,
            '--setopt=gpgcheck=0', '--setopt=install_weak_deps=0', '--installroot', join(dir, `dnfroot-${repo}`),
            '--repofrompath', `${repo},${repo === 'vault' ? `${proxyUrl}vault/demo/` : upstreamUrl}`, '--repo', repo, ...args,
          ]);
        const up = await dnf('upstream', 'install', 'demo-server-1.1-1');
        expect(up.status).not.toBe(0);
        const vault = await dnf('vault', 'install', 'demo-server-1.1-1', 'demo-libs-1.1-1');
        expect(vault.status, vault.stderr).toBe(0);
        // dnf's rpm keeps the database at its configured %_dbpath: ask rpm with the same configuration.
        const listed = run('rpm', ['--root', join(dir, 'dnfroot-vault'), '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\n']).stdout;
        expect(listed.trim().split('\n').sort()).toEqual(['demo-libs-1.1-1', 'demo-server-1.1-1']);
        expect(readFileSync(join(dir, 'dnfroot-vault/usr/sbin/demod')).length).toBe(450_000);
        checked = true;
      },
    });
    expect(checked).toBe(true);
    expect(r.restoredMatches).toBe(true);
  });

  it('refuses a --keep directory that is not empty (usage error, exit 2)', async () => {
    const r = await cli(['demo', '--keep', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty/);
  });
});
