// Databases written by the real rpm on this machine: packages built by rpmbuild (epochs, tilde and caret
// versions, noarch/x86_64/i686, gzip/xz/zstd payloads, md5/sha256/sha512 file digests, %config/%doc/%ghost
// files, symlinks, hardlinks), installed with `rpm -i --justdb`
// into a temp root; read from the root directory, from a GNU tar of it through the image reader, and with
// /var/lib/rpm as a symlink (relative and absolute) resolved inside the root, never on the host.

import { copyFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarImage } from '../../src/image/imageReader.ts';
import { readInstalledPackages } from '../../src/rpmdb/index.ts';
import { FIXTURES, ourQa, tempDir } from './helpers.ts';
import { buildRpm } from '../fixtures-gen/rpmbuild.ts';
import type { PackageSpec, SpecFile } from '../fixtures-gen/rpmSpec.ts';
import { QA_FORMAT, installJustDb, parseQa, rpmRoot, run, type QaRecord } from './rpmTools.ts';

let tmp: ReturnType<typeof tempDir>;
let root: string;
let expected: QaRecord[];

/** The kinds of files rpm records differently: plain, %config(noreplace), %doc, %ghost, symlink, hardlinks, %dir. */
function files(pkg: string): SpecFile[] {
  return [
    { path: `/usr/share/${pkg}`, type: 'dir' },
    { path: `/usr/share/${pkg}/data.txt`, content: `data of ${pkg}\n` },
    { path: `/usr/share/${pkg}/hard1`, content: `hard ${pkg}\n` },
    { path: `/usr/share/${pkg}/hard2`, type: 'hardlink', target: `/usr/share/${pkg}/hard1` },
    { path: `/usr/share/${pkg}/link`, type: 'symlink', target: 'data.txt' },
    { path: `/etc/${pkg}.conf`, content: `key=${pkg}\n`, config: 'noreplace' },
    { path: `/usr/share/doc/${pkg}/README`, content: `readme ${pkg}\n`, doc: true },
    { path: `/var/log/${pkg}.log`, ghost: true },
    { path: `/usr/bin/${pkg}`, content: '#!/bin/sh\n', mode: 0o755, user: 'root', group: 'root' },
  ];
}

beforeAll(async () => {
  tmp = tempDir('yv-rpmdb-real-');
  const specs: PackageSpec[] = [
    { name: 'yvalpha', epoch: 3, version: '1.2', release: '4.el9', arch: 'x86_64', compression: 'zstd', digestAlgo: 'sha256' },
    { name: 'yvalpha-libs', epoch: 3, version: '1.2', release: '4.el9', arch: 'x86_64', compression: 'xz', digestAlgo: 'sha512' },
    { name: 'yvbeta', version: '10', release: '1', arch: 'i686', compression: 'gzip', digestAlgo: 'md5' },
    { name: 'yvgamma', version: '0.9~rc1', release: '1', arch: 'noarch', compression: 'gzip' },
    { name: 'yvdelta', epoch: 0, version: '2.0^git1', release: '0.1', arch: 'noarch', compression: 'zstd' },
  ];
  const rpms = await Promise.all(specs.map((s) => buildRpm({ ...s, files: files(s.name) })));
  root = join(tmp.dir, 'root');
  installJustDb(root, rpms, ['--ignorearch']);
  const qa = rpmRoot(root, ['-qa', '--qf', QA_FORMAT]);
  expect(qa.status).toBe(0);
  expected = parseQa(qa.stdout);
}, 180_000);

afterAll(() => tmp?.remove());

const FILE_FORMAT = '[%{FILENAMES}\\t%{FILEMODES}\\t%{FILEDIGESTS}\\t%{FILESIZES}\\t%{FILEUSERNAME}\\t%{FILEGROUPNAME}\\t%{FILEFLAGS}\\t%{FILELINKTOS}\\t%{FILEMTIMES}\\n]';

describe('databases the real rpm wrote', () => {
  it('reads the sqlite database of a root exactly as rpm -qa lists it', async () => {
    expect(expected.length).toBe(5);
    expect(expected.map((r) => r.files.length)).toEqual([9, 9, 9, 9, 9]);
    const ours = await ourQa(root);
    expect(ours.backend).toBe('sqlite');
    expect(ours.path).toBe('/var/lib/rpm/rpmdb.sqlite');
    expect(ours.records).toEqual(expected);
  });

  it('reads every file attribute as rpm -q --qf does', async () => {
    const pkgs = await readInstalledPackages(root);
    for (const p of pkgs) {
      const r = rpmRoot(root, ['-q', '--qf', FILE_FORMAT, p.name]);
      expect(r.status).toBe(0);
      const got = p.files.map((f) => [f.path, f.mode, f.digest, f.size, f.user, f.group, f.flags, f.linkTo, f.mtime].join('\t'));
      expect(got.join('\n')).toBe(r.stdout.trimEnd());
    }
    const ghost = pkgs[0]!.files.find((f) => f.path.endsWith('.log'));
    expect(ghost!.flags & 64).toBe(64);
  });

  it('reads the same database from a GNU tar of the root, through the image reader', async () => {
    const tar = join(tmp.dir, 'root.tar');
    const r = run('tar', ['-C', root, '-cf', tar, '.']);
    expect(r.status).toBe(0);
    const ours = await ourQa(openTarImage(tar));
    expect(ours.backend).toBe('sqlite');
    expect(ours.path).toBe('/var/lib/rpm/rpmdb.sqlite');
    expect(ours.records).toEqual(expected);
  });

  it('follows /var/lib/rpm -> ../../usr/lib/sysimage/rpm and absolute symlinks inside the root only', async () => {
    // Relative: the Fedora layout, with the database moved to /opt/rpmdb so only the symlink leads to it.
    const rel = join(tmp.dir, 'rel');
    mkdirSync(join(rel, 'var/lib'), { recursive: true });
    mkdirSync(join(rel, 'opt'), { recursive: true });
    cpSync(join(root, 'var/lib/rpm'), join(rel, 'opt/rpmdb'), { recursive: true });
    symlinkSync('../../opt/rpmdb', join(rel, 'var/lib/rpm'));
    const relQa = await ourQa(rel);
    expect(relQa.path).toBe('/var/lib/rpm/rpmdb.sqlite');
    expect(relQa.records).toEqual(expected);

    // Absolute: /var/lib/rpm -> <host dir>. The host has a different database (CBL-Mariner's) at that
    // path; the root's own copy under the same path must be the one read.
    const abs = join(tmp.dir, 'abs');
    const hostDecoy = join(tmp.dir, 'decoy');
    mkdirSync(join(abs, 'var/lib'), { recursive: true });
    cpSync(join(root, 'var/lib/rpm'), join(abs, hostDecoy), { recursive: true });
    symlinkSync(hostDecoy, join(abs, 'var/lib/rpm'));
    mkdirSync(hostDecoy, { recursive: true });
    copyFileSync(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), join(hostDecoy, 'rpmdb.sqlite'));
    const absQa = await ourQa(abs);
    expect(absQa.records).toEqual(expected);

    // The same two layouts inside tar images.
    for (const dir of [rel, abs]) {
      const tar = `${dir}.tar`;
      expect(run('tar', ['-C', dir, '-cf', tar, '.']).status).toBe(0);
      expect((await ourQa(openTarImage(tar))).records).toEqual(expected);
    }
  });
});
