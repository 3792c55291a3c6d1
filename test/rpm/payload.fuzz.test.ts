// Thousands of mutated compressed streams, cpio archives and package payloads: each must end in a result
// or a typed error (never a crash, a hang, or an untyped exception), within bounded time and memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isYumvaultError } from '../../src/errors.ts';
import { readCpio } from '../../src/rpm/cpio.ts';
import { createDecompressor } from '../../src/rpm/decompress.ts';
import { verifyPayloadDigests } from '../../src/rpm/payload.ts';
import { buildPayloadPackages } from './testPackages.ts';
import { mulberry32 } from '../fixtures-gen/prng.ts';

const ALLOWED = new Set(['YV_PAYLOAD_FORMAT', 'YV_RPM_UNSUPPORTED', 'YV_PATH_TRAVERSAL', 'YV_RPM_FORMAT']);


function mutate(input: Uint8Array, rand: () => number, protect = 0): Buffer {
  const b = Buffer.from(input);
  const kind = rand();
  const at = () => protect + Math.floor(rand() * (b.length - protect));
  if (kind < 0.6) {
    const flips = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < flips; i++) b[at()] ^= 1 << Math.floor(rand() * 8);
    return b;
  }
  if (kind < 0.75) return b.subarray(0, at());
  if (kind < 0.9) {
    const p = at();
    return Buffer.concat([b.subarray(0, p), Buffer.from([Math.floor(rand() * 256)]), b.subarray(p)]);
  }
  const p = at();
  b.fill(rand() < 0.5 ? 0 : 0xff, p, Math.min(b.length, p + 1 + Math.floor(rand() * 16)));
  return b;
}

/** Returns 'ok' or the error code; anything untyped fails the test. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (!isYumvaultError(e) || !ALLOWED.has(e.code)) throw new Error(`untyped failure: ${String(e)}`, { cause: e });
    return e.code;
  }
}

const MAX_OUTPUT = 64 * 1024 * 1024;
async function decodeAll(kind: string, data: Uint8Array): Promise<void> {
  let total = 0;
  await pipeline(
    Readable.from([data]),
    createDecompressor(kind),
    new Writable({
      write(c: Buffer, _e, cb) {
        total += c.length;
        cb(total > MAX_OUTPUT ? new Error('decoder produced more than 64 MiB from a 20 KB input') : undefined);
      },
    }),
  );
}

let dir: string;
let sample: Buffer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yv-fuzz-'));
  const text = Array.from({ length: 1500 }, (_, i) => `row ${i} ${(i * 31) % 97}\n`).join('');
  sample = Buffer.concat([Buffer.from(text), Buffer.alloc(3000, 0x41), Buffer.from(text.slice(0, 4000))]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzzed compressed streams', () => {
  const cases: [string, string, string[]][] = [
    ['xz', 'xz', ['-c', '-6']],
    ['xz (sha256, two blocks)', 'xz', ['-c', '--check=sha256', '--block-size=8000', '-T1']],
    ['lzma', 'lzma', ['-c']],
    ['bzip2', 'bzip2', ['-c', '-1']],
    ['gzip', 'gzip', ['-c']],
    ['zstd', 'zstd', ['-c', '-q']],
  ];
  for (const [name, kind, args] of cases) {
    it(`${name}: 400 mutations end in a result or a typed error`, async () => {
      const tool = name.startsWith('xz') ? 'xz' : kind;
      const good = execFileSync(tool, args, { input: sample });
      const rand = mulberry32(name.length * 7919);
      const seen = new Map<string, number>();
      const t0 = Date.now();
      for (let i = 0; i < 400; i++) {
        const r = await outcome(() => decodeAll(kind, mutate(good, rand)));
        seen.set(r, (seen.get(r) ?? 0) + 1);
      }
      expect(seen.get('YV_PAYLOAD_FORMAT') ?? 0).toBeGreaterThan(100);
      expect(Date.now() - t0).toBeLessThan(20_000);
    }, 30_000);
  }
  it('random garbage after valid magics', async () => {
    const rand = mulberry32(42);
    const magics = { xz: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], bzip2: [0x42, 0x5a, 0x68, 0x39], lzma: [0x5d, 0, 0, 0x80, 0] };
    for (const [kind, magic] of Object.entries(magics)) {
      for (let i = 0; i < 300; i++) {
        const junk = Buffer.from(Array.from({ length: 8 + Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)));
        await outcome(() => decodeAll(kind, Buffer.concat([Buffer.from(magic), junk])));
      }
    }
  }, 30_000);
});

describe('fuzzed cpio archives', () => {
  it('2000 mutations of a newc archive end in entries or a typed error', async () => {
    const root = join(dir, 'root');
    execFileSync('sh', ['-c', `mkdir -p ${root}/a/b && echo hi > ${root}/a/b/f && ln -s f ${root}/a/b/l && ln ${root}/a/b/f ${root}/a/g && : > ${root}/e`]);
    const archive = execFileSync('sh', ['-c', 'find . -mindepth 1 | cpio -o -H newc --quiet'], { cwd: root });
    const good = archive.subarray(0, archive.indexOf('TRAILER!!!') + 12);
    const rand = mulberry32(7);
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const r = await outcome(async () => {
        for await (const e of readCpio(Readable.from([mutate(good, rand)]))) {
          for await (const _ of e.body) void _;
        }
      });
      seen.set(r, (seen.get(r) ?? 0) + 1);
    }
    expect(seen.get('YV_PAYLOAD_FORMAT') ?? 0).toBeGreaterThan(500);
  }, 30_000);
});

describe('fuzzed package payloads', () => {
  it('150 mutations of each package payload (xz, gzip, bzip2, none) end in a verification result or a typed error', async () => {
    const pkgs = await buildPayloadPackages(['xz', 'gzip', 'bzip2', 'none'], 20_000);
    const { readRpmPackage } = await import('../../src/rpm/package.ts');
    const rand = mulberry32(99);
    for (const path of Object.values(pkgs)) {
      const bytes = readFileSync(path);
      const { payloadOffset } = await readRpmPackage(path);
      let reported = 0;
      for (let i = 0; i < 150; i++) {
        const r = await outcome(async () => {
          const v = await verifyPayloadDigests(Readable.from([mutate(bytes, rand, payloadOffset)]));
          if (v.mismatches.length > 0) reported++;
        });
        expect(typeof r).toBe('string');
      }
      // Mutations past the decoder's own checks show up as digest/size mismatches (the uncompressed one).
      if (path.includes('payload-none')) expect(reported).toBeGreaterThan(10);
    }
  }, 180_000); // ~30 s alone; under a loaded CI machine it needs room
});
