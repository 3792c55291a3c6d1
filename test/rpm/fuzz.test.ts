// Mutated headers and packages: bit flips, truncation, index count / data length / entry overwrites,
// inserted and deleted bytes. Every case must end in a result or an RpmFormatError (code YV_RPM_FORMAT),
// never another exception, a hang or a huge allocation. Deterministic (seeded), a few seconds in all.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RpmHeader, parseHeader, parseHeaderBlob } from '../../src/rpm/header.ts';
import { packageInfo } from '../../src/rpm/info.ts';
import { parseRpmPackageBytes, rpmHeaderNeededBytes } from '../../src/rpm/package.ts';
import { FIXTURE_RPMDB, FIXTURE_RPMS } from './sharedFixtures.ts';

const RPMS = FIXTURE_RPMS;

/** xorshift32: a small deterministic PRNG, so a failing case can be replayed by its number. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const INTERESTING = [0, 1, 2, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x0fffffff, 0x10000000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

function mutate(src: Uint8Array, rnd: () => number, intro: number): Uint8Array {
  const b = Uint8Array.from(src);
  const dv = new DataView(b.buffer);
  const il = b.length >= intro + 8 ? dv.getUint32(intro) : 0;
  const pick = (): number => (rnd() & 1 ? INTERESTING[rnd() % INTERESTING.length]! : rnd());
  switch (rnd() % 8) {
    case 0: { // flip 1..8 bits anywhere
      const n = 1 + (rnd() % 8);
      for (let i = 0; i < n; i++) b[rnd() % b.length]! ^= 1 << (rnd() % 8);
      return b;
    }
    case 1: // truncate
      return b.subarray(0, rnd() % b.length);
    case 2: // index count or data length
      dv.setUint32(intro + (rnd() & 1 ? 0 : 4), pick());
      return b;
    case 3: case 4: { // one field of one index entry: tag, type, offset or count
      if (il === 0 || il > 0xffff) return b;
      const entry = intro + 8 + 16 * (rnd() % Math.min(il, (b.length - intro - 8) >> 4 || 1));
      const field = entry + 4 * (rnd() % 4);
      if (field + 4 <= b.length) dv.setUint32(field, field === entry + 4 ? rnd() % 12 : pick());
      return b;
    }
    case 5: { // zero or 0xff a range
      const at = rnd() % b.length;
      b.fill(rnd() & 1 ? 0 : 0xff, at, at + 1 + (rnd() % 64));
      return b;
    }
    case 6: { // delete bytes
      const at = rnd() % b.length;
      const n = 1 + (rnd() % 16);
      const end = Math.min(b.length, at + n);
      const out = new Uint8Array(b.length - (end - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(end), at);
      return out;
    }
    default: { // insert bytes
      const at = rnd() % b.length;
      const extra = Uint8Array.from({ length: 1 + (rnd() % 16) }, () => rnd() & 0xff);
      const out = new Uint8Array(b.length + extra.length);
      out.set(b.subarray(0, at));
      out.set(extra, at);
      out.set(b.subarray(at), at + extra.length);
      return out;
    }
  }
}

/**
 * Everything a caller may do with a header: the getters that fit each tag's type (and one that does not,
 * which must fail cleanly), packageInfo, the immutable bytes.
 */
function exercise(h: RpmHeader): void {
  const getters: ((tag: number) => unknown)[] = [
    (t) => h.getString(t), (t) => h.getStringArray(t), (t) => h.getNumber(t), (t) => h.getNumberArray(t), (t) => h.getBinary(t), (t) => h.getI18nString(t),
  ];
  for (const tag of h.tags()) {
    const type = h.entry(tag)!.type;
    const fitting = type >= 6 && type !== 7 ? [0, 1, 5] : type === 7 ? [4] : type <= 2 ? [2, 3, 4] : [2, 3];
    for (const g of [...fitting, tag % getters.length]) {
      try {
        getters[g]!(tag);
      } catch (e) {
        expectFormatError(e);
      }
    }
  }
  h.immutableBytes();
  try {
    packageInfo(h, h);
  } catch (e) {
    expectFormatError(e);
  }
}

function expectFormatError(e: unknown): void {
  if ((e as { code?: string }).code !== 'YV_RPM_FORMAT') throw e;
}

type Outcome = 'ok' | 'error';
function attempt(fn: () => void): Outcome {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expectFormatError(e);
    return 'error';
  }
}

const packages = readdirSync(RPMS).filter((f) => f.endsWith('.rpm')).map((f) => readFileSync(join(RPMS, f)));

describe('fuzz: mutated headers end in a result or RpmFormatError', () => {
  it('main headers (magic-prefixed) and rpmdb blobs', () => {
    const seeds: { bytes: Uint8Array; blob: boolean }[] = [];
    for (const p of packages) {
      const pkg = parseRpmPackageBytes(p);
      seeds.push({ bytes: p.subarray(pkg.headerStart, pkg.headerEnd), blob: false });
      seeds.push({ bytes: p.subarray(96, 96 + pkg.signature.byteLength), blob: false });
      seeds.push({ bytes: p.subarray(pkg.headerStart + 8, pkg.headerEnd), blob: true });
    }
    seeds.push({ bytes: readFileSync(join(FIXTURE_RPMDB, 'header-blob.bin')), blob: true });
    const rnd = prng(0x5eed);
    const counts = { ok: 0, error: 0 };
    const started = performance.now();
    let slowest = 0;
    const heapBefore = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 6000; i++) {
      const seed = seeds[i % seeds.length]!;
      const input = mutate(seed.bytes, rnd, seed.blob ? 0 : 8);
      const t0 = performance.now();
      counts[attempt(() => exercise(seed.blob ? parseHeaderBlob(input) : parseHeader(input, 0)))]++;
      slowest = Math.max(slowest, performance.now() - t0);
    }
    expect(counts.error).toBeGreaterThan(1000);
    expect(counts.ok).toBeGreaterThan(500);
    // Generous bounds: the machine is shared, and what they must catch is a hang, not a slow case.
    expect(slowest).toBeLessThan(2_000);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(256 << 20);
  }, 180_000);

  it('whole packages: lead, signature, padding, main header', () => {
    const rnd = prng(0xc0ffee);
    const counts = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const src = packages[i % packages.length]!;
      const end = parseRpmPackageBytes(src).headerEnd;
      // Mutate mostly inside the headers, where the parser looks.
      const input = mutate(src.subarray(0, end + 64), rnd, 96);
      counts[attempt(() => {
        const need = rpmHeaderNeededBytes(input);
        if (need > input.length) return;
        const pkg = parseRpmPackageBytes(input);
        exercise(pkg.header);
        exercise(pkg.signature);
      })]++;
    }
    expect(counts.error).toBeGreaterThan(500);
    expect(counts.ok).toBeGreaterThan(300);
  }, 180_000);

  it('hostile sizes fail fast without allocating them', () => {
    const b = new Uint8Array(64);
    const dv = new DataView(b.buffer);
    for (const [il, dl] of [[0xffff, 0x0fffffff], [0xffffffff, 0xffffffff], [0, 0], [1, 0x10000000], [0x10000, 0]]) {
      dv.setUint32(0, il);
      dv.setUint32(4, dl);
      expect(() => parseHeaderBlob(b)).toThrow(expect.objectContaining({ code: 'YV_RPM_FORMAT' }));
    }
    // One entry claiming a huge string array in a tiny store.
    dv.setUint32(0, 1);
    dv.setUint32(4, 8);
    dv.setUint32(8, 1117); // BASENAMES
    dv.setUint32(12, 8); // STRING_ARRAY
    dv.setUint32(16, 0);
    dv.setUint32(20, 0x0fffffff);
    expect(() => parseHeaderBlob(b.subarray(0, 32))).toThrow(/runs past the end/);
  });
});
