// Decompressors for the bulk data of restore and of image input inflate. gzip and zstd come from
// node:zlib with an output chunk size chosen by the caller: the default 16 KiB made inflating a few
// hundred MiB three times slower (per-chunk stream and cpio overhead), while chunks of a MiB or more are
// each a fresh ArrayBuffer that counts toward V8's external-memory GC trigger (measured on 450 MB of zstd
// payloads: 64 KiB chunks 11 mark-compacts, 1 MiB 21, 4 MiB 52, with CPU time following). Others come from
// src/rpm (xz/lzma/bzip2 through the system's program when `external` and it is installed).

import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { PayloadFormatError } from '../errors.ts';
import { createDecompressor } from '../rpm/decompress.ts';

export function bulkDecompressor(compressor: string, chunkSize = 1 << 20, external = false): Transform {
  const opts = { chunkSize };
  const z = compressor === 'zstd' ? zlib.createZstdDecompress(opts) : compressor === 'gzip' ? zlib.createGunzip(opts) : undefined;
  if (!z) return createDecompressor(compressor, { external });
  const destroy = z.destroy.bind(z);
  z.destroy = (err?: Error) => destroy(err && !(err instanceof PayloadFormatError) ? new PayloadFormatError(`${compressor} decompression failed: ${err.message}`, { cause: err }) : err);
  return z;
}

/** What inflating into a caller's buffer relies on in node:zlib's engines (see inflateWholeInto). */
interface ZlibEngineInternals {
  _writeState?: unknown;
  _handle?: { writeSync?: unknown; reset?: unknown } | null;
}

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}

/** An engine kept for the next payload: its handle, the [availOut, availIn] it reports, and its stream. */
interface KeptEngine {
  handle: NativeHandle;
  state: Uint32Array;
  stream: Transform & zlib.Zlib;
}

/** Per thread: one decompression context per format, reset between payloads (see inflateWholeInto). */
const kept = new Map<'zstd' | 'gzip', KeptEngine | null>();

function keptEngine(compressor: 'zstd' | 'gzip'): KeptEngine | undefined {
  const known = kept.get(compressor);
  if (known !== undefined) return known ?? undefined;
  const stream = (compressor === 'zstd' ? new zlib.ZstdDecompress() : new zlib.Gunzip()) as unknown as Transform & zlib.Zlib & ZlibEngineInternals;
  const handle = stream._handle;
  const state = stream._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
    stream.close();
    kept.set(compressor, null); // this Node's engines look otherwise: one-shot engines from now on
    return undefined;
  }
  // A failing payload destroys the stream with its error, which it also emits: heard here, thrown by the caller.
  stream.on('error', () => {});
  const engine = { handle: handle as NativeHandle, state, stream };
  // These are node:zlib's internals: a Node whose handle behaves otherwise must not get to write images
  // (a wrong byte would only show as a failed verification). One small known stream, checked.
  const probe = Buffer.from('yumvault probe '.repeat(300));
  const packed = compressor === 'zstd' ? zlib.zstdCompressSync(probe) : zlib.gzipSync(probe);
  let works = false;
  try {
    works = inflateKept(engine, compressor, packed, Buffer.alloc(probe.length + 1024), 1 << 20)?.equals(probe) === true;
  } catch {
    works = false;
  }
  if (!works) {
    stream.close();
    kept.set(compressor, null);
    return undefined;
  }
  kept.set(compressor, engine);
  return engine;
}

/** The kept engine's inflate into `scratch`; undefined when the output does not fit (see inflateWholeInto). */
function inflateKept(engine: KeptEngine, compressor: 'zstd' | 'gzip', packed: Uint8Array, scratch: Buffer, maxOutputLength: number): Buffer | undefined {
  const finish = compressor === 'zstd' ? zlib.constants.ZSTD_e_end : zlib.constants.Z_FINISH;
  // One byte over the limit is enough to know the limit is passed; the fresh engine then says so.
  const room = Math.min(scratch.length, maxOutputLength + 1);
  let failed: Error | null | undefined;
  try {
    engine.handle.reset();
    engine.handle.writeSync(finish, packed, 0, packed.length, scratch, 0, room);
  } catch (e) {
    failed = e as Error;
  }
  failed ??= engine.stream.errored;
  if (failed || engine.stream.destroyed) {
    kept.delete(compressor); // a failed context is not reused
    throw failed ?? new Error(`${compressor} decompression failed`);
  }
  const availOut = engine.state[0]!;
  // Output filled all the room (larger than the header said, or over the limit).
  if (availOut === 0) return undefined;
  return scratch.subarray(0, room - availOut);
}

/** node:zlib's public one-shot inflate: fresh memory, the limit enforced by Node itself. */
function inflateOnce(compressor: 'zstd' | 'gzip', packed: Uint8Array, maxOutputLength: number): Buffer {
  return compressor === 'zstd' ? zlib.zstdDecompressSync(packed, { maxOutputLength }) : zlib.gunzipSync(packed, { maxOutputLength });
}

/**
 * A gzip or zstd stream inflated in one synchronous call into `scratch` when it fits (the answer is then a
 * view of it, valid until the scratch is used again), else into fresh memory. Same errors and limits as
 * zstdDecompressSync / gunzipSync, which are node:zlib's engine loop around its native handle's writeSync;
 * this is that loop, with two differences that matter when a worker inflates hundreds of payloads in a
 * row: the output goes to the caller's reused buffer, and the decompression context is kept and reset
 * between payloads instead of made and freed for each (a fresh zstd context allocates its window, 2 MiB
 * and more, and its tables, and frees them again: once per payload, hundreds of times per restore). When
 * this Node's engines do not look as expected, or the output does not fit the scratch, node:zlib's public
 * one-shot function runs instead (fresh memory).
 */
export function inflateWholeInto(compressor: 'zstd' | 'gzip', packed: Uint8Array, scratch: Buffer, maxOutputLength: number): Buffer {
  const engine = keptEngine(compressor);
  const out = engine ? inflateKept(engine, compressor, packed, scratch, maxOutputLength) : undefined;
  return out ?? inflateOnce(compressor, packed, maxOutputLength);
}

/** Whether this Node's engines pass the probe, so contexts are kept (tests check it: a Node upgrade that loses it shows). */
export function keepsInflateContexts(compressor: 'zstd' | 'gzip'): boolean {
  return keptEngine(compressor) !== undefined;
}
