// Canonical Huffman decoding for bzip2's code tables (lengths 1..20, codes assigned in order of length,
// then symbol). limit[len] is the largest code of that length; codes of length `len` index `perm`.

import { PayloadFormatError } from '../../errors.ts';
import type { BitReader } from './bitReader.ts';

export const MAX_CODE_LEN = 20;
/**
 * Codes up to this length decode with one table lookup (symbol << 5 | length; 0 = longer code). Peeking
 * this many bits ahead is safe: a valid stream always has its 80-bit end-of-stream marker after the data.
 */
const LOOKUP_BITS = 10;

export class HuffmanTable {
  readonly limit = new Int32Array(MAX_CODE_LEN + 2);
  readonly base = new Int32Array(MAX_CODE_LEN + 2);
  readonly perm = new Uint16Array(258);
  private readonly lookup = new Uint16Array(1 << LOOKUP_BITS);
  minLen = 0;
  maxLen = 0;

  build(lengths: Uint8Array, alphaSize: number): void {
    let min = MAX_CODE_LEN;
    let max = 0;
    for (let i = 0; i < alphaSize; i++) {
      if (lengths[i] > max) max = lengths[i];
      if (lengths[i] < min) min = lengths[i];
    }
    this.minLen = min;
    this.maxLen = max;
    this.lookup.fill(0);
    let p = 0;
    let code = 0;
    for (let len = min; len <= max; len++) {
      const first = p;
      for (let s = 0; s < alphaSize; s++) {
        if (lengths[s] !== len) continue;
        this.perm[p++] = s;
        const c = code + (p - first - 1);
        if (len <= LOOKUP_BITS && c < 1 << len) {
          const shift = LOOKUP_BITS - len;
          this.lookup.fill((s << 5) | len, c << shift, (c + 1) << shift);
        }
      }
      const count = p - first;
      this.base[len] = first - code;
      this.limit[len] = code + count - 1;
      code = (code + count) * 2;
    }
  }

  decode(r: BitReader): number {
    const e = this.lookup[r.peek(LOOKUP_BITS)];
    if (e !== 0) {
      r.consume(e & 31);
      return e >>> 5;
    }
    let len = this.minLen > LOOKUP_BITS ? this.minLen : LOOKUP_BITS + 1;
    let v = r.bits(len);
    while (v > this.limit[len]) {
      if (++len > this.maxLen) throw new PayloadFormatError('bzip2 data holds an invalid Huffman code');
      v = (v << 1) | r.bit();
    }
    return this.perm[v + this.base[len]];
  }
}
