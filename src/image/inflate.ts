// Decompressors with large output chunks for the bulk data restore and image input inflate. gzip and
// zstd come from node:zlib with 1 MiB output chunks: the default 16 KiB made inflating a few hundred MiB
// of payloads three times slower (per-chunk stream and cpio overhead). Others come from src/rpm.

import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { PayloadFormatError } from '../errors.ts';
import { createDecompressor } from '../rpm/decompress.ts';

export function bulkDecompressor(compressor: string): Transform {
  const opts = { chunkSize: 1 << 20 };
  const z = compressor === 'zstd' ? zlib.createZstdDecompress(opts) : compressor === 'gzip' ? zlib.createGunzip(opts) : undefined;
  if (!z) return createDecompressor(compressor);
  const destroy = z.destroy.bind(z);
  z.destroy = (err?: Error) => destroy(err && !(err instanceof PayloadFormatError) ? new PayloadFormatError(`${compressor} decompression failed: ${err.message}`, { cause: err }) : err);
  return z;
}
