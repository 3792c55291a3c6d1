// The .xz container (xz-file-format-1.1.0, tukaani.org): streams of blocks, each with a header listing
// its filters and optional sizes, LZMA2 data, padding and an integrity check; then an index of every
// block and a footer. Streams may be concatenated, with 4-byte multiples of zero padding between them.
// Everything is verified as we go: header and index CRC32s, block sizes against headers and index, the
// check of every block, so a corrupt payload fails here rather than producing wrong file bytes.

import { crc32 } from 'node:zlib';
import { PayloadFormatError, RpmUnsupportedError } from '../../errors.ts';
import { NEED_INPUT, need, want, type ByteQueue, type DecoderGenerator, type DecoderStep } from '../compress/byteQueue.ts';
import { checkSize, createCheck } from './checks.ts';
import { decodeLzma2, lzma2DictSize } from './lzma2.ts';

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FILTER_LZMA2 = 0x21;

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A variable-length integer (xz-file-format 1.2) from a byte array; returns [value, next position]. */
function readVli(b: Uint8Array, at: number, end: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (at >= end) throw new PayloadFormatError('xz integer runs past its field');
    const byte = b[at++];
    if (i > 0 && byte === 0) throw new PayloadFormatError('xz integer is not minimally encoded');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (value > Number.MAX_SAFE_INTEGER) throw new PayloadFormatError('xz integer too large');
      return [value, at];
    }
  }
  throw new PayloadFormatError('xz integer longer than 9 bytes');
}

interface BlockHeader {
  size: number;
  compressedSize: number | undefined;
  uncompressedSize: number | undefined;
  dictSize: number;
}

function parseBlockHeader(h: Uint8Array): BlockHeader {
  const size = h.length;
  if (crc32(h.subarray(0, size - 4)) >>> 0 !== u32le(h, size - 4)) throw new PayloadFormatError('xz block header CRC32 mismatch');
  const flags = h[1];
  if (flags & 0x3c) throw new RpmUnsupportedError('xz block header uses reserved flags');
  const end = size - 4;
  let at = 2;
  let compressedSize: number | undefined;
  let uncompressedSize: number | undefined;
  if (flags & 0x40) [compressedSize, at] = readVli(h, at, end);
  if (flags & 0x80) [uncompressedSize, at] = readVli(h, at, end);
  if (compressedSize === 0) throw new PayloadFormatError('xz block header declares compressed size 0');
  const filters = (flags & 0x03) + 1;
  let dictSize = -1;
  for (let i = 0; i < filters; i++) {
    let id: number;
    let propsSize: number;
    [id, at] = readVli(h, at, end);
    [propsSize, at] = readVli(h, at, end);
    if (at + propsSize > end) throw new PayloadFormatError('xz filter properties run past the block header');
    if (id !== FILTER_LZMA2 || i !== filters - 1) {
      // rpm payloads use LZMA2 alone; BCJ/delta filters would need their own decoders.
      throw new RpmUnsupportedError(`xz filter 0x${id.toString(16)} is not supported (only LZMA2)`);
    }
    if (propsSize !== 1) throw new PayloadFormatError('LZMA2 filter properties must be one byte');
    dictSize = lzma2DictSize(h[at]);
    at += propsSize;
  }
  for (; at < end; at++) if (h[at] !== 0) throw new PayloadFormatError('xz block header padding is not zero');
  return { size, compressedSize, uncompressedSize, dictSize };
}

/** Read the index that follows the last block (its 0x00 indicator already taken); returns its size. */
function* readIndex(q: ByteQueue, records: number[]): Generator<DecoderStep, number, void> {
  // Gather the index bytes (it is small: two integers per block) to CRC and parse them in one piece.
  const bytes: number[] = [0];
  const vli = function* (): Generator<DecoderStep, number, void> {
    const start = bytes.length;
    for (;;) {
      yield* need(q, 1, 'xz index');
      const b = q.readByte();
      bytes.push(b);
      if ((b & 0x80) === 0 || bytes.length - start >= 9) break;
    }
    const arr = Uint8Array.from(bytes.slice(start));
    return readVli(arr, 0, arr.length)[0];
  };
  const count = yield* vli();
  if (count !== records.length / 2) throw new PayloadFormatError(`xz index lists ${count} blocks, the stream has ${records.length / 2}`);
  for (let i = 0; i < records.length; i++) {
    const v = yield* vli();
    if (v !== records[i]) throw new PayloadFormatError('xz index does not match the blocks');
  }
  const pad = (4 - (bytes.length % 4)) % 4;
  yield* need(q, pad + 4, 'xz index');
  const padding = q.read(pad);
  for (const b of padding) {
    if (b !== 0) throw new PayloadFormatError('xz index padding is not zero');
    bytes.push(0);
  }
  const stored = u32le(q.read(4), 0);
  if (crc32(Uint8Array.from(bytes)) >>> 0 !== stored) throw new PayloadFormatError('xz index CRC32 mismatch');
  return bytes.length + 4;
}

function* decodeBlock(q: ByteQueue, header: BlockHeader, checkId: number): Generator<DecoderStep, [number, number], void> {
  const check = createCheck(checkId);
  const startConsumed = q.consumed;
  let produced = 0;
  const lzma2 = decodeLzma2(q, header.dictSize);
  for (;;) {
    const step = lzma2.next();
    if (step.done) break;
    if (step.value === NEED_INPUT) {
      yield NEED_INPUT;
      continue;
    }
    produced += step.value.length;
    if (header.uncompressedSize !== undefined && produced > header.uncompressedSize) {
      throw new PayloadFormatError('xz block is larger than its header says');
    }
    check?.update(step.value);
    yield step.value;
  }
  const compressed = q.consumed - startConsumed;
  if (header.compressedSize !== undefined && compressed !== header.compressedSize) throw new PayloadFormatError('xz block compressed size mismatch');
  if (header.uncompressedSize !== undefined && produced !== header.uncompressedSize) throw new PayloadFormatError('xz block uncompressed size mismatch');
  const pad = (4 - (compressed % 4)) % 4;
  const size = checkSize(checkId);
  yield* need(q, pad + size, 'xz block padding and check');
  for (const b of q.read(pad)) if (b !== 0) throw new PayloadFormatError('xz block padding is not zero');
  const stored = q.read(size);
  if (check && !equalBytes(check.digest(), stored)) throw new PayloadFormatError('xz block check mismatch (corrupt data)');
  return [header.size + compressed + size, produced];
}

export function* decodeXz(q: ByteQueue): DecoderGenerator {
  for (;;) {
    yield* need(q, 12, 'xz stream header');
    const h = q.read(12);
    for (let i = 0; i < 6; i++) if (h[i] !== MAGIC[i]) throw new PayloadFormatError('not an xz stream (bad magic)');
    if (crc32(h.subarray(6, 8)) >>> 0 !== u32le(h, 8)) throw new PayloadFormatError('xz stream header CRC32 mismatch');
    if (h[6] !== 0 || h[7] & 0xf0) throw new RpmUnsupportedError('xz stream flags use reserved bits');
    const flags = h.slice(6, 8);
    const checkId = h[7] & 0x0f;
    const records: number[] = [];
    for (;;) {
      yield* need(q, 1, 'xz block header');
      const first = q.peekByte();
      if (first === 0) {
        q.readByte();
        break;
      }
      const size = (first + 1) * 4;
      yield* need(q, size, 'xz block header');
      const header = parseBlockHeader(q.read(size).slice());
      const [unpadded, uncompressed] = yield* decodeBlock(q, header, checkId);
      records.push(unpadded, uncompressed);
    }
    const indexSize = yield* readIndex(q, records);
    yield* need(q, 12, 'xz stream footer');
    const f = q.read(12);
    if (crc32(f.subarray(4, 10)) >>> 0 !== u32le(f, 0)) throw new PayloadFormatError('xz stream footer CRC32 mismatch');
    if ((u32le(f, 4) + 1) * 4 !== indexSize) throw new PayloadFormatError('xz footer backward size does not match the index');
    if (f[8] !== flags[0] || f[9] !== flags[1]) throw new PayloadFormatError('xz footer flags differ from the header');
    if (f[10] !== 0x59 || f[11] !== 0x5a) throw new PayloadFormatError('xz stream footer magic missing');
    // Stream padding (zeros in groups of four), then either the end or another stream.
    for (;;) {
      if (!(yield* want(q, 1))) return;
      if (q.peekByte() !== 0) break;
      yield* need(q, 4, 'xz stream padding');
      for (const b of q.read(4)) if (b !== 0) throw new PayloadFormatError('xz stream padding is not zero');
    }
  }
}
