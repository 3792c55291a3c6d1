// BerkeleyDB hash `Packages` databases with hundreds of packages, overflow pages, both byte orders and
// several page sizes, written by test/fixtures-gen/bdbWriter.ts from headers the real rpm installed, then
// read by the real rpm (bdb_ro) and by us: same packages, same order, same bytes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRpmdb } from '../../src/rpmdb/index.ts';
import { writePackagesBdb, type BdbWriteOptions } from '../fixtures-gen/bdbWriter.ts';
import { FIXTURES, ourQa, tempDir } from './helpers.ts';
import { makeManyPackageRoot } from './manyPackages.ts';
import { QA_FORMAT, parseQa, run } from './rpmTools.ts';

let tmp: ReturnType<typeof tempDir>;
let blobs: Uint8Array[] = [];

beforeAll(async () => {
  tmp = tempDir('yv-bdb-');
  const root = await makeManyPackageRoot(join(tmp.dir, 'many'), 300);
  for (const location of [root, join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite')]) {
    const db = await openRpmdb(location);
    for await (const { blob } of db.blobs()) blobs.push(blob);
    await db.close();
  }
}, 120_000);

afterAll(() => tmp?.remove());

function rpmBdbQa(dir: string) {
  const r = run('rpm', ['--dbpath', dir, '--define', '_db_backend bdb_ro', '-qa', '--qf', QA_FORMAT]);
  // rpm warns about the index files a Packages-only directory lacks; anything else is a failure.
  const errors = r.stderr.split('\n').filter((l) => l && !/could not open .*: No such file or directory/.test(l));
  expect(errors).toEqual([]);
  expect(r.status).toBe(0);
  return parseQa(r.stdout);
}

function pageTypes(bytes: Uint8Array, pageSize: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let p = 0; p < bytes.length / pageSize; p++) counts.set(bytes[p * pageSize + 25]!, (counts.get(bytes[p * pageSize + 25]!) ?? 0) + 1);
  return counts;
}

const VARIANTS: Array<BdbWriteOptions & { label: string }> = [
  { label: '4096 little-endian', pageSize: 4096, littleEndian: true },
  { label: '512 big-endian, 37 buckets', pageSize: 512, littleEndian: false, buckets: 37 },
  { label: '65536 little-endian, one bucket', pageSize: 65536, littleEndian: true, buckets: 1 },
  { label: '1024 big-endian, unsorted pages', pageSize: 1024, littleEndian: false, hashPageType: 2 },
  { label: '16384 little-endian, 100 buckets', pageSize: 16384, littleEndian: true, buckets: 100 },
];

describe('BerkeleyDB hash Packages', () => {
  it('has hundreds of real installed headers to work with', () => {
    expect(blobs.length).toBe(300 + 129);
  });

  for (const v of VARIANTS) {
    it(`reads ${v.label} exactly as rpm bdb_ro does`, async () => {
      const dir = join(tmp.dir, v.label.replace(/\W+/g, '-'));
      mkdirSync(dir, { recursive: true });
      const bytes = writePackagesBdb(blobs, v);
      writeFileSync(join(dir, 'Packages'), bytes);
      if (v.pageSize! <= 4096) expect(pageTypes(bytes, v.pageSize!).get(7) ?? 0).toBeGreaterThan(100); // overflow pages

      const db = await openRpmdb(dir);
      expect(db.backend).toBe('bdb');
      const seen: number[] = [];
      for await (const { hnum, blob } of db.blobs()) {
        expect(Buffer.compare(blob, blobs[hnum - 1]!)).toBe(0);
        seen.push(hnum);
      }
      expect(seen.sort((a, b) => a - b)).toEqual(blobs.map((_, i) => i + 1));

      const ours = await ourQa(dir);
      const theirs = rpmBdbQa(dir);
      expect(theirs.length).toBe(blobs.length);
      expect(ours.records).toEqual(theirs); // same order too: both walk the buckets
    });
  }

  it('skips key 0 (rpm’s header-number counter) and reads the file in place without changing it', async () => {
    const dir = join(tmp.dir, 'inplace');
    mkdirSync(dir, { recursive: true });
    const bytes = writePackagesBdb(blobs.slice(0, 5), { pageSize: 4096 });
    writeFileSync(join(dir, 'Packages'), bytes);
    const ours = await ourQa(join(dir, 'Packages'));
    expect(ours.records.length).toBe(5);
    expect(Buffer.compare(readFileSync(join(dir, 'Packages')), bytes)).toBe(0);
  });
});
