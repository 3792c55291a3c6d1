// LZMA2: a sequence of chunks, each either stored or LZMA-compressed (<= 64 KiB compressed, <= 2 MiB
// uncompressed) with flags to reset the dictionary, the state or the lc/lp/pb properties
// (xz-file-format 5.3.1 and the LZMA2 notes in the xz sources' documentation). A whole compressed chunk
// is queued before decoding it, so decoding never stops mid-symbol for lack of input.

import { PayloadFormatError } from '../../errors.ts';
import { need, type ByteQueue, type DecoderGenerator } from '../compress/byteQueue.ts';
import { LzmaDecoder, parseLzmaPropsByte } from './lzmaDecoder.ts';
import { OutWindow } from './outWindow.ts';

/** Output is handed on in pieces of this size (bounded memory, big enough to amortize per-chunk work). */
export const OUT_CHUNK = 256 * 1024;

/** LZMA2 dictionary size from the one-byte filter property (xz-file-format 5.3.1). */
export function lzma2DictSize(b: number): number {
  if (b > 40) throw new PayloadFormatError(`invalid LZMA2 dictionary size property ${b}`);
  if (b === 40) return 0xffffffff;
  return (2 | (b & 1)) * 2 ** (Math.floor(b / 2) + 11);
}

export function* decodeLzma2(q: ByteQueue, dictSize: number): DecoderGenerator {
  const w = new OutWindow(dictSize);
  const d = new LzmaDecoder(w);
  let needDictReset = true;
  let needProps = true;
  for (;;) {
    yield* need(q, 1, 'LZMA2 chunk header');
    const control = q.readByte();
    if (control === 0x00) break;
    if (control >= 0xe0 || control === 0x01) {
      if (w.pendingBytes > 0) yield w.flush();
      w.reset();
      needProps = true;
      needDictReset = false;
    } else if (needDictReset) {
      throw new PayloadFormatError(`LZMA2 stream does not start with a dictionary reset (control byte 0x${control.toString(16)})`);
    }
    if (control >= 0x80) {
      const hasProps = control >= 0xc0;
      yield* need(q, hasProps ? 5 : 4, 'LZMA2 chunk header');
      const h = q.read(hasProps ? 5 : 4);
      const unpacked = (control & 0x1f) * 65536 + ((h[0] << 8) | h[1]) + 1;
      const packed = ((h[2] << 8) | h[3]) + 1;
      if (hasProps) {
        const props = parseLzmaPropsByte(h[4]);
        if (props.lc + props.lp > 4) throw new PayloadFormatError('LZMA2 properties with lc + lp > 4');
        d.setProps(props);
        needProps = false;
      } else if (needProps) {
        throw new PayloadFormatError('LZMA2 chunk without properties after a dictionary reset');
      }
      if (control >= 0xa0) d.resetState();
      yield* need(q, packed, 'LZMA2 chunk');
      const data = q.read(packed);
      d.initRangeCoder(data, 0, packed);
      let left = unpacked;
      while (left > 0) {
        if (w.pendingBytes >= OUT_CHUNK || (w.pos === w.buf.length && w.pendingBytes > 0)) yield w.flush();
        const limit = w.prepare(Math.min(left, OUT_CHUNK));
        const before = w.pos;
        d.decode(limit, packed);
        if (d.sawEndMarker) throw new PayloadFormatError('LZMA2 chunk contains an end marker');
        left -= w.pos - before;
      }
      if (d.pendingLen > 0 || !d.finishRangeCoder() || d.inPos !== packed) {
        throw new PayloadFormatError('LZMA2 chunk sizes do not match its data');
      }
    } else {
      if (control > 0x02) throw new PayloadFormatError(`invalid LZMA2 control byte 0x${control.toString(16)}`);
      yield* need(q, 2, 'LZMA2 chunk header');
      const h = q.read(2);
      let left = ((h[0] << 8) | h[1]) + 1;
      yield* need(q, left, 'LZMA2 stored chunk');
      while (left > 0) {
        if (w.pos === w.buf.length && w.pendingBytes > 0) yield w.flush();
        const limit = w.prepare(left);
        const n = limit - w.pos;
        w.append(q.read(n));
        left -= n;
      }
    }
  }
  if (w.pendingBytes > 0) yield w.flush();
}
