// The legacy .lzma ("LZMA alone") format that rpm's lzdio wrote before xz: a 13-byte header (properties
// byte, 32-bit dictionary size, 64-bit uncompressed size or all ones for "unknown, ends with an end
// marker") followed by one raw LZMA stream. Format: LZMA SDK lzma-specification.txt, ".lzma file format".

import { PayloadFormatError } from '../../errors.ts';
import { need, want, type ByteQueue, type DecoderGenerator } from '../compress/byteQueue.ts';
import { LzmaDecoder, parseLzmaPropsByte } from './lzmaDecoder.ts';
import { OUT_CHUNK } from './lzma2.ts';
import { OutWindow } from './outWindow.ts';

/** Input bytes kept beyond the decoding point so one symbol can never run out mid-way. */
const MARGIN = 32;

export function* decodeLzmaAlone(q: ByteQueue): DecoderGenerator {
  yield* need(q, 13, '.lzma header');
  const h = q.read(13);
  const view = new DataView(h.buffer, h.byteOffset, 13);
  const props = parseLzmaPropsByte(h[0]);
  const dictSize = view.getUint32(1, true);
  const sizeLo = view.getUint32(5, true);
  const sizeHi = view.getUint32(9, true);
  const sizeKnown = !(sizeLo === 0xffffffff && sizeHi === 0xffffffff);
  if (sizeKnown && sizeHi >= 0x200000) throw new PayloadFormatError('.lzma header declares an impossible uncompressed size');
  const total = sizeKnown ? sizeHi * 2 ** 32 + sizeLo : Infinity;
  const w = new OutWindow(sizeKnown ? Math.min(dictSize, Math.max(total, 4096)) : dictSize);
  const d = new LzmaDecoder(w);
  d.setProps(props);
  d.resetState();
  yield* need(q, 5, '.lzma range coder start');
  d.initRangeCoder(q.read(5), 0, 5);
  let produced = 0;
  for (;;) {
    if (w.pendingBytes >= OUT_CHUNK || (w.pos === w.buf.length && w.pendingBytes > 0)) {
      const out = w.flush();
      produced += out.length;
      yield out;
    }
    const remaining = total - produced - w.pendingBytes;
    if (remaining <= 0 || d.sawEndMarker) break;
    const plenty = yield* want(q, MARGIN + 1);
    const { buf, pos, end } = q.contiguous(MARGIN + 1);
    // Decode close to the end of the data only when no more input can come.
    const inLimit = !plenty || (q.ended && end - pos === q.available) ? end : end - MARGIN;
    d.setInput(buf, pos, end);
    const limit = w.prepare(Math.min(OUT_CHUNK, remaining));
    d.decode(limit, inLimit);
    q.skip(d.inPos - pos);
  }
  if (w.pendingBytes > 0) yield w.flush();
  if (!sizeKnown && !d.sawEndMarker) throw new PayloadFormatError('.lzma stream ended without its end marker');
}
