// Finding the database in a root: search order, empty leftovers, symlinks resolved inside the root.

import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTarImage } from '../../src/image/imageReader.ts';
import { openRpmdb } from '../../src/rpmdb/index.ts';
import { resolveInRoot, type RootEntry } from '../../src/rpmdb/rootPath.ts';
import { FIXTURES, tempDir } from './helpers.ts';
import { run } from './rpmTools.ts';

const tmp = tempDir('yv-rpmdb-locate-');
afterAll(() => tmp.remove());

function fakeRoot(entries: Record<string, RootEntry>) {
  return async (path: string) => entries[path] ?? null;
}

describe('resolveInRoot', () => {
  const root = fakeRoot({
    '/var': { type: 'dir' },
    '/var/lib': { type: 'dir' },
    '/var/lib/rpm': { type: 'symlink', target: '../../usr/lib/sysimage/rpm' },
    '/usr': { type: 'dir' },
    '/usr/lib': { type: 'dir' },
    '/usr/lib/sysimage': { type: 'dir' },
    '/usr/lib/sysimage/rpm': { type: 'dir' },
    '/usr/lib/sysimage/rpm/rpmdb.sqlite': { type: 'file' },
    '/abs': { type: 'symlink', target: '/usr/lib/sysimage' },
    '/up': { type: 'symlink', target: '../../../../usr' },
    '/loop1': { type: 'symlink', target: 'loop2' },
    '/loop2': { type: 'symlink', target: '/loop1' },
    '/file': { type: 'file' },
  });

  it('follows relative and absolute symlinks against the root', async () => {
    expect(await resolveInRoot('/var/lib/rpm/rpmdb.sqlite', root)).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(await resolveInRoot('/abs/rpm/rpmdb.sqlite', root)).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
  });

  it('never climbs above the root', async () => {
    expect(await resolveInRoot('/up/lib/sysimage/rpm/rpmdb.sqlite', root)).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(await resolveInRoot('/../../var/lib/rpm', root)).toBe('/usr/lib/sysimage/rpm');
  });

  it('gives up on loops, missing components and files used as directories', async () => {
    expect(await resolveInRoot('/loop1/x', root)).toBeNull();
    expect(await resolveInRoot('/var/lib/nothing', root)).toBeNull();
    expect(await resolveInRoot('/file/x', root)).toBeNull();
  });
});

describe('openRpmdb search', () => {
  it('skips an empty leftover database file and finds the real one, in a directory and in a tar', async () => {
    const root = join(tmp.dir, 'leftover');
    mkdirSync(join(root, 'usr/lib/sysimage/rpm'), { recursive: true });
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    writeFileSync(join(root, 'usr/lib/sysimage/rpm/rpmdb.sqlite'), '');
    copyFileSync(join(FIXTURES, 'rhel8-libuuid/Packages'), join(root, 'var/lib/rpm/Packages'));
    const db = await openRpmdb(root);
    expect([db.backend, db.path]).toEqual(['bdb', '/var/lib/rpm/Packages']);
    const tar = `${root}.tar`;
    expect(run('tar', ['-C', root, '-cf', tar, '.']).status).toBe(0);
    const fromTar = await openRpmdb(openTarImage(tar));
    expect([fromTar.backend, fromTar.path]).toEqual(['bdb', '/var/lib/rpm/Packages']);
    await fromTar.close();
  });

  it('prefers /usr/lib/sysimage/rpm, and sqlite over ndb over BerkeleyDB within a directory', async () => {
    const root = join(tmp.dir, 'order');
    mkdirSync(join(root, 'usr/lib/sysimage/rpm'), { recursive: true });
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    copyFileSync(join(FIXTURES, 'rhel8-libuuid/Packages'), join(root, 'var/lib/rpm/Packages'));
    copyFileSync(join(FIXTURES, 'sle15-bci/Packages.db'), join(root, 'usr/lib/sysimage/rpm/Packages.db'));
    copyFileSync(join(FIXTURES, 'rhel8-libuuid/Packages'), join(root, 'usr/lib/sysimage/rpm/Packages'));
    expect((await openRpmdb(root)).path).toBe('/usr/lib/sysimage/rpm/Packages.db');
    copyFileSync(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), join(root, 'usr/lib/sysimage/rpm/rpmdb.sqlite'));
    expect((await openRpmdb(root)).backend).toBe('sqlite');
  });

  it('detects the backend by content, not by name', async () => {
    const dir = join(tmp.dir, 'misnamed');
    mkdirSync(dir);
    copyFileSync(join(FIXTURES, 'sle15-bci/Packages.db'), join(dir, 'Packages'));
    expect((await openRpmdb(join(dir, 'Packages'))).backend).toBe('ndb');
  });

  it('does not follow a symlinked database directory out of the root', async () => {
    // On the host, the link leads to a real database; inside the root, `..` stops at the root.
    const hostDb = join(tmp.dir, 'hostdb');
    mkdirSync(hostDb);
    copyFileSync(join(FIXTURES, 'rhel8-libuuid/Packages'), join(hostDb, 'Packages'));
    const root = join(tmp.dir, 'escape');
    mkdirSync(join(root, 'var/lib'), { recursive: true });
    symlinkSync(`../../../../../../../../../..${hostDb}`, join(root, 'var/lib/rpm'));
    await expect(openRpmdb(root)).rejects.toThrow(/no rpm database found/);
    symlinkSync(hostDb, join(root, 'abs'));
    mkdirSync(join(root, 'usr/lib/sysimage'), { recursive: true });
    symlinkSync('/abs', join(root, 'usr/lib/sysimage/rpm'));
    await expect(openRpmdb(root)).rejects.toThrow(/no rpm database found/);
  });
});
