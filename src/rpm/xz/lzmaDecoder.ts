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
  private probs = new Uint16Array(0);
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
    if (this.probs.length !== size) this.probs = new Uint16Array(size);
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
    this.code = ((input[pos + 1] << 24) | (input[pos + 2] << 16) | (input[pos + 3] << 8) | input[pos + 4]) >>> 0;
    this.range = 0xffffffff;
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
   */
  decode(outLimit: number, inLimit: number): void {
    const w = this.window;
    if (this.pendingLen > 0) this.pendingLen = w.repeat(this.rep0, this.pendingLen, outLimit);
    const probs = this.probs;
    while (w.pos < outLimit && this.inPos <= inLimit && this.pendingLen === 0) {
      const posState = w.pos & this.posMask;
      const st = this.state;
      if (this.bit(IS_MATCH + st * POS_STATES_MAX + posState) === 0) {
        this.decodeLiteral(probs);
        continue;
      }
      let len: number;
      if (this.bit(IS_REP + st) === 0) {
        // A new match: shift the reps, read length and distance.
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.decodeLen(MATCH_LEN, posState);
        this.state = st < 7 ? 7 : 10;
        const dist = this.decodeDistance(len);
        if (dist === 0xffffffff) {
          this.sawEndMarker = true;
          return;
        }
        this.rep0 = dist;
      } else if (this.bit(IS_REP0 + st) === 0) {
        if (this.bit(IS_REP0_LONG + st * POS_STATES_MAX + posState) === 0) {
          // Short rep: one byte from distance rep0.
          this.state = st < 7 ? 9 : 11;
          this.checkDistance(this.rep0);
          w.putByte(w.getByte(this.rep0));
          continue;
        }
        len = this.decodeLen(REP_LEN, posState);
        this.state = st < 7 ? 8 : 11;
      } else {
        let dist: number;
        if (this.bit(IS_REP1 + st) === 0) {
          dist = this.rep1;
        } else {
          if (this.bit(IS_REP2 + st) === 0) {
            dist = this.rep2;
          } else {
            dist = this.rep3;
            this.rep3 = this.rep2;
          }
          this.rep2 = this.rep1;
        }
        this.rep1 = this.rep0;
        this.rep0 = dist;
        len = this.decodeLen(REP_LEN, posState);
        this.state = st < 7 ? 8 : 11;
      }
      this.checkDistance(this.rep0);
      this.pendingLen = w.repeat(this.rep0, len, outLimit);
    }
  }

  private checkDistance(dist: number): void {
    if (dist >= this.window.full) throw new PayloadFormatError(`LZMA match distance ${dist + 1} beyond the ${this.window.full} bytes decoded`);
  }

  private decodeLiteral(probs: Uint16Array): void {
    const w = this.window;
    const prev = w.full > 0 ? w.getByte(0) : 0;
    const base = LITERAL + 0x300 * (((w.pos & this.lpMask) << this.lc) + (prev >>> (8 - this.lc)));
    let symbol = 1;
    if (this.state < 7) {
      while (symbol < 0x100) symbol = (symbol << 1) | this.bit(base + symbol);
    } else {
      this.checkDistance(this.rep0);
      let matchByte = w.getByte(this.rep0);
      let offset = 0x100;
      while (symbol < 0x100) {
        matchByte <<= 1;
        const matchBit = matchByte & offset;
        if (this.bit(base + offset + matchBit + symbol) === 1) {
          symbol = (symbol << 1) | 1;
          offset = matchBit;
        } else {
          symbol <<= 1;
          offset &= ~matchBit;
        }
      }
    }
    w.putByte(symbol & 0xff);
    const s = this.state;
    this.state = s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
    void probs;
  }

  private decodeLen(base: number, posState: number): number {
    if (this.bit(base) === 0) return 2 + this.tree(base + 2 + posState * 8, 3);
    if (this.bit(base + 1) === 0) return 10 + this.tree(base + 2 + 128 + posState * 8, 3);
    return 18 + this.tree(base + 2 + 256, 8);
  }

  private decodeDistance(len: number): number {
    const lenState = len < 6 ? len - 2 : 3;
    const slot = this.tree(DIST_SLOT + lenState * 64, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let dist = ((2 | (slot & 1)) << directBits) >>> 0;
    if (slot < 14) return dist + this.reverseTree(DIST_SPECIAL + dist - slot - 1, directBits);
    dist += this.direct(directBits - 4) * 16;
    return (dist + this.reverseTree(DIST_ALIGN, 4)) >>> 0;
  }

  private normalize(): void {
    if (this.range < TOP) {
      if (this.inPos >= this.inEnd) throw new PayloadFormatError('LZMA data truncated');
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.input[this.inPos++]) >>> 0;
    }
  }

  private bit(i: number): number {
    this.normalize();
    const p = this.probs[i];
    const bound = (this.range >>> 11) * p;
    if (this.code < bound) {
      this.range = bound;
      this.probs[i] = p + ((2048 - p) >>> 5);
      return 0;
    }
    this.range -= bound;
    this.code -= bound;
    this.probs[i] = p - (p >>> 5);
    return 1;
  }

  private tree(base: number, bits: number): number {
    let symbol = 1;
    for (let i = 0; i < bits; i++) symbol = (symbol << 1) | this.bit(base + symbol);
    return symbol - (1 << bits);
  }

  private reverseTree(base: number, bits: number): number {
    let symbol = 1;
    let result = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(base + symbol);
      symbol = (symbol << 1) | b;
      result |= b << i;
    }
    return result;
  }

  private direct(bits: number): number {
    let result = 0;
    for (let i = 0; i < bits; i++) {
      this.normalize();
      this.range = this.range >>> 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      result = result * 2 + b;
    }
    return result;
  }
}
