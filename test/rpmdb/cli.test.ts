// `yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]`.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { silentProgress } from '../../src/util/progress.ts';
import { FIXTURES, tempDir } from './helpers.ts';
import { run } from './rpmTools.ts';

const tmp = tempDir('yv-rpmdb-cli-');
afterAll(() => tmp.remove());

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), progress: silentProgress };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('yumvault inspect rpmdb', () => {
  it('prints {backend, path, packages} for a root directory', async () => {
    const root = join(tmp.dir, 'root');
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    copyFileSync(join(FIXTURES, 'rhel8-libuuid/Packages'), join(root, 'var/lib/rpm/Packages'));
    const r = await cli('inspect', 'rpmdb', root, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      backend: 'bdb',
      path: '/var/lib/rpm/Packages',
      packages: [{ name: 'libuuid', epoch: 0, version: '2.32.1', release: '42.el8_8', arch: 'x86_64', fileCount: 7 }],
    });
  });

  it('reads a tar image and prints a table without --json', async () => {
    const root = join(tmp.dir, 'img');
    mkdirSync(join(root, 'usr/lib/sysimage/rpm'), { recursive: true });
    mkdirSync(join(root, 'var/lib'), { recursive: true });
    copyFileSync(join(FIXTURES, 'sle15-bci/Packages.db'), join(root, 'usr/lib/sysimage/rpm/Packages.db'));
    run('ln', ['-s', '../../usr/lib/sysimage/rpm', join(root, 'var/lib/rpm')]);
    const tar = join(tmp.dir, 'img.tar');
    expect(run('tar', ['-C', root, '-cf', tar, '.']).status).toBe(0);
    const j = await cli('inspect', 'rpmdb', tar, '--json');
    expect(j.code).toBe(0);
    const listing = JSON.parse(j.stdout);
    expect(listing.backend).toBe('ndb');
    expect(listing.path).toBe('/usr/lib/sysimage/rpm/Packages.db');
    expect(listing.packages.length).toBe(35);
    const t = await cli('inspect', 'rpmdb', tar);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ndb database /usr/lib/sysimage/rpm/Packages.db: 35 packages');
    expect(lines[1]).toMatch(/^NAME\s+EPOCH\s+VERSION\s+RELEASE\s+ARCH\s+FILES$/);
    expect(lines.length).toBe(2 + 35);
    expect(t.stdout).toMatch(/^bash\s+4\.4\s+19\.6\.1\s+x86_64\s+\d+$/m);

    // Compressed images are inflated once to a temp tar by src/image.
    expect(run('gzip', ['-k', tar]).status).toBe(0);
    const gz = await cli('inspect', 'rpmdb', `${tar}.gz`, '--json');
    expect(gz.stderr).toBe('');
    expect(JSON.parse(gz.stdout)).toEqual(listing);
  });

  it('reads a database file given directly', async () => {
    const r = await cli('inspect', 'rpmdb', join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), '--json');
    expect(r.code).toBe(0);
    const listing = JSON.parse(r.stdout);
    expect(listing.backend).toBe('sqlite');
    expect(listing.packages.length).toBe(129);
    expect(listing.packages.find((p: { name: string }) => p.name === 'curl').fileCount).toBe(6);
  });

  it('fails with one line and exit 1 on a missing or corrupt database', async () => {
    const missing = await cli('inspect', 'rpmdb', join(tmp.dir, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stdout).toBe('');

    const empty = join(tmp.dir, 'emptyroot');
    mkdirSync(empty);
    const none = await cli('inspect', 'rpmdb', empty, '--json');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no rpm database found/);

    const bad = join(tmp.dir, 'badroot');
    mkdirSync(join(bad, 'var/lib/rpm'), { recursive: true });
    const bytes = new Uint8Array(4096 * 3);
    bytes.set([0x61, 0x15, 0x06, 0x00], 12); // BerkeleyDB hash magic, nothing sensible after it
    writeFileSync(join(bad, 'var/lib/rpm/Packages'), bytes);
    const corrupt = await cli('inspect', 'rpmdb', bad);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toMatch(/YV_RPMDB/);
  });

  it('rejects bad usage with exit 2', async () => {
    const r = await cli('inspect', 'rpmdb');
    expect(r.code).toBe(2);
  });
});
