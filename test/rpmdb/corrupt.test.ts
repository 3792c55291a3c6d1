// Corrupt databases: over a thousand mutated BerkeleyDB, ndb and sqlite files (flipped bytes, overwritten
// page and slot fields, zeroed pages, truncation). Each read ends in packages or an RpmdbError, never
// another exception, a crash or a hang.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRpmdb, readInstalledPackages } from '../../src/rpmdb/index.ts';
import { listRpmdb } from '../../src/rpmdb/listing.ts';
import { writePackagesBdb } from '../fixtures-gen/bdbWriter.ts';
import { FIXTURES, tempDir } from './helpers.ts';
import { mulberry32 } from '../fixtures-gen/prng.ts';

const tmp = tempDir('yv-rpmdb-fuzz-');
afterAll(() => tmp.remove());


type Mutator = (src: Uint8Array, rnd: () => number) => Uint8Array;

const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);

/** Mutations aimed at where the structure lives: the first pages, page/slot headers, item offsets. */
function mutators(structure: { unit: number; headerBytes: number }): Mutator[] {
  const interesting = [0, 1, 0xff, 0x7f, 0x80, 0xffffffff, 0x7fffffff, 0x80000000, 512, 4096, 65536];
  return [
    (src, rnd) => {
      const out = src.slice();
      for (let i = 1 + int(rnd, 8); i > 0; i--) out[int(rnd, out.length)] ^= 1 << int(rnd, 8);
      return out;
    },
    (src, rnd) => src.slice(0, int(rnd, src.length)),
    (src, rnd) => {
      const out = src.slice();
      const units = Math.max(1, Math.floor(out.length / structure.unit));
      const at = int(rnd, units) * structure.unit + int(rnd, structure.headerBytes);
      const v = interesting[int(rnd, interesting.length)]!;
      const dv = new DataView(out.buffer);
      if (at + 4 <= out.length) dv.setUint32(at, v, rnd() < 0.5);
      return out;
    },
    (src, rnd) => {
      const out = src.slice();
      const units = Math.max(1, Math.floor(out.length / structure.unit));
      out.fill(rnd() < 0.5 ? 0 : 0xff, int(rnd, units) * structure.unit, int(rnd, units) * structure.unit + structure.unit);
      return out;
    },
    (src, rnd) => {
      // Copy one unit over another: pages that point at themselves, chains that loop.
      const out = src.slice();
      const units = Math.max(1, Math.floor(out.length / structure.unit));
      const from = int(rnd, units) * structure.unit;
      out.copyWithin(int(rnd, units) * structure.unit, from, from + structure.unit);
      return out;
    },
  ];
}

/** Everything a caller reads: the packages with files (readInstalledPackages) and the listing. */
async function readAll(path: string): Promise<number> {
  const pkgs = await readInstalledPackages(path);
  const listing = await listRpmdb(path);
  expect(listing.packages.length).toBe(pkgs.length);
  return pkgs.length;
}

async function fuzz(label: string, src: Uint8Array, name: string, iterations: number, structure: { unit: number; headerBytes: number }, seed: number) {
  const rnd = mulberry32(seed);
  const muts = mutators(structure);
  const path = join(tmp.dir, `${label}-${name}`);
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < iterations; i++) {
    const mutated = muts[int(rnd, muts.length)]!(src, rnd);
    writeFileSync(path, mutated);
    const started = performance.now();
    try {
      await readAll(path);
      ok++;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'YV_RPMDB') throw new Error(`${label} iteration ${i} (seed ${seed}): ${String((e as Error)?.stack ?? e)}`);
      failed++;
    }
    expect(performance.now() - started, `${label} iteration ${i} took too long`).toBeLessThan(5000);
  }
  expect(ok + failed).toBe(iterations);
  expect(failed).toBeGreaterThan(0);
}

describe('corrupt databases end in RpmdbError', () => {
  it('BerkeleyDB (RHEL 8 fixture, little-endian 4096)', async () => {
    const src = new Uint8Array(readFileSync(join(FIXTURES, 'rhel8-libuuid/Packages')));
    await fuzz('bdb-rhel8', src, 'Packages', 600, { unit: 4096, headerBytes: 64 }, 1);
  }, 120_000);

  it('BerkeleyDB (generated, big-endian 512, many overflow chains)', async () => {
    const blobs: Uint8Array[] = [];
    const db = await openRpmdb(join(FIXTURES, 'cbl-mariner-2.0'));
    for await (const { blob } of db.blobs()) if (blobs.length < 12) blobs.push(blob);
    await db.close();
    const src = writePackagesBdb(blobs, { pageSize: 512, littleEndian: false, buckets: 5 });
    await fuzz('bdb-be512', src, 'Packages', 500, { unit: 512, headerBytes: 64 }, 2);
  }, 120_000);

  it('ndb (SLE 15 fixture)', async () => {
    const src = new Uint8Array(readFileSync(join(FIXTURES, 'sle15-bci/Packages.db')));
    await fuzz('ndb', src, 'Packages.db', 100, { unit: 16, headerBytes: 16 }, 3);
  }, 120_000);

  it('sqlite (CBL-Mariner fixture)', async () => {
    const src = new Uint8Array(readFileSync(join(FIXTURES, 'cbl-mariner-2.0/rpmdb.sqlite')));
    await fuzz('sqlite', src, 'rpmdb.sqlite', 20, { unit: 4096, headerBytes: 16 }, 4);
  }, 120_000);

  it('refuses overflow chains that share pages or loop (bounded work, no hang)', async () => {
    const blobs: Uint8Array[] = [];
    const db = await openRpmdb(join(FIXTURES, 'cbl-mariner-2.0'));
    for await (const { blob } of db.blobs()) if (blobs.length < 3) blobs.push(blob);
    await db.close();
    const good = writePackagesBdb(blobs, { pageSize: 512, buckets: 1 });
    // Bucket 0 is page 1: key/data pairs, the data items being H_OFFPAGE references (type 3, pgno at +4).
    const dv = new DataView(good.buffer, 512, 512);
    const dataItems = [3, 5, 7].map((i) => dv.getUint16(26 + i * 2, true));
    expect(dataItems.map((o) => good[512 + o])).toEqual([3, 3, 3]);

    const shared = good.slice();
    const sv = new DataView(shared.buffer, 512, 512);
    sv.setUint32(dataItems[1]! + 4, sv.getUint32(dataItems[0]! + 4, true), true);
    writeFileSync(join(tmp.dir, 'Packages'), shared);
    await expect(readAll(join(tmp.dir, 'Packages'))).rejects.toThrow(/reached twice/);

    // A chain whose second page points back to its first.
    const looped = good.slice();
    const first = new DataView(looped.buffer).getUint32(512 + dataItems[0]! + 4, true);
    const second = new DataView(looped.buffer).getUint32(first * 512 + 16, true);
    new DataView(looped.buffer).setUint32(second * 512 + 16, first, true);
    writeFileSync(join(tmp.dir, 'Packages'), looped);
    await expect(readAll(join(tmp.dir, 'Packages'))).rejects.toThrow(/reached twice|holds/);
  });

  it('names what is wrong', async () => {
    const path = join(tmp.dir, 'nothing', 'Packages');
    await expect(openRpmdb(path)).rejects.toMatchObject({ code: 'YV_RPMDB' });
    const junk = join(tmp.dir, 'junk');
    writeFileSync(junk, 'not a database at all');
    await expect(openRpmdb(junk)).rejects.toThrow(/not an rpm database/);
    // A root of its own: earlier tests leave a Packages file in tmp.dir.
    const emptyRoot = join(tmp.dir, 'empty-root');
    mkdirSync(emptyRoot, { recursive: true });
    await expect(openRpmdb(emptyRoot)).rejects.toThrow(/no rpm database found/);
  });
});
