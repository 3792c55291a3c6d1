// Writes the residual body (format: residualFormat.ts) into a stream (the zstd compressor), batching small
// records and honouring backpressure.

import type { Writable } from 'node:stream';
import { MAX_RAW, Op, RESIDUAL_MAGIC, encodeUvarint } from './residualFormat.ts';

export function isAllZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export class ResidualWriter {
  private parts: Uint8Array[] = [];
  private pending = 0;
  private readonly out: Writable;
  /** Bytes of the image kept inline (RAW + HDR), elided as zeros, and referenced. */
  inlineBytes = 0;
  zeroBytes = 0;
  refBytes = 0;
  refCount = 0;

  constructor(out: Writable) {
    this.out = out;
    this.push(RESIDUAL_MAGIC);
  }

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.pending += b.length;
  }

  private async maybeFlush(): Promise<void> {
    if (this.pending >= 256 << 10) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    const chunk = Buffer.concat(this.parts);
    this.parts = [];
    this.pending = 0;
    if (!this.out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          this.out.off('drain', onDrain);
          reject(e);
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }

  async header(bytes: Uint8Array): Promise<void> {
    this.push(Uint8Array.of(Op.HDR));
    this.push(encodeUvarint(bytes.length));
    this.push(Uint8Array.prototype.slice.call(bytes));
    this.inlineBytes += bytes.length;
    await this.maybeFlush();
  }

  /** Archive bytes kept verbatim; `chunk` may be a view reused by the caller (it is copied). */
  async raw(chunk: Uint8Array): Promise<void> {
    for (let off = 0; off < chunk.length; off += MAX_RAW) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + MAX_RAW));
      this.push(Uint8Array.of(Op.RAW));
      this.push(encodeUvarint(part.length));
      this.push(Uint8Array.prototype.slice.call(part));
      this.inlineBytes += part.length;
      await this.maybeFlush();
    }
  }

  async zero(size: number): Promise<void> {
    if (size === 0) return;
    this.push(Uint8Array.of(Op.ZERO));
    this.push(encodeUvarint(size));
    this.zeroBytes += size;
    await this.maybeFlush();
  }

  /** Bytes that are zeros become ZERO, anything else RAW (padding is nearly always zeros). */
  async rawOrZero(chunk: Uint8Array): Promise<void> {
    if (isAllZero(chunk)) await this.zero(chunk.length);
    else await this.raw(chunk);
  }

  async ref(pkg: number, size: number, digestHex: string, path: string): Promise<void> {
    const digest = Buffer.from(digestHex, 'hex');
    const p = Buffer.from(path, 'utf8');
    this.push(Uint8Array.of(Op.REF));
    this.push(encodeUvarint(pkg));
    this.push(encodeUvarint(size));
    this.push(encodeUvarint(digest.length));
    this.push(digest);
    this.push(encodeUvarint(p.length));
    this.push(p);
    this.refBytes += size;
    this.refCount++;
    await this.maybeFlush();
  }

  async end(size: number, sha256Hex: string): Promise<void> {
    this.push(Uint8Array.of(Op.END));
    this.push(encodeUvarint(size));
    this.push(Buffer.from(sha256Hex, 'hex'));
    await this.flush();
  }
}
