// Payload (de)compression by rpm's compressor names. gzip and zstd come from node:zlib (native, in Node).
// xz, lzma and bzip2 use our own pure-TypeScript decoders (src/rpm/xz, src/rpm/bzip2): streaming with
// real backpressure, concatenated streams, every check verified, typed errors on corrupt input.
//
// Why no npm decoder: the wasm xz package (xz-decompress, xz-embedded) has no .lzma support and a
// WHATWG-stream API; unbzip2-stream buffers and reports corruption with untyped throws; lzma-native and
// @napi-rs/lzma are native addons the action bundle cannot carry. Measured speeds are in bench/payload.ts.

import { Transform, PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import { PayloadFormatError, RpmUnsupportedError } from '../errors.ts';
import { GeneratorTransform } from './compress/generatorTransform.ts';
import { externalDecompressor } from './compress/external.ts';
import { decodeXz } from './xz/xz.ts';
import { decodeLzmaAlone } from './xz/lzmaAlone.ts';
import { decodeBzip2 } from './bzip2/bzip2.ts';

/** zlib's default 16 KiB output pieces cost more in per-chunk stream overhead than in copying. */
const ZLIB_CHUNK = 256 * 1024;

export type CompressionKind = 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'lzma' | 'none';

export interface DecompressorOptions {
  /**
   * Decode xz, lzma and bzip2 with the system's `xz`/`bzip2` program when it is on PATH (liblzma speed, on
   * another core; see compress/external.ts for the measurements). Falls back to the built-in decoder.
   * Default false: the action and tests use the portable decoder.
   */
  external?: boolean;
}

/**
 * A Transform that decompresses a payload compressed with `compressor` as rpm names it in
 * PAYLOADCOMPRESSOR ('gzip', 'zstd', 'xz', 'lzma', 'bzip2'; 'identity', 'none' or '' for none).
 * Corrupt input makes the stream fail with PayloadFormatError.
 */
export function createDecompressor(compressor: string, opts: DecompressorOptions = {}): Transform {
  if (opts.external && (compressor === 'xz' || compressor === 'lzma' || compressor === 'bzip2')) {
    const external = externalDecompressor(compressor);
    if (external) return external;
  }
  switch (compressor) {
    case 'gzip':
      return wrapZlibErrors(zlib.createGunzip({ chunkSize: ZLIB_CHUNK }), 'gzip');
    case 'zstd':
      return wrapZlibErrors(zlib.createZstdDecompress({ chunkSize: ZLIB_CHUNK }), 'zstd');
    case 'xz':
      return new GeneratorTransform(decodeXz, 'xz');
    case 'lzma':
      return new GeneratorTransform(decodeLzmaAlone, 'lzma');
    case 'bzip2':
      return new GeneratorTransform(decodeBzip2, 'bzip2');
    case '':
    case 'none':
    case 'identity':
    case 'ufdio':
      return new PassThrough();
    default:
      throw new RpmUnsupportedError(`payload compressor '${compressor}' is not supported (gzip, zstd, xz, lzma, bzip2)`);
  }
}

/** zlib reports corruption as plain Errors with Z_* codes; turn those into our typed error. */
function wrapZlibErrors(t: Transform, format: string): Transform {
  const originalDestroy = t.destroy.bind(t);
  t.destroy = (err?: Error) => {
    if (err && !(err instanceof PayloadFormatError)) {
      err = new PayloadFormatError(`${format} decompression failed: ${err.message}`, { cause: err });
    }
    return originalDestroy(err);
  };
  return t;
}

/**
 * The compression of a stream from its first bytes (6 are enough). .lzma has no magic: its first byte is
 * the lc/lp/pb properties (0x5d for every preset) followed by a little-endian dictionary size, which is
 * what we test, as file(1) does.
 */
export function detectCompression(first: Uint8Array): CompressionKind {
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) return 'gzip';
  if (first.length >= 4 && first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd) return 'zstd';
  if (first.length >= 6 && first[0] === 0xfd && first[1] === 0x37 && first[2] === 0x7a && first[3] === 0x58 && first[4] === 0x5a && first[5] === 0x00) return 'xz';
  if (first.length >= 4 && first[0] === 0x42 && first[1] === 0x5a && first[2] === 0x68 && first[3] >= 0x31 && first[3] <= 0x39) return 'bzip2';
  if (first.length >= 5 && first[0] === 0x5d && first[1] === 0x00) {
    // Dictionary size (bytes 1-4, little-endian): 4 KiB to 1.5 GiB, as every LZMA encoder writes it.
    const dict = first[1] + first[2] * 0x100 + first[3] * 0x10000 + first[4] * 0x1000000;
    if (dict >= 4096 && dict <= 1536 * 1024 * 1024) return 'lzma';
  }
  return 'none';
}

/** A compressor for what we write ourselves (residuals, repodata): gzip or zstd from node:zlib. */
export function createCompressor(kind: 'gzip' | 'zstd', level?: number): Transform {
  if (kind === 'gzip') return zlib.createGzip(level === undefined ? {} : { level });
  if (kind === 'zstd') {
    const params: Record<number, number> = {};
    if (level !== undefined) params[zlib.constants.ZSTD_c_compressionLevel] = level;
    return zlib.createZstdCompress({ params });
  }
  throw new RpmUnsupportedError(`cannot compress with '${String(kind)}' (gzip or zstd)`);
}
