// Canonical Huffman decoding for bzip2's code tables (lengths 1..20, codes assigned in order of length,
// then symbol). limit[len] is the largest code of that length; codes of length `len` index `perm`.

import { PayloadFormatError } from '../../errors.ts';
import type { BitReader } from './bitReader.ts';

export const MAX_CODE_LEN = 20;

export class HuffmanTable {
  readonly limit = new Int32Array(MAX_CODE_LEN + 2);
  readonly base = new Int32Array(MAX_CODE_LEN + 2);
  readonly perm = new Uint16Array(258);
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
    let p = 0;
    let code = 0;
    for (let len = min; len <= max; len++) {
      const first = p;
      for (let s = 0; s < alphaSize; s++) if (lengths[s] === len) this.perm[p++] = s;
      const count = p - first;
      this.base[len] = first - code;
      this.limit[len] = code + count - 1;
      code = (code + count) * 2;
    }
  }

  decode(r: BitReader): number {
    let len = this.minLen;
    let v = r.bits(len);
    while (v > this.limit[len]) {
      if (++len > this.maxLen) throw new PayloadFormatError('bzip2 data holds an invalid Huffman code');
      v = (v << 1) | r.bit();
    }
    return this.perm[v + this.base[len]];
  }
}
