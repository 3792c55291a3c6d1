// Restore policies: --upgrade NAME=EVR and an edited manifest (other builds, verified per file),
// --substitute minor when the exact build is gone, refusal of builds a security advisory superseded.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreImage } from '../../src/image/restore.ts';
import { buildPackages, createRepo, deltaPackage } from '../fixtures-gen/imageGen.ts';
import { cli, makeImageFixture, sha256Of, type ImageFixture } from './fixture.ts';

let fx: ImageFixture;
let dir: string;
let fullRepo: string;
let evictedRepo: string;

function repoFrom(name: string, files: string[]): string {
  const d = join(fx.work, name);
  mkdirSync(d, { recursive: true });
  for (const f of files) copyFileSync(f, join(d, f.slice(f.lastIndexOf('/') + 1)));
  createRepo(d);
  return d;
}

beforeAll(async () => {
  fx = makeImageFixture('yv-image-policy-');
  dir = join(fx.work, 'decomposed');
  expect((await cli('decompose', fx.tar, '--repo', fx.repoDir, '--out', dir)).code).toBe(0);
  const newer = buildPackages(join(fx.work, 'newer-build'), [deltaPackage('1.0', '2'), deltaPackage('2.0', '1')], join(fx.work, 'newer'));
  fullRepo = repoFrom('full', [...fx.rpms, ...newer]);
  evictedRepo = repoFrom('evicted', [...fx.rpms.filter((f) => !f.includes('delta-1.0-1')), ...newer]);
}, 120_000);

afterAll(() => fx?.cleanup());

/** A file's content inside a tar, by GNU tar. */
const fileInTar = (tar: string, path: string) => execFileSync('tar', ['-xOf', tar, path]).toString();

describe('restore policies', () => {
  it('--substitute minor takes the newest release of the same version when the exact build is gone', async () => {
    const out = join(fx.work, 'sub.tar');
    const plain = await cli('restore', dir, '--repo', evictedRepo, '--out', out);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/delta-1\.0-1\.noarch is in no repository.*--substitute minor/);
    const r = await cli('restore', dir, '--repo', evictedRepo, '--out', out, '--substitute', 'minor', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.substitutions).toEqual(['delta-1.0-1.noarch → 1.0-2']);
    expect(s.verified).toBe('per-file');
    expect(s.sha256).toBe(sha256Of(out));
    expect(fileInTar(out, './usr/bin/delta')).toBe('delta 1.0-2\n');
    expect(fileInTar(out, './usr/bin/alpha')).toBe(fileInTar(fx.tar, './usr/bin/alpha'));
    expect(execFileSync('tar', ['-tf', out]).toString()).toBe(execFileSync('tar', ['-tf', fx.tar]).toString());
  });

  it('--upgrade NAME=EVR restores with that build; sizes that changed are rewritten in the headers', async () => {
    const out = join(fx.work, 'upgraded.tar');
    const r = await restoreImage({ dir, repos: [fullRepo], out, upgrades: { delta: '2.0-1' } });
    expect(r.upgrades).toEqual(['delta-1.0-1.noarch → 2.0-1']);
    expect(r.verified).toBe('per-file');
    expect(r.sha256).toBe(sha256Of(out));
    expect(r.sha256).not.toBe(sha256Of(fx.tar));
    expect(fileInTar(out, './usr/bin/delta')).toBe('delta 2.0-1\n');
    const table = fileInTar(out, './usr/share/delta/table');
    expect(table.split('\n').filter(Boolean)).toHaveLength(4000);
    // everything else is as it was
    for (const p of ['./usr/bin/alpha', './etc/alpha.conf', './usr/lib64/gamma-hardlink.bin', './var/log/build.log']) {
      expect(fileInTar(out, p)).toBe(fileInTar(fx.tar, p));
    }
    // the upgraded tar is a valid archive for GNU tar (it would complain about a wrong size)
    const x = join(fx.work, 'x-upgraded');
    mkdirSync(x);
    execFileSync('tar', ['-xf', out, '-C', x]);
    expect(readFileSync(join(x, 'usr/bin/delta'), 'utf8')).toBe('delta 2.0-1\n');
  });

  it('an edited manifest (another version) restores with that build', async () => {
    const edited = join(fx.work, 'edited');
    mkdirSync(edited);
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(edited, f));
    const m = JSON.parse(readFileSync(join(edited, 'manifest.json'), 'utf8'));
    const delta = m.packages.find((p: { name: string }) => p.name === 'delta');
    delta.version = '2.0';
    delta.release = '1';
    writeFileSync(join(edited, 'manifest.json'), JSON.stringify(m, null, 2));
    const out = join(fx.work, 'edited.tar');
    const r = await cli('restore', edited, '--repo', fullRepo, '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).upgrades).toEqual(['delta-1.0-1.noarch → 2.0-1']);
    expect(fileInTar(out, './usr/bin/delta')).toBe('delta 2.0-1\n');
  });

  it('refuses a build a security advisory superseded unless --allow-vulnerable, naming the advisory', async () => {
    const advRepo = repoFrom('advisory', [...fx.rpms]);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="security@example.org" status="stable" type="security" version="2.0">
    <id>YVSA-2026:0042</id>
    <title>delta: fix a buffer overflow</title>
    <issued date="2026-01-02 03:04:05"/>
    <severity>Important</severity>
    <description>Fixes CVE-2026-0001.</description>
    <references/>
    <pkglist><collection>
      <package name="delta" version="1.0" release="2" epoch="0" arch="noarch"><filename>delta-1.0-2.noarch.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>
`;
    writeFileSync(join(fx.work, 'updateinfo.xml'), xml);
    execFileSync('modifyrepo_c', ['--mdtype=updateinfo', join(fx.work, 'updateinfo.xml'), join(advRepo, 'repodata')]);
    const out = join(fx.work, 'vuln.tar');
    const refused = await cli('restore', dir, '--repo', advRepo, '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/delta-1\.0-1\.noarch: superseded by security advisory YVSA-2026:0042.*--allow-vulnerable.*\[YV_VULNERABLE\]/);
    const allowed = await cli('restore', dir, '--repo', advRepo, '--out', out, '--allow-vulnerable', '--json');
    expect(allowed.code).toBe(0);
    const s = JSON.parse(allowed.stdout);
    expect(s.advisories).toEqual(['delta-1.0-1.noarch: superseded by security advisory YVSA-2026:0042']);
    expect(s.verified).toBe('exact');
    expect(sha256Of(out)).toBe(sha256Of(fx.tar));
  });
});
