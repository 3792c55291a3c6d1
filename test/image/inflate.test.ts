// inflateWholeInto: one-shot gzip/zstd inflate into a reused buffer (restore in place), byte-identical to
// node:zlib's own one-shot functions, with the same errors and limits.

import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateWholeInto, keepsInflateContexts } from '../../src/image/inflate.ts';

// Compressible but not trivial: random words repeated.
const words = Array.from({ length: 500 }, () => randomBytes(6).toString('hex'));
const plain = Buffer.from(Array.from({ length: 60_000 }, (_, i) => words[(i * 7919) % words.length]).join(' '));
const packed = { zstd: zlib.zstdCompressSync(plain), gzip: zlib.gzipSync(plain) };

describe('inflateWholeInto', () => {
  for (const kind of ['zstd', 'gzip'] as const) {
    it(`${kind}: into the scratch when it fits, fresh memory when not, the same bytes either way`, () => {
      const scratch = Buffer.alloc(plain.length + 4096);
      const a = inflateWholeInto(kind, packed[kind], scratch, 1 << 24);
      expect(a.equals(plain)).toBe(true);
      expect(a.buffer).toBe(scratch.buffer);
      // used again: the same memory, overwritten
      const b = inflateWholeInto(kind, packed[kind], scratch, 1 << 24);
      expect(b.equals(plain)).toBe(true);
      expect(b.byteOffset).toBe(a.byteOffset);
      const small = Buffer.alloc(1000);
      const c = inflateWholeInto(kind, packed[kind], small, 1 << 24);
      expect(c.equals(plain)).toBe(true);
      expect(c.buffer).not.toBe(small.buffer);
    });

    it(`${kind}: truncated or oversized input fails as node:zlib's one-shot function does`, () => {
      const cut = packed[kind].subarray(0, packed[kind].length - 7);
      const oneShot = kind === 'zstd' ? () => zlib.zstdDecompressSync(cut) : () => zlib.gunzipSync(cut);
      expect(oneShot).toThrow();
      expect(() => inflateWholeInto(kind, cut, Buffer.alloc(plain.length + 4096), 1 << 24)).toThrow(/unexpected end of file/);
      expect(() => inflateWholeInto(kind, packed[kind], Buffer.alloc(plain.length + 4096), 1000)).toThrow(/Cannot create a Buffer larger than|too large|ERR_BUFFER_TOO_LARGE|larger than/i);
      // a failure leaves nothing behind: the next call works
      expect(inflateWholeInto(kind, packed[kind], Buffer.alloc(plain.length), 1 << 24).equals(plain)).toBe(true);
    });
  }

  it('keeps one context per format from payload to payload: other contents, both formats in turn, a corrupt one between', () => {
    const other = Buffer.from(words.join('\n').repeat(40));
    const inputs = [plain, other, plain.subarray(0, 5000), Buffer.alloc(0), other];
    const scratch = Buffer.alloc(plain.length + other.length);
    for (let round = 0; round < 3; round++) {
      for (const input of inputs) {
        for (const kind of ['zstd', 'gzip'] as const) {
          const packedInput = kind === 'zstd' ? zlib.zstdCompressSync(input) : zlib.gzipSync(input);
          expect(inflateWholeInto(kind, packedInput, scratch, 1 << 24).equals(input)).toBe(true);
        }
      }
      const garbage = Buffer.from(packed.zstd);
      garbage.fill(0x55, 20, 60);
      expect(() => inflateWholeInto('zstd', garbage, scratch, 1 << 24)).toThrow();
      expect(() => inflateWholeInto('gzip', Buffer.from('not gzip at all'), scratch, 1 << 24)).toThrow();
    }
  });

  it('this Node passes the probe: contexts are kept (else every payload gets a fresh engine, slower)', () => {
    expect(keepsInflateContexts('zstd')).toBe(true);
    expect(keepsInflateContexts('gzip')).toBe(true);
  });
});
