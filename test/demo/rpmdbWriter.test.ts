import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpm, type BuiltRpm } from '../../src/demo/rpmWriter.ts';
import { installedHeaderBlob, writeRpmdb } from '../../src/demo/rpmdbWriter.ts';
import { parseHeaderBlob } from '../../src/rpm/header.ts';
import { Tag } from '../../src/rpm/tags.ts';
import { rpmRoot } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-rpmdbwriter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pkgs: BuiltRpm[] = [];
const files: string[] = [];
beforeAll(async () => {
  const specs = [
    { name: 'alpha', version: '1.0', release: '1', compressor: 'gzip' as const, requires: ['beta >= 2'] },
    { name: 'beta', epoch: 1, version: '2.0', release: '3', compressor: 'zstd' as const, requires: [] },
  ];
  for (const s of specs) {
    const b = await buildRpm({
      ...s,
      arch: 'x86_64',
      summary: `${s.name} summary`,
      files: [
        { path: `/usr/bin/${s.name}`, contents: `#!/bin/sh\necho ${s.name}\n`, mode: 0o755 },
        { path: `/etc/${s.name}.conf`, contents: 'x=1\n', flags: ['config'] },
        { path: `/usr/share/doc/${s.name}/README`, contents: 'doc\n', flags: ['doc'] },
      ],
    });
    pkgs.push(b);
    const f = join(dir, b.fileName);
    writeFileSync(f, b.bytes);
    files.push(f);
  }
});

function dbRows(path: string, sql: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('writeRpmdb against the real rpm 4.18', () => {
  it('stores the same header blob and index rows as rpm -i, with the same schema', () => {
    const real = join(dir, 'real');
    mkdirSync(real);
    const i = rpmRoot(real, ['-i', '--nodeps', '--noscripts', '--justdb', ...files]);
    expect(i.status, i.stderr).toBe(0);
    const realDb = join(real, 'var/lib/rpm/rpmdb.sqlite');
    const realPkgs = dbRows(realDb, 'SELECT hnum, blob FROM Packages ORDER BY hnum') as Array<{ hnum: number; blob: Uint8Array }>;
    expect(realPkgs).toHaveLength(2);
    // rpm orders the transaction itself: match ours by name, with rpm's install time and colour.
    for (const row of realPkgs) {
      const h = parseHeaderBlob(new Uint8Array(row.blob));
      const name = h.getString(Tag.NAME);
      const pkg = pkgs.find((p) => p.fileName.startsWith(`${name}-`))!;
      const installTime = h.getNumber(Tag.INSTALLTIME);
      const color = h.getNumber(Tag.INSTALLCOLOR);
      const tid = h.getNumber(Tag.INSTALLTID);
      const ours = installedHeaderBlob(pkg.bytes, installTime!, tid!, color!);
      expect(Buffer.compare(Buffer.from(ours), Buffer.from(row.blob))).toBe(0);
    }
    const schema = (p: string) =>
      (dbRows(p, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name") as unknown[]);
    const ours = join(dir, 'ours.sqlite');
    return writeRpmdb(ours, [pkgs[0]!.bytes, pkgs[1]!.bytes]).then(() => {
      expect(schema(ours)).toEqual(schema(realDb));
      for (const table of ['Name', 'Basenames', 'Group', 'Requirename', 'Providename', 'Dirnames', 'Sha1header', 'Sigmd5']) {
        const q = `SELECT quote(key) AS k, idx FROM '${table}' ORDER BY k, idx`;
        expect(dbRows(ours, q), table).toEqual(dbRows(realDb, q));
      }
    });
  });

  it('the real rpm queries and verifies a root whose database we wrote', async () => {
    const root = join(dir, 'ours-root');
    mkdirSync(root);
    // Files from rpm itself, then our database in place of its own.
    expect(rpmRoot(root, ['-i', '--nodeps', '--noscripts', ...files]).status).toBe(0);
    rmSync(join(root, 'var/lib/rpm'), { recursive: true });
    await writeRpmdb(join(root, 'var/lib/rpm/rpmdb.sqlite'), pkgs.map((p) => p.bytes));
    expect(readdirSync(join(root, 'var/lib/rpm'))).toEqual(['rpmdb.sqlite']);
    expect(rpmRoot(root, ['-qa', '--qf', '%{NEVRA}\n']).stdout.trim().split('\n').sort()).toEqual([
      'alpha-1.0-1.x86_64',
      'beta-1:2.0-3.x86_64',
    ]);
    expect(rpmRoot(root, ['-ql', 'alpha']).stdout).toBe('/etc/alpha.conf\n/usr/bin/alpha\n/usr/share/doc/alpha/README\n');
    expect(rpmRoot(root, ['-qf', '/usr/bin/beta']).stdout).toBe('beta-2.0-3.x86_64\n');
    expect(rpmRoot(root, ['-q', '--whatrequires', 'beta']).stdout).toBe('alpha-1.0-1.x86_64\n');
    const v = rpmRoot(root, ['-V', '-a']);
    expect(v.stdout).toBe('');
    expect(v.status).toBe(0);
    writeFileSync(join(root, 'etc/beta.conf'), 'x=22\n');
    expect(rpmRoot(root, ['-V', 'beta']).stdout).toMatch(/^S\.5\.\.\.\.T\.\s+c \/etc\/beta\.conf$/m);
    expect(rpmRoot(root, ['-V', 'alpha']).stdout).toBe('');
  });

  it('writes atomically and leaves nothing behind on failure', async () => {
    const target = join(dir, 'fail/rpmdb.sqlite');
    await expect(writeRpmdb(target, [new Uint8Array(200)])).rejects.toThrow(/lead magic/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(dir, 'fail'))).toEqual([]);
  });
});
