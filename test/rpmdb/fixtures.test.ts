// Conformance: real databases from real systems (../shared/fixtures/rpmdb, see its README), each read to
// exactly its expected answer.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHeaderBlob } from '../../src/rpm/header.ts';
import { packageInfo } from '../../src/rpm/info.ts';
import { openRpmdb, readInstalledPackages } from '../../src/rpmdb/index.ts';
import { writePackagesBdb } from '../fixtures-gen/bdbWriter.ts';
import { FIXTURES, ourQa, tempDir } from './helpers.ts';
import { QA_FORMAT, parseQa, run } from './rpmTools.ts';

const tmp = tempDir('yv-rpmdb-fix-');
afterAll(() => tmp.remove());

function tsv(path: string, skipHeader = false): string[][] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  return (skipHeader ? lines.slice(1) : lines).map((l) => l.split('\t'));
}

const row = (r: { name: string; epoch: number; version: string; release: string; arch: string; sigmd5: string }) =>
  [r.name, String(r.epoch), r.version, r.release, r.arch, r.sigmd5].join('\t');

async function expectPackages(location: string, backend: string, expectedTsv: string, sameOrder: boolean) {
  const ours = await ourQa(location);
  expect(ours.backend).toBe(backend);
  const got = ours.records.map(row);
  const want = tsv(expectedTsv).map((r) => r.join('\t'));
  if (sameOrder) expect(got).toEqual(want);
  else expect([...got].sort()).toEqual([...want].sort());
  return ours;
}

async function expectFiles(location: string, name: string, expectedTsv: string) {
  const pkgs = await readInstalledPackages(location);
  const pkg = pkgs.find((p) => p.name === name);
  expect(pkg).toBeDefined();
  const got = pkg!.files.map((f) => [f.path, String(f.mode), f.digest, String(f.size), f.user, f.group, String(f.flags)].join('\t'));
  expect(got).toEqual(tsv(expectedTsv, true).map((r) => r.join('\t')));
}

describe('rpmdb fixtures from real systems', () => {
  it('sqlite: CBL-Mariner 2.0, 129 packages, in the order rpm -qa lists them', async () => {
    const ours = await expectPackages(join(FIXTURES, 'cbl-mariner-2.0'), 'sqlite', join(FIXTURES, 'cbl-mariner-2.0/expected.tsv'), false);
    expect(ours.records.length).toBe(129);
    // expected.tsv is sorted; the order itself comes from the real rpm on a copy of the database.
    copyFileSync(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), join(tmp.dir, 'rpmdb.sqlite'));
    const r = run('rpm', ['--dbpath', tmp.dir, '-qa', '--qf', QA_FORMAT]);
    expect(r.status).toBe(0);
    expect(ours.records).toEqual(parseQa(r.stdout));
  });

  it("sqlite: CBL-Mariner 2.0, curl's files", async () => {
    await expectFiles(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite'), 'curl', join(FIXTURES, 'cbl-mariner-2.0/expected-files-curl.tsv'));
  });

  it('BerkeleyDB: RHEL 8 libuuid and its files', async () => {
    const ours = await expectPackages(join(FIXTURES, 'rhel8-libuuid'), 'bdb', join(FIXTURES, 'rhel8-libuuid/expected.tsv'), true);
    expect(ours.records.length).toBe(1);
    await expectFiles(join(FIXTURES, 'rhel8-libuuid/Packages'), 'libuuid', join(FIXTURES, 'rhel8-libuuid/expected-files-libuuid.tsv'));
  });

  it('ndb: SLE 15, 35 packages', async () => {
    const ours = await expectPackages(join(FIXTURES, 'sle15-bci'), 'ndb', join(FIXTURES, 'sle15-bci/expected.tsv'), false);
    expect(ours.records.length).toBe(35);
  });

  it('empty BerkeleyDB: no packages', async () => {
    const ours = await ourQa(join(FIXTURES, 'empty-bdb'));
    expect(ours.backend).toBe('bdb');
    expect(ours.records).toEqual([]);
  });

  it('the bare header blob reads as one package, as the real rpm reads it', async () => {
    const blob = new Uint8Array(readFileSync(join(FIXTURES, 'header-blob.bin')));
    const info = packageInfo(parseHeaderBlob(blob));
    // rpm has no way to read a bare blob; put it in a database of ours and let rpm read that. This blob's
    // header digests do not match its region (rpm reports "Header SHA256 digest: BAD" and skips it), so
    // rpm must be told not to check them.
    const dir = join(tmp.dir, 'blob');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Packages'), writePackagesBdb([blob]));
    const r = run('rpm', ['--dbpath', dir, '--define', '_db_backend bdb_ro', '--nodigest', '--nosignature', '-qa', '--qf', QA_FORMAT]);
    const [theirs] = parseQa(r.stdout);
    expect(theirs).toBeDefined();
    expect({ name: info.name, epoch: info.epoch, version: info.version, release: info.release, arch: info.arch }).toEqual({
      name: theirs!.name,
      epoch: theirs!.epoch,
      version: theirs!.version,
      release: theirs!.release,
      arch: theirs!.arch,
    });
    expect(info.sigmd5).toBe(theirs!.sigmd5);
    // Its DIRINDEXES point past DIRNAMES: rpm lists no files ("(contains no files)"), and neither do we.
    expect(theirs!.files).toEqual([]);
    expect(info.files).toEqual([]);
    expect(info.filesError).toMatch(/DIRINDEXES/);
    const db = await openRpmdb(dir);
    const stored = [];
    for await (const h of db.blobs()) stored.push(h.blob);
    expect(stored.length).toBe(1);
    expect(Buffer.compare(stored[0]!, blob)).toBe(0);
  });
});
