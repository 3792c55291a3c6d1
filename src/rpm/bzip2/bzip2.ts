// bzip2 decompression (rpm's w9.bzdio payloads): stream header "BZh1".."BZh9", then blocks of Huffman-
// coded MTF/RLE2 symbols over a Burrows-Wheeler transform, each with a CRC32 (MSB-first) of its output,
// and an end-of-stream marker with the combined CRC. Written from the format as described in Joe Tsai's
// "bzip2 format specification" and the bzip2 manual; concatenated streams are decoded one after another.
//
// A whole block's compressed bits are queued before decoding it (a block can never exceed ~2.3 MB
// compressed), so decoding never stops mid-block for lack of input.

import { PayloadFormatError, RpmUnsupportedError } from '../../errors.ts';
import { want, type ByteQueue, type DecoderGenerator } from '../compress/byteQueue.ts';
import { BitReader } from './bitReader.ts';
import { HuffmanTable, MAX_CODE_LEN } from './huffman.ts';

/** Upper bound on one block's compressed size: 900k+1 symbols of at most 20 bits, plus tables. */
const MAX_BLOCK_BYTES = 3 * 1024 * 1024;
const OUT_CHUNK = 256 * 1024;
const GROUP_SIZE = 50;
const MAX_GROUPS = 6;
const MAX_SELECTORS = 18002;

const CRC_TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  CRC_TABLE[i] = c >>> 0;
}

export function* decodeBzip2(q: ByteQueue): DecoderGenerator {
  const r = new BitReader();
  let tt = new Uint32Array(0);
  let streams = 0;
  for (;;) {
    yield* want(q, MAX_BLOCK_BYTES);
    viewAll(q, r);
    if (streams > 0 && r.bytesLeft < 4) return; // end, or a few bytes of trailing garbage (ignored, as bzip2 does)
    const b0 = r.bits(8);
    const b1 = r.bits(8);
    const b2 = r.bits(8);
    const level = r.bits(8) - 0x30;
    if (b0 !== 0x42 || b1 !== 0x5a || b2 !== 0x68 || level < 1 || level > 9) {
      if (streams > 0) return; // trailing garbage after a complete stream
      throw new PayloadFormatError('not a bzip2 stream (bad magic)');
    }
    streams++;
    const blockMax = level * 100000;
    if (tt.length < blockMax + 1) tt = new Uint32Array(blockMax + 1); // sized by the stream's level
    let combined = 0;
    for (;;) {
      const magicHi = r.bits(24);
      const magicLo = r.bits(24);
      if (magicHi === 0x177245 && magicLo === 0x385090) {
        const stored = ((r.bits(16) << 16) | r.bits(16)) >>> 0;
        if (stored !== combined >>> 0) throw new PayloadFormatError('bzip2 stream CRC mismatch');
        r.alignToByte();
        commit(q, r);
        break;
      }
      if (magicHi !== 0x314159 || magicLo !== 0x265359) throw new PayloadFormatError('bzip2 block magic missing (corrupt data)');
      const blockCrc = ((r.bits(16) << 16) | r.bits(16)) >>> 0;
      const nblock = readBlock(r, tt, blockMax);
      commit(q, r);
      // Inverse BWT walk + RLE1 expansion, handed out in pieces.
      let crc = 0xffffffff;
      let out = new Uint8Array(OUT_CHUNK);
      let o = 0;
      let tPos = tt[tt[nblock]] >>> 8; // tt[nblock] holds origPtr (see readBlock)
      let last = -1;
      let run = 0;
      for (let k = 0; k < nblock; k++) {
        tPos = tt[tPos];
        const ch = tPos & 0xff;
        tPos >>>= 8;
        let reps = 1;
        if (run === 4) {
          reps = ch;
          run = 0;
        } else if (ch === last) {
          run++;
        } else {
          last = ch;
          run = 1;
        }
        while (reps-- > 0) {
          if (o === OUT_CHUNK) {
            crc = crcUpdate(crc, out, o);
            yield out;
            out = new Uint8Array(OUT_CHUNK);
            o = 0;
          }
          out[o++] = last;
        }
      }
      crc = crcUpdate(crc, out, o);
      if (o > 0) yield out.subarray(0, o);
      if (~crc >>> 0 !== blockCrc) throw new PayloadFormatError('bzip2 block CRC mismatch (corrupt data)');
      combined = (((combined << 1) | (combined >>> 31)) ^ blockCrc) >>> 0;
      yield* want(q, MAX_BLOCK_BYTES);
      viewAll(q, r);
    }
  }
}

/** Point the reader at everything queued (one contiguous view). */
function viewAll(q: ByteQueue, r: BitReader): void {
  const v = q.contiguous(q.available);
  r.setView(v.buf, v.pos, v.pos + Math.min(q.available, v.end - v.pos), q.ended);
}

/** Take the bytes the reader has loaded out of the queue. */
function commit(q: ByteQueue, r: BitReader): void {
  q.skip(r.pos - r.viewStart);
  r.viewStart = r.pos;
}

function crcUpdate(crc: number, data: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff];
  return crc;
}

/**
 * Decode one block's tables and symbols into tt (BWT vector, prepared for the inverse walk) and return
 * its length; tt[length] receives origPtr.
 */
function readBlock(r: BitReader, tt: Uint32Array, blockMax: number): number {
  if (r.bit()) throw new RpmUnsupportedError('bzip2 randomized blocks (bzip2 < 0.9.5) are not supported');
  const origPtr = r.bits(24);
  // Which byte values occur: 16 groups of 16.
  const seqToUnseq = new Uint8Array(256);
  let inUse = 0;
  const used16 = r.bits(16);
  for (let i = 0; i < 16; i++) {
    if (used16 & (0x8000 >>> i)) {
      const m = r.bits(16);
      for (let j = 0; j < 16; j++) if (m & (0x8000 >>> j)) seqToUnseq[inUse++] = i * 16 + j;
    }
  }
  if (inUse === 0) throw new PayloadFormatError('bzip2 block uses no symbols');
  const alphaSize = inUse + 2;
  const groups = r.bits(3);
  if (groups < 2 || groups > MAX_GROUPS) throw new PayloadFormatError(`bzip2 block has ${groups} Huffman groups`);
  const nSelectors = r.bits(15);
  if (nSelectors < 1) throw new PayloadFormatError('bzip2 block has no selectors');
  // Selectors, MTF-coded in unary.
  const order = [0, 1, 2, 3, 4, 5];
  const selectors = new Uint8Array(Math.min(nSelectors, MAX_SELECTORS));
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (r.bit()) if (++j >= groups) throw new PayloadFormatError('bzip2 selector out of range');
    const g = order[j];
    for (let k = j; k > 0; k--) order[k] = order[k - 1];
    order[0] = g;
    if (i < MAX_SELECTORS) selectors[i] = g; // bzip2 1.0.8 reads but ignores selectors past 18002
  }
  const tables: HuffmanTable[] = [];
  const lengths = new Uint8Array(258);
  for (let t = 0; t < groups; t++) {
    let len = r.bits(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (len < 1 || len > MAX_CODE_LEN) throw new PayloadFormatError('bzip2 code length out of range');
        if (!r.bit()) break;
        len += r.bit() ? -1 : 1;
      }
      lengths[s] = len;
    }
    const table = new HuffmanTable();
    table.build(lengths, alphaSize);
    tables.push(table);
  }
  // Symbols: RUNA/RUNB encode runs of the front MTF byte; others move a byte to the front.
  const eob = alphaSize - 1;
  const mtf = new Uint8Array(256);
  for (let i = 0; i < 256; i++) mtf[i] = i;
  const counts = new Int32Array(256);
  let n = 0;
  let group = -1;
  let left = 0;
  let table = tables[0];
  let run = 0;
  let weight = 1;
  for (;;) {
    if (left === 0) {
      if (++group >= selectors.length) throw new PayloadFormatError('bzip2 block runs past its selectors');
      table = tables[selectors[group]];
      left = GROUP_SIZE;
    }
    left--;
    const sym = table.decode(r);
    if (sym <= 1) {
      run += (sym + 1) * weight;
      weight *= 2;
      if (run > blockMax) throw new PayloadFormatError('bzip2 run exceeds the block size');
      continue;
    }
    if (run > 0) {
      if (n + run > blockMax) throw new PayloadFormatError('bzip2 block exceeds its declared size');
      const b = seqToUnseq[mtf[0]];
      counts[b] += run;
      tt.fill(b, n, n + run);
      n += run;
      run = 0;
      weight = 1;
    }
    if (sym === eob) break;
    if (n >= blockMax) throw new PayloadFormatError('bzip2 block exceeds its declared size');
    const idx = sym - 1;
    const v = mtf[idx];
    for (let k = idx; k > 0; k--) mtf[k] = mtf[k - 1];
    mtf[0] = v;
    const b = seqToUnseq[v];
    counts[b]++;
    tt[n++] = b;
  }
  if (origPtr >= n) throw new PayloadFormatError('bzip2 block origin pointer out of range');
  // Build the inverse-BWT links: tt[i] low byte = symbol, high 24 bits = index of the next one.
  const cftab = new Int32Array(256);
  for (let i = 0, sum = 0; i < 256; i++) {
    cftab[i] = sum;
    sum += counts[i];
  }
  for (let i = 0; i < n; i++) {
    const b = tt[i] & 0xff;
    tt[cftab[b]++] |= i << 8;
  }
  tt[n] = origPtr; // n <= blockMax < tt.length
  return n;
}
