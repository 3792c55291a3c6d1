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
