// residual.zst format v1: what the writer writes the reader gives back; anything else is refused.

import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readResidual } from '../../src/image/residualReader.ts';
import { ResidualWriter } from '../../src/image/residualWriter.ts';
import { encodeUvarint, type ResidualRecord } from '../../src/image/residualFormat.ts';
import { pseudoRandom } from '../fixtures-gen/imageGen.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-residual-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(path: string, fn: (w: ResidualWriter) => Promise<void>): Promise<void> {
  const feed = new PassThrough();
  const done = pipeline(feed, zlib.createZstdCompress(), createWriteStream(path));
  const w = new ResidualWriter(feed);
  await fn(w);
  feed.end();
  await done;
}

async function read(path: string): Promise<ResidualRecord[]> {
  const out: ResidualRecord[] = [];
  for await (const r of readResidual(path)) out.push(r);
  return out;
}

describe('residual format', () => {
  it('round trips every record type, splitting large inline data', async () => {
    const p = join(dir, 'a.zst');
    const big = pseudoRandom(5, 3 * 1024 * 1024 + 17);
    const digest = 'ab'.repeat(32);
    await write(p, async (w) => {
      await w.header(new Uint8Array(1024).fill(7));
      await w.raw(big);
      await w.rawOrZero(new Uint8Array(300));
      await w.rawOrZero(Uint8Array.of(1, 2, 3));
      await w.ref(3, 123456789012, digest, '/usr/bin/ünïcode');
      await w.end(2 ** 40 + 5, 'cd'.repeat(32));
    });
    const recs = await read(p);
    // 3 MiB + 17 written as records of 1 MiB at most, then the 3 non-zero bytes: read back as RAW records
    // that may be cut further where the decoder's chunks end (the same bytes in the same order).
    const raws = recs.filter((r) => r.op === 'raw').map((r) => (r as { bytes: Uint8Array }).bytes);
    expect(raws.length).toBeGreaterThanOrEqual(5);
    expect(raws.every((b) => b.length <= 1 << 20)).toBe(true);
    expect(Buffer.concat(raws).equals(Buffer.concat([big, Uint8Array.of(1, 2, 3)]))).toBe(true);
    expect(recs[0]).toEqual({ op: 'hdr', bytes: new Uint8Array(1024).fill(7) });
    expect(recs.find((r) => r.op === 'zero')).toEqual({ op: 'zero', size: 300 });
    expect(recs.find((r) => r.op === 'ref')).toEqual({ op: 'ref', pkg: 3, size: 123456789012, digest, path: '/usr/bin/ünïcode' });
    expect(recs.at(-1)).toEqual({ op: 'end', size: 2 ** 40 + 5, sha256: 'cd'.repeat(32) });
  });

  it('refuses a wrong magic, an unknown record, a missing end, and zstd garbage', async () => {
    const body = (parts: Uint8Array[]) => zlib.zstdCompressSync(Buffer.concat(parts));
    const magic = Buffer.from('YVRESID\x01', 'latin1');
    const cases: [string, Buffer][] = [
      ['wrong magic', body([Buffer.from('NOTRESID')])],
      ['unknown record', body([magic, Uint8Array.of(0x42)])],
      ['no end', body([magic, Uint8Array.of(0x02), encodeUvarint(10)])],
      ['huge raw', body([magic, Uint8Array.of(0x01), encodeUvarint(1 << 30)])],
      ['garbage', Buffer.from('this is not zstd at all')],
    ];
    for (const [name, bytes] of cases) {
      const p = join(dir, `${name}.zst`);
      writeFileSync(p, bytes);
      await expect(read(p), name).rejects.toMatchObject({ code: 'YV_RESIDUAL_FORMAT' });
    }
    // truncated in the middle of a record
    const p = join(dir, 'cut.zst');
    await write(p, async (w) => {
      await w.raw(pseudoRandom(1, 100000));
      await w.end(1, '00'.repeat(32));
    });
    writeFileSync(p, readFileSync(p).subarray(0, 5000));
    await expect(read(p)).rejects.toMatchObject({ code: 'YV_RESIDUAL_FORMAT' });
  });

  it('reads records cut anywhere by the decoder\'s chunks: tens of thousands of small ones among large ones', async () => {
    const p = join(dir, 'many.zst');
    let seed = 99;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const expected: ResidualRecord[] = [];
    await write(p, async (w) => {
      for (let i = 0; i < 30_000; i++) {
        const kind = rand(10);
        if (kind < 4) {
          const bytes = pseudoRandom(i, 512);
          await w.header(bytes);
          expected.push({ op: 'hdr', bytes });
        } else if (kind < 8) {
          const digest = (i % 256).toString(16).padStart(2, '0').repeat(32);
          const path = '/usr/share/' + 'x'.repeat(rand(200)) + `/${i}`;
          await w.ref(rand(300), rand(1 << 30), digest, path);
          expected.push({ op: 'ref', pkg: 0, size: 0, digest, path });
        } else if (kind < 9) {
          const bytes = pseudoRandom(i + 1, 1 + rand(i % 50 === 0 ? 900_000 : 3000));
          await w.raw(bytes);
          expected.push({ op: 'raw', bytes });
        } else {
          await w.rawOrZero(new Uint8Array(70_000 + rand(1000)));
          expected.push({ op: 'zero', size: 0 });
        }
      }
      await w.end(12345, 'ef'.repeat(32));
    });
    const recs = await read(p);
    expect(recs.at(-1)).toEqual({ op: 'end', size: 12345, sha256: 'ef'.repeat(32) });
    // A RAW record may come in pieces (cut where the decoder's chunks end): consecutive ones are joined on
    // both sides before comparing, and at least one was cut.
    const joinRaws = (list: ResidualRecord[]) =>
      list.reduce<ResidualRecord[]>((out, r) => {
        const last = out.at(-1);
        if (r.op === 'raw' && last?.op === 'raw') out[out.length - 1] = { op: 'raw', bytes: Buffer.concat([last.bytes, r.bytes]) };
        else out.push(r);
        return out;
      }, []);
    const body = joinRaws(recs.slice(0, -1));
    expect(recs.length - 1).toBeGreaterThan(expected.length);
    const wanted = joinRaws(expected);
    expect(body.length).toBe(wanted.length);
    body.forEach((r, i) => {
      const e = wanted[i]!;
      expect(r.op).toBe(e.op);
      if (r.op === 'hdr' || r.op === 'raw') expect(Buffer.from(r.bytes).equals(Buffer.from((e as { bytes: Uint8Array }).bytes))).toBe(true);
      if (r.op === 'ref') expect([r.digest, r.path]).toEqual([(e as { digest: string }).digest, (e as { path: string }).path]);
    });
    // cut short anywhere, or with bytes after the end: refused, typed
    const whole = zlib.zstdDecompressSync(readFileSync(p));
    for (const cut of [3, 9, 5000, whole.length >> 1, whole.length - 40, whole.length - 1]) {
      const q = join(dir, `many-cut-${cut}.zst`);
      writeFileSync(q, zlib.zstdCompressSync(whole.subarray(0, cut)));
      await expect(read(q), `cut at ${cut}`).rejects.toMatchObject({ code: 'YV_RESIDUAL_FORMAT' });
    }
    const q = join(dir, 'many-trailing.zst');
    writeFileSync(q, zlib.zstdCompressSync(Buffer.concat([whole, Buffer.from([0x02, 0x05])])));
    await expect(read(q)).rejects.toThrow(/data after its end record/);
  }, 60_000);
});

