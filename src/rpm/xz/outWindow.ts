// LZMA's sliding dictionary, doubling as the output buffer. It starts small and grows up to the
// dictionary size the stream declares, so a hostile header announcing a 1 GiB dictionary costs memory
// only as real output arrives. Its length stays a multiple of 16 so that `pos & posMask` (pb <= 4) keeps
// matching the absolute position after a wrap.

import { PayloadFormatError } from '../../errors.ts';

const INITIAL = 1 << 20;
/** The largest dictionary xz can declare is 1.5 GiB; LZMA alone may claim up to 4 GiB. We cap at xz's. */
export const MAX_DICT = 1536 * 1024 * 1024;

export class OutWindow {
  buf: Uint8Array;
  pos = 0;
  /** Start of the bytes not yet handed out by flush(). */
  private start = 0;
  wrapped = false;
  private readonly maxSize: number;

  constructor(dictSize: number) {
    if (dictSize > MAX_DICT) throw new PayloadFormatError(`LZMA dictionary of ${dictSize} bytes is over the ${MAX_DICT}-byte limit`);
    this.maxSize = (Math.max(dictSize, 4096) + 15) & ~15;
    this.buf = new Uint8Array(Math.min(INITIAL, this.maxSize));
  }

  /** Bytes of history available for matches. */
  get full(): number {
    return this.wrapped ? this.buf.length : this.pos;
  }

  get pendingBytes(): number {
    return this.pos - this.start;
  }

  /** Forget all history (LZMA2 dictionary reset). Call flush() first. */
  reset(): void {
    this.pos = 0;
    this.start = 0;
    this.wrapped = false;
  }

  /**
   * Make room to decode and return the absolute position to decode up to (at most `want` bytes on).
   * Call flush() before when pendingBytes is large: a wrap needs every pending byte handed out.
   */
  prepare(want: number): number {
    if (this.pos === this.buf.length) {
      if (this.buf.length < this.maxSize) {
        const grown = new Uint8Array(Math.min(this.buf.length * 2, this.maxSize));
        grown.set(this.buf);
        this.buf = grown;
      } else {
        if (this.start !== this.pos) throw new Error('OutWindow wrap with unflushed output');
        this.pos = 0;
        this.start = 0;
        this.wrapped = true;
      }
    }
    return Math.min(this.buf.length, this.pos + want);
  }

  /** Hand out (a copy of) everything decoded since the last flush. */
  flush(): Uint8Array {
    const out = this.buf.slice(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  putByte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** The byte `dist + 1` positions back (the caller checked dist < full). */
  getByte(dist: number): number {
    let i = this.pos - dist - 1;
    if (i < 0) i += this.buf.length;
    return this.buf[i];
  }

  /** Copy `len` bytes from `dist + 1` back, stopping at `limit`; returns how many are left to copy. */
  repeat(dist: number, len: number, limit: number): number {
    const buf = this.buf;
    let n = Math.min(len, limit - this.pos);
    const left = len - n;
    let src = this.pos - dist - 1;
    if (src < 0) src += buf.length;
    let pos = this.pos;
    if (src + n <= pos && n > 32) {
      buf.copyWithin(pos, src, src + n);
      pos += n;
    } else {
      while (n-- > 0) {
        buf[pos++] = buf[src++];
        if (src === buf.length) src = 0;
      }
    }
    this.pos = pos;
    return left;
  }

  /** Append raw bytes (LZMA2 uncompressed chunks); the caller keeps within prepare()'s limit. */
  append(data: Uint8Array): void {
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}
