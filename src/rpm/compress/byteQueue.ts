// A FIFO of input chunks for the pull-style decoders (xz, lzma, bzip2). The decoders run as synchronous
// generators over this queue: they ask for "at least N bytes" and yield NEED_INPUT until the stream
// driving them has pushed enough (or ended, which makes a short read a truncation error).

import { PayloadFormatError } from '../../errors.ts';

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  private total = 0;
  private isEnded = false;
  /** Bytes taken out so far (for error messages and container bookkeeping). */
  consumed = 0;

  get available(): number {
    return this.total;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Plain Uint8Array views only: mixing Buffer and Uint8Array makes the decoders' hot loops polymorphic.
    if (Object.getPrototypeOf(chunk) !== Uint8Array.prototype) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  end(): void {
    this.isEnded = true;
  }

  readByte(): number {
    if (this.total < 1) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    const c = this.chunks[0];
    const b = c[this.head++];
    this.total--;
    this.consumed++;
    if (this.head === c.length) {
      this.chunks.shift();
      this.head = 0;
    }
    return b;
  }

  /** The next byte without taking it (the caller checked available >= 1). */
  peekByte(): number {
    return this.chunks[0][this.head];
  }

  /** Take n bytes out (a view when they lie in one chunk, a copy otherwise). */
  read(n: number): Uint8Array {
    if (n > this.total) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    const first = this.chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.skipInFirst(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const take = Math.min(n - filled, c.length - this.head);
      out.set(c.subarray(this.head, this.head + take), filled);
      filled += take;
      this.skipInFirst(take);
    }
    return out;
  }

  /** Drop n bytes. */
  skip(n: number): void {
    if (n > this.total) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    while (n > 0) {
      const c = this.chunks[0];
      const take = Math.min(n, c.length - this.head);
      this.skipInFirst(take);
      n -= take;
    }
  }

  /**
   * Make the first `min(n, available)` bytes one contiguous array and return it with the offset where
   * they start; the caller reads from it directly and then calls skip() for what it used.
   */
  contiguous(n: number): { buf: Uint8Array; pos: number; end: number } {
    n = Math.min(n, this.total);
    const first = this.chunks[0];
    if (first === undefined) return { buf: new Uint8Array(0), pos: 0, end: 0 };
    if (first.length - this.head >= n) return { buf: first, pos: this.head, end: first.length };
    // Merge as many whole chunks as needed to cover n bytes into one.
    let size = first.length - this.head;
    let count = 1;
    while (size < n) size += this.chunks[count++].length;
    const merged = new Uint8Array(size);
    merged.set(first.subarray(this.head), 0);
    let at = first.length - this.head;
    for (let i = 1; i < count; i++) {
      merged.set(this.chunks[i], at);
      at += this.chunks[i].length;
    }
    this.chunks.splice(0, count, merged);
    this.head = 0;
    return { buf: merged, pos: 0, end: merged.length };
  }

  private skipInFirst(n: number): void {
    this.head += n;
    this.total -= n;
    this.consumed += n;
    if (this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}

/** Yielded by a decoder generator when it cannot go on until more input is queued. */
export const NEED_INPUT = null;
export type DecoderStep = Uint8Array | typeof NEED_INPUT;
export type DecoderGenerator = Generator<DecoderStep, void, void>;

/** Wait (by yielding NEED_INPUT) until n bytes are queued; a stream that ended first is truncated. */
export function* need(q: ByteQueue, n: number, what: string): Generator<DecoderStep, void, void> {
  while (q.available < n) {
    if (q.ended) throw new PayloadFormatError(`compressed stream truncated in ${what} (at byte ${q.consumed})`);
    yield NEED_INPUT;
  }
}

/** Wait until n bytes are queued or the input ended; returns whether n bytes are there. */
export function* want(q: ByteQueue, n: number): Generator<DecoderStep, boolean, void> {
  while (q.available < n && !q.ended) yield NEED_INPUT;
  return q.available >= n;
}
