// MSB-first bit reader over one contiguous view of the input queue (bzip2 blocks are not byte aligned, so
// unread bits carry over from one view to the next).

import { PayloadFormatError } from '../../errors.ts';

export class BitReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Where the current view started (bytes before it were already taken from the queue). */
  viewStart = 0;
  end = 0;
  /** The view holds all remaining input: running out means truncation rather than corruption. */
  final = false;
  private bitBuf = 0;
  bitCount = 0;

  setView(buf: Uint8Array, pos: number, end: number, final: boolean): void {
    this.buf = buf;
    this.pos = pos;
    this.viewStart = pos;
    this.end = end;
    this.final = final;
  }

  /** Unread whole bytes (held in the bit buffer plus the view). */
  get bytesLeft(): number {
    return (this.bitCount >>> 3) + (this.end - this.pos);
  }

  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? 'bzip2 stream truncated' : 'bzip2 block is larger than the format allows');
      }
      this.bitBuf = (this.bitBuf << 8) | this.buf[this.pos++];
      this.bitCount += 8;
    }
    this.bitCount -= n;
    return (this.bitBuf >>> this.bitCount) & ((1 << n) - 1);
  }

  bit(): number {
    if (this.bitCount === 0) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? 'bzip2 stream truncated' : 'bzip2 block is larger than the format allows');
      }
      this.bitBuf = this.buf[this.pos++];
      this.bitCount = 8;
    }
    this.bitCount--;
    return (this.bitBuf >>> this.bitCount) & 1;
  }

  /** The next n bits (n <= 24) without taking them. */
  peek(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? 'bzip2 stream truncated' : 'bzip2 block is larger than the format allows');
      }
      this.bitBuf = (this.bitBuf << 8) | this.buf[this.pos++];
      this.bitCount += 8;
    }
    return (this.bitBuf >>> (this.bitCount - n)) & ((1 << n) - 1);
  }

  /** Take n bits already looked at with peek(). */
  consume(n: number): void {
    this.bitCount -= n;
  }

  /** Drop the bits left in a partly read byte (streams end on a byte boundary). */
  alignToByte(): void {
    this.bitCount -= this.bitCount & 7;
  }
}
