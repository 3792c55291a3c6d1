// The LZMA decoder proper (range coder + literal/match/rep model), shared by the .lzma ("LZMA alone")
// reader and LZMA2 chunks inside .xz. Written from the format description in the xz-file-format and
// lzma-specification documents (tukaani.org) and the LZMA SDK's lzma-specification.txt.
//
// Output goes into a sliding dictionary (OutWindow): the caller decodes up to a limit, takes the new bytes
// out with flush(), and calls again; a match cut by the limit is finished on the next call (pendingLen).

import { PayloadFormatError } from '../../errors.ts';
import { OutWindow } from './outWindow.ts';

const STATES = 12;
const POS_STATES_MAX = 16;
const IS_MATCH = 0;
const IS_REP = IS_MATCH + STATES * POS_STATES_MAX;
const IS_REP0 = IS_REP + STATES;
const IS_REP1 = IS_REP0 + STATES;
const IS_REP2 = IS_REP1 + STATES;
const IS_REP0_LONG = IS_REP2 + STATES;
const DIST_SLOT = IS_REP0_LONG + STATES * POS_STATES_MAX;
const DIST_SPECIAL = DIST_SLOT + 4 * 64;
const DIST_ALIGN = DIST_SPECIAL + 114;
const LEN_CODER_SIZE = 2 + 16 * 8 + 16 * 8 + 256;
const MATCH_LEN = DIST_ALIGN + 16;
const REP_LEN = MATCH_LEN + LEN_CODER_SIZE;
const LITERAL = REP_LEN + LEN_CODER_SIZE;

const PROB_INIT = 1024;
const TOP = 1 << 24;
/**
 * range and code are kept as int32 bit patterns of the unsigned 32-bit values: V8 then keeps them in
 * integer registers (uint32 values above 2^31 would become doubles). Unsigned comparisons flip the sign
 * bit first: (a ^ SIGN) < (b ^ SIGN).
 */
const SIGN = 0x80000000 | 0;

/** lc/lp/pb from the properties byte ((pb * 5 + lp) * 9 + lc). */
export interface LzmaProps {
  lc: number;
  lp: number;
  pb: number;
}

export function parseLzmaPropsByte(b: number): LzmaProps {
  if (b >= 9 * 5 * 5) throw new PayloadFormatError(`invalid LZMA properties byte 0x${b.toString(16)}`);
  const lc = b % 9;
  const rest = (b / 9) | 0;
  return { lc, lp: rest % 5, pb: (rest / 5) | 0 };
}

export class LzmaDecoder {
  /** Int32 rather than Uint16: loads need no widening (measured ~4% faster overall). */
  private probs = new Int32Array(0);
  private lc = 0;
  private lp = 0;
  private posMask = 0;
  private lpMask = 0;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  /** Bytes of a match still to copy when the last call stopped at its output limit. */
  pendingLen = 0;
  /** The end-of-payload marker was decoded. */
  sawEndMarker = false;

  // Range decoder state.
  private range = 0;
  private code = 0;
  private input: Uint8Array = new Uint8Array(0);
  inPos = 0;
  private inEnd = 0;

  readonly window: OutWindow;

  constructor(window: OutWindow) {
    this.window = window;
  }

  setProps(p: LzmaProps): void {
    this.lc = p.lc;
    this.lp = p.lp;
    this.posMask = (1 << p.pb) - 1;
    this.lpMask = (1 << p.lp) - 1;
    const size = LITERAL + (0x300 << (p.lc + p.lp));
    if (this.probs.length !== size) this.probs = new Int32Array(size);
  }

  /** Reset the model (probabilities, state, reps); the dictionary is kept. */
  resetState(): void {
    this.probs.fill(PROB_INIT);
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.pendingLen = 0;
    this.sawEndMarker = false;
  }

  /** Start the range decoder on 5 bytes at input[pos]; the caller guarantees they are there. */
  initRangeCoder(input: Uint8Array, pos: number, end: number): void {
    if (end - pos < 5) throw new PayloadFormatError('LZMA data truncated at range coder start');
    if (input[pos] !== 0) throw new PayloadFormatError('LZMA range coder does not start with a zero byte');
    this.code = (input[pos + 1] << 24) | (input[pos + 2] << 16) | (input[pos + 3] << 8) | input[pos + 4];
    this.range = -1; // 0xffffffff
    this.input = input;
    this.inPos = pos + 5;
    this.inEnd = end;
  }

  /** Continue on a new input buffer (same range coder state). */
  setInput(input: Uint8Array, pos: number, end: number): void {
    this.input = input;
    this.inPos = pos;
    this.inEnd = end;
  }

  /**
   * After the last symbol of a chunk: the range coder normalizes once more (the encoder flushed that byte)
   * and its code must then be zero (xz-file-format, LZMA2).
   */
  finishRangeCoder(): boolean {
    this.normalize();
    return this.code === 0;
  }

  /**
   * Decode symbols until the window holds `outLimit` (absolute window position), the end marker, or the
   * input position passes `inLimit` (the caller keeps enough bytes beyond it for one more symbol).
   *
   * Written as one function over local variables, with the range decoder's bit step spelled out at each
   * use: V8 keeps locals in registers, and this runs 2-3x faster than the same logic split into methods
   * on `this` (measured on a 150 MB payload: 5.8 s before, see bench/payload.ts for the current figure).
   */
  decode(outLimit: number, inLimit: number): void {
    const w = this.window;
    const dict = w.buf;
    const dictLen = dict.length;
    const wrapped = w.wrapped;
    let pos = w.pos;
    const probs = this.probs;
    const input = this.input;
    const inEnd = this.inEnd;
    let range = this.range;
    let code = this.code;
    let inPos = this.inPos;
    let state = this.state;
    let rep0 = this.rep0;
    let rep1 = this.rep1;
    let rep2 = this.rep2;
    let rep3 = this.rep3;
    let pending = this.pendingLen;
    const posMask = this.posMask;
    const lpMask = this.lpMask;
    const lc = this.lc;
    let p = 0;
    let bound = 0;
    let i = 0;

    while (pos < outLimit) {
      let len = 0;
      if (pending > 0) {
        len = pending;
        pending = 0;
      } else {
        if (inPos > inLimit) break;
        const posState = pos & posMask;
        // isMatch
        i = IS_MATCH + state * POS_STATES_MAX + posState;
        if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
        p = probs[i]; bound = Math.imul(range >>> 11, p);
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound; probs[i] = p + ((2048 - p) >>> 5);
          // Literal.
          const prev = pos > 0 ? dict[pos - 1] : wrapped ? dict[dictLen - 1] : 0;
          const base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
          let symbol = 1;
          if (state < 7) {
            do {
              i = base + symbol;
              if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
              p = probs[i]; bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); symbol <<= 1; }
              else { range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); symbol = (symbol << 1) | 1; }
            } while (symbol < 0x100);
          } else {
            let m = pos - rep0 - 1;
            if (m < 0) {
              if (!wrapped || rep0 >= dictLen) throw distanceError(rep0, wrapped ? dictLen : pos);
              m += dictLen;
            }
            let matchByte = dict[m];
            let offset = 0x100;
            do {
              matchByte <<= 1;
              const matchBit = matchByte & offset;
              i = base + offset + matchBit + symbol;
              if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
              p = probs[i]; bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); symbol <<= 1; offset &= ~matchBit; }
              else { range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); symbol = (symbol << 1) | 1; offset = matchBit; }
            } while (symbol < 0x100);
          }
          dict[pos++] = symbol & 0xff;
          state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
          if (inPos > inEnd) throw truncatedError();
          continue;
        }
        range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
        // isRep
        i = IS_REP + state;
        if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
        p = probs[i]; bound = Math.imul(range >>> 11, p);
        let lenBase: number;
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound; probs[i] = p + ((2048 - p) >>> 5);
          // A new match: distance follows the length.
          rep3 = rep2; rep2 = rep1; rep1 = rep0;
          state = state < 7 ? 7 : 10;
          lenBase = MATCH_LEN;
        } else {
          range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
          // isRep0
          i = IS_REP0 + state;
          if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
          p = probs[i]; bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) {
            range = bound; probs[i] = p + ((2048 - p) >>> 5);
            // isRep0Long
            i = IS_REP0_LONG + state * POS_STATES_MAX + posState;
            if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
            p = probs[i]; bound = Math.imul(range >>> 11, p);
            if ((code ^ SIGN) < (bound ^ SIGN)) {
              range = bound; probs[i] = p + ((2048 - p) >>> 5);
              // Short rep: one byte from rep0.
              state = state < 7 ? 9 : 11;
              let m = pos - rep0 - 1;
              if (m < 0) {
                if (!wrapped || rep0 >= dictLen) throw distanceError(rep0, wrapped ? dictLen : pos);
                m += dictLen;
              }
              dict[pos++] = dict[m];
              if (inPos > inEnd) throw truncatedError();
              continue;
            }
            range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
          } else {
            range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
            // isRep1
            i = IS_REP1 + state;
            if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
            p = probs[i]; bound = Math.imul(range >>> 11, p);
            let dist: number;
            if ((code ^ SIGN) < (bound ^ SIGN)) {
              range = bound; probs[i] = p + ((2048 - p) >>> 5);
              dist = rep1;
            } else {
              range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
              // isRep2
              i = IS_REP2 + state;
              if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
              p = probs[i]; bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) {
                range = bound; probs[i] = p + ((2048 - p) >>> 5);
                dist = rep2;
              } else {
                range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
                dist = rep3;
                rep3 = rep2;
              }
              rep2 = rep1;
            }
            rep1 = rep0;
            rep0 = dist;
          }
          state = state < 7 ? 8 : 11;
          lenBase = REP_LEN;
        }
        // Length: choice bits pick the low (3 bits, per posState), mid (3 bits) or high (8 bits) tree.
        let treeBase: number;
        let treeBits: number;
        i = lenBase;
        if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
        p = probs[i]; bound = Math.imul(range >>> 11, p);
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound; probs[i] = p + ((2048 - p) >>> 5);
          treeBase = lenBase + 2 + posState * 8; treeBits = 3; len = 2;
        } else {
          range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
          i = lenBase + 1;
          if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
          p = probs[i]; bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) {
            range = bound; probs[i] = p + ((2048 - p) >>> 5);
            treeBase = lenBase + 2 + 128 + posState * 8; treeBits = 3; len = 10;
          } else {
            range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5);
            treeBase = lenBase + 2 + 256; treeBits = 8; len = 18;
          }
        }
        let symbol = 1;
        const treeLimit = 1 << treeBits;
        do {
          i = treeBase + symbol;
          if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
          p = probs[i]; bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); symbol <<= 1; }
          else { range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); symbol = (symbol << 1) | 1; }
        } while (symbol < treeLimit);
        len += symbol - treeLimit;

        if (lenBase === MATCH_LEN) {
          // Distance: a 6-bit slot, then reverse-tree or direct + aligned low bits.
          const slotBase = DIST_SLOT + (len < 6 ? len - 2 : 3) * 64;
          symbol = 1;
          do {
            i = slotBase + symbol;
            if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
            p = probs[i]; bound = Math.imul(range >>> 11, p);
            if ((code ^ SIGN) < (bound ^ SIGN)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); symbol <<= 1; }
            else { range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); symbol = (symbol << 1) | 1; }
          } while (symbol < 64);
          const slot = symbol - 64;
          let dist: number;
          if (slot < 4) {
            dist = slot;
          } else {
            const directBits = (slot >>> 1) - 1;
            dist = ((2 | (slot & 1)) << directBits) >>> 0;
            let revBase: number;
            let revBits: number;
            if (slot < 14) {
              revBase = DIST_SPECIAL + dist - slot - 1;
              revBits = directBits;
            } else {
              let direct = 0;
              for (let k = directBits - 4; k > 0; k--) {
                if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
                range = range >>> 1;
                if ((code ^ SIGN) >= (range ^ SIGN)) { code = (code - range) | 0; direct = (direct << 1) | 1; } else direct <<= 1;
              }
              dist += direct * 16;
              revBase = DIST_ALIGN;
              revBits = 4;
            }
            symbol = 1;
            let rev = 0;
            for (let k = 0; k < revBits; k++) {
              i = revBase + symbol;
              if ((range & 0xff000000) === 0) { range <<= 8; code = (code << 8) | input[inPos++]; }
              p = probs[i]; bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) { range = bound; probs[i] = p + ((2048 - p) >>> 5); symbol <<= 1; }
              else { range = (range - bound) | 0; code = (code - bound) | 0; probs[i] = p - (p >>> 5); symbol = (symbol << 1) | 1; rev |= 1 << k; }
            }
            dist = (dist + rev) >>> 0;
            if (dist === 0xffffffff) {
              this.sawEndMarker = true;
              if (inPos > inEnd) throw truncatedError();
              break;
            }
          }
          rep0 = dist;
        }
        if (inPos > inEnd) throw truncatedError();
        if (rep0 >= (wrapped ? dictLen : pos)) throw distanceError(rep0, wrapped ? dictLen : pos);
      }
      // Copy `len` bytes from rep0 + 1 back, stopping at outLimit (the rest stays pending).
      let n = outLimit - pos;
      if (len < n) n = len;
      pending = len - n;
      let src = pos - rep0 - 1;
      if (src < 0) src += dictLen;
      if (src + n <= dictLen) {
        // The source does not wrap: a plain forward copy (byte by byte, so overlapping runs repeat).
        if (n > 32 && src + n <= pos) {
          dict.copyWithin(pos, src, src + n);
          pos += n;
        } else {
          const end = pos + n;
          while (pos < end) dict[pos++] = dict[src++];
        }
      } else {
        while (n-- > 0) {
          dict[pos++] = dict[src++];
          if (src === dictLen) src = 0;
        }
      }
    }
    w.pos = pos;
    this.range = range;
    this.code = code;
    this.inPos = inPos;
    this.state = state;
    this.rep0 = rep0;
    this.rep1 = rep1;
    this.rep2 = rep2;
    this.rep3 = rep3;
    this.pendingLen = pending;
  }

  private normalize(): void {
    if ((this.range >>> 0) < TOP) {
      if (this.inPos >= this.inEnd) throw new PayloadFormatError('LZMA data truncated');
      this.range <<= 8;
      this.code = (this.code << 8) | this.input[this.inPos++];
    }
  }
}

function truncatedError(): PayloadFormatError {
  return new PayloadFormatError('LZMA data truncated');
}

function distanceError(dist: number, have: number): PayloadFormatError {
  return new PayloadFormatError(`LZMA match distance ${dist + 1} beyond the ${have} bytes decoded`);
}
