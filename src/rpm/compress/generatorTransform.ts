// Runs a pull-style decoder generator as a node Transform with real backpressure: the generator is only
// resumed while the readable side wants data, so a payload that expands 1000:1 (a sparse 4 GiB file of
// zeros) never piles up in memory. Node's Transform alone cannot do that: everything pushed from one
// _transform call is buffered regardless of the consumer.

import { Transform, type TransformCallback } from 'node:stream';
import { PayloadFormatError, isYumvaultError } from '../../errors.ts';
import { ByteQueue, NEED_INPUT, type DecoderGenerator } from './byteQueue.ts';

export class GeneratorTransform extends Transform {
  private readonly queue = new ByteQueue();
  private readonly gen: DecoderGenerator;
  private pendingCallback: TransformCallback | null = null;
  private waitingForReader = false;
  private pumping = false;
  private done = false;
  private failed = false;

  private readonly format: string;

  constructor(decoder: (input: ByteQueue) => DecoderGenerator, format: string) {
    super({ readableHighWaterMark: 1 << 20 });
    this.format = format;
    this.gen = decoder(this.queue);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.done || this.failed) {
      callback(); // input after the end of the compressed stream is ignored, like rpm's readers do
      return;
    }
    this.queue.push(chunk);
    this.pendingCallback = callback;
    this.pump();
  }

  override _flush(callback: TransformCallback): void {
    this.queue.end();
    if (this.done || this.failed) {
      callback();
      return;
    }
    this.pendingCallback = callback;
    this.pump();
  }

  override _read(size: number): void {
    if (this.waitingForReader) {
      this.waitingForReader = false;
      this.pump();
    }
    super._read(size);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    let outcome: 'release' | 'wait' | Error;
    try {
      outcome = this.run();
    } finally {
      this.pumping = false;
    }
    // Callbacks run only after pumping is over: they can re-enter (_flush from the transform callback).
    if (outcome === 'release') this.release();
    else if (outcome instanceof Error) this.fail(outcome);
  }

  /** Resume the decoder until it needs input or ends ('release'), the reader is full ('wait'), or it fails. */
  private run(): 'release' | 'wait' | Error {
    for (;;) {
      let step: IteratorResult<Uint8Array | null, void>;
      try {
        step = this.gen.next();
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
      if (step.done) {
        this.done = true;
        return 'release';
      }
      if (step.value === NEED_INPUT) {
        if (this.queue.ended) return new PayloadFormatError(`${this.format} stream truncated`);
        return 'release';
      }
      if (step.value.length > 0 && !this.push(step.value)) {
        this.waitingForReader = true;
        return 'wait';
      }
    }
  }

  private release(): void {
    const cb = this.pendingCallback;
    this.pendingCallback = null;
    cb?.();
  }

  private fail(e: unknown): void {
    this.failed = true;
    const err = isYumvaultError(e) ? e : new PayloadFormatError(`${this.format} decoding failed: ${(e as Error).message}`, { cause: e });
    const cb = this.pendingCallback;
    this.pendingCallback = null;
    if (cb) cb(err);
    else this.destroy(err);
  }
}
