// ndb (Packages.db) beyond the SLE 15 fixture: several slot pages, free slots, blobs stored in another
// order than their slots, and damage that rpm's own checks catch (checksums, overlaps, bounds).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adler32 } from '../../src/rpmdb/ndb.ts';
import { openRpmdb } from '../../src/rpmdb/index.ts';
import { FIXTURES, ourQa, tempDir } from './helpers.ts';
import { writeNdb } from './ndbWriter.ts';

const tmp = tempDir('yv-rpmdb-ndb-');
let blobs: Uint8Array[] = [];

beforeAll(async () => {
  for (const location of [join(FIXTURES, 'cbl-mariner-2.0'), join(FIXTURES, 'sle15-bci')]) {
    const db = await openRpmdb(location);
    for await (const { blob } of db.blobs()) blobs.push(blob);
    await db.close();
  }
});
afterAll(() => tmp.remove());

function save(name: string, bytes: Uint8Array): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Packages.db'), bytes);
  return dir;
}

describe('ndb Packages.db', () => {
  it('computes Adler-32 as RFC 1950 / zlib does', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    // Reference: the definition itself, without the 5552-byte batching the implementation uses.
    let a = 1;
    let b = 0;
    for (const x of big) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(big)).toBe(((b << 16) | a) >>> 0);
  });

  it('reads 164 packages over several slot pages with free slots, in file order', async () => {
    expect(blobs.length).toBe(129 + 35);
    const dir = save('many', writeNdb(blobs, { slotPages: 3 }));
    const db = await openRpmdb(dir);
    expect(db.backend).toBe('ndb');
    const order: number[] = [];
    for await (const { hnum, blob } of db.blobs()) {
      expect(Buffer.compare(blob, blobs[hnum - 1]!)).toBe(0);
      order.push(hnum);
    }
    // The writer stores the last package first; rpm lists by position in the file.
    expect(order).toEqual(blobs.map((_, i) => blobs.length - i));
    const fromNdb = (await ourQa(dir)).records;
    const fromSources = [...(await ourQa(join(FIXTURES, 'cbl-mariner-2.0'))).records, ...(await ourQa(join(FIXTURES, 'sle15-bci'))).records];
    expect(fromNdb).toEqual(fromSources.reverse());
  });

  it('rejects a blob whose checksum, tail or slot does not hold', async () => {
    const good = writeNdb(blobs.slice(0, 3), { slotPages: 1 });
    const firstBlob = 4096;

    const flipped = good.slice();
    flipped[firstBlob + 100]! ^= 1;
    await expect(ourQa(save('flipped', flipped))).rejects.toThrow(/checksum mismatch/);

    const badTail = good.slice();
    const slot = new DataView(good.buffer, 32, 16);
    const blkcnt = slot.getUint32(12, true);
    new DataView(badTail.buffer).setUint32(slot.getUint32(8, true) * 16 + blkcnt * 16 - 4, 0, true);
    await expect(ourQa(save('badtail', badTail))).rejects.toThrow(/tail/);

    const overlap = good.slice();
    const s2 = new DataView(overlap.buffer, 48, 16);
    s2.setUint32(8, slot.getUint32(8, true) + 1, true);
    await expect(ourQa(save('overlap', overlap))).rejects.toThrow(/overlap|bad magic|belongs to/);

    const past = good.slice();
    new DataView(past.buffer, 32, 16).setUint32(12, 0x7fffffff, true);
    await expect(ourQa(save('past', past))).rejects.toThrow(/out of bounds/);

    const fixture = new Uint8Array(readFileSync(join(FIXTURES, 'sle15-bci/Packages.db')));
    await expect(ourQa(save('truncated', fixture.subarray(0, fixture.length - 16)))).rejects.toMatchObject({ code: 'YV_RPMDB' });
  });
});
