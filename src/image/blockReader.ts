// Buffered positional reads over a file: sequential reads hit a large buffer, a jump outside it (seeking
// over file data in a header-only pass) costs nothing but the next read.

import type { FileHandle } from 'node:fs/promises';
import { TarFormatError } from '../errors.ts';

export class BlockReader {
  private buf: Buffer;
  private bufStart = 0;
  private bufLen = 0;

  private readonly fh: FileHandle;
  readonly size: number;

  constructor(fh: FileHandle, size: number, bufferSize = 4 << 20) {
    this.fh = fh;
    this.size = size;
    this.buf = Buffer.allocUnsafe(bufferSize);
  }

  /** Bytes [pos, pos+len) as a view valid until the next call; fewer only at end of file. */
  async view(pos: number, len: number): Promise<Buffer> {
    if (len > this.buf.length) {
      this.buf = Buffer.allocUnsafe(len);
      this.bufLen = 0;
    }
    if (pos < this.bufStart || pos + len > this.bufStart + this.bufLen) await this.fill(pos);
    const start = pos - this.bufStart;
    return this.buf.subarray(start, Math.min(start + len, this.bufLen));
  }

  /** Exactly len bytes copied out, or TarFormatError naming `what` when the file ends first. */
  async exact(pos: number, len: number, what: string): Promise<Uint8Array> {
    const v = await this.view(pos, len);
    if (v.length < len) throw new TarFormatError(`tar archive is truncated: ${what} at offset ${pos} needs ${len} bytes, ${v.length} left`);
    return Uint8Array.prototype.slice.call(v);
  }

  /** Streams [pos, pos+len) in chunks (views: use or copy before the callback returns). */
  async forEachChunk(pos: number, len: number, what: string, onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    let done = 0;
    while (done < len) {
      const want = Math.min(len - done, this.buf.length);
      const v = await this.view(pos + done, want);
      if (v.length === 0) throw new TarFormatError(`tar archive is truncated: ${what} at offset ${pos} needs ${len} bytes, ${done} left`);
      await onChunk(v);
      done += v.length;
    }
  }

  private async fill(pos: number): Promise<void> {
    this.bufStart = pos;
    this.bufLen = 0;
    while (this.bufLen < this.buf.length && pos + this.bufLen < this.size) {
      const { bytesRead } = await this.fh.read(this.buf, this.bufLen, this.buf.length - this.bufLen, pos + this.bufLen);
      if (bytesRead === 0) break;
      this.bufLen += bytesRead;
    }
  }
}
