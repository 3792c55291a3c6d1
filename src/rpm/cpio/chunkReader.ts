// Pull-style reading over a Readable's chunks: exact small reads for headers, zero-copy views for bodies.

import type { Readable } from 'node:stream';
import { PayloadFormatError } from '../../errors.ts';

export class ChunkReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private eof = false;
  /** Bytes consumed so far (cpio pads to 4-byte multiples of this offset). */
  offset = 0;

  constructor(source: Readable | AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Make sure at least one unread byte is buffered; false at end of input. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.buf.length) {
      if (this.eof) return false;
      const next = await this.it.next();
      if (next.done) {
        this.eof = true;
        return false;
      }
      this.buf = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** True when nothing is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Exactly n bytes (a view when they lie in one chunk). */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    if (!(await this.fill())) throw new PayloadFormatError(`cpio archive truncated: ${what} expected at offset ${this.offset}`);
    if (this.buf.length - this.pos >= n) {
      const out = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.offset += n;
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (!(await this.fill())) throw new PayloadFormatError(`cpio archive truncated in ${what} at offset ${this.offset}`);
      const take = Math.min(n - filled, this.buf.length - this.pos);
      out.set(this.buf.subarray(this.pos, this.pos + take), filled);
      filled += take;
      this.pos += take;
      this.offset += take;
    }
    return out;
  }

  /** The next piece of at most n bytes (a view, never empty); throws at end of input. */
  async readUpTo(n: number, what: string): Promise<Uint8Array> {
    if (!(await this.fill())) throw new PayloadFormatError(`cpio archive truncated in ${what} at offset ${this.offset}`);
    const take = Math.min(n, this.buf.length - this.pos);
    const out = this.buf.subarray(this.pos, this.pos + take);
    this.pos += take;
    this.offset += take;
    return out;
  }

  async skip(n: number, what: string): Promise<void> {
    while (n > 0) n -= (await this.readUpTo(n, what)).length;
  }

  /** Stop reading the source (ends the underlying stream). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}
