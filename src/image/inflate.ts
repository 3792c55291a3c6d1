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

/** What one-shot inflating into a caller's buffer relies on in node:zlib's engines (see inflateWholeInto). */
interface ZlibEngineInternals {
  _processChunk?: (chunk: Uint8Array, flushFlag: number) => Buffer;
  _outBuffer?: unknown;
  _outOffset?: unknown;
  _chunkSize?: unknown;
}

/**
 * A gzip or zstd stream inflated in one synchronous call into `scratch` when it fits (the answer is then a
 * view of it, valid until the scratch is used again), else into fresh memory. zstdDecompressSync /
 * gunzipSync are this very call (`_processChunk` without a callback, node:zlib's backwards-compatible
 * path) on an engine whose output buffer they allocate; handing it a reused one instead spares the page
 * faults of fresh memory for every payload. Same errors, same limits. When this Node's engines do not look
 * as expected, the public one-shot functions run instead.
 */
export function inflateWholeInto(compressor: 'zstd' | 'gzip', packed: Uint8Array, scratch: Buffer, maxOutputLength: number): Buffer {
  const engine = (compressor === 'zstd' ? new zlib.ZstdDecompress({ maxOutputLength }) : new zlib.Gunzip({ maxOutputLength })) as unknown as ZlibEngineInternals;
  const finish = compressor === 'zstd' ? zlib.constants.ZSTD_e_end : zlib.constants.Z_FINISH;
  if (typeof engine._processChunk !== 'function' || !Buffer.isBuffer(engine._outBuffer) || typeof engine._outOffset !== 'number' || typeof engine._chunkSize !== 'number') {
    (engine as unknown as zlib.Zlib).close();
    return compressor === 'zstd' ? zlib.zstdDecompressSync(packed, { maxOutputLength }) : zlib.gunzipSync(packed, { maxOutputLength });
  }
  engine._outBuffer = scratch;
  engine._outOffset = 0;
  engine._chunkSize = scratch.length;
  return engine._processChunk(packed, finish);
}
