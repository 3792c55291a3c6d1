#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  createDecompressor
} from "./chunk-2AKM7XFZ.js";
import {
  PayloadFormatError
} from "./chunk-JAH4FOK6.js";

// src/image/inflate.ts
import * as zlib from "node:zlib";
function bulkDecompressor(compressor, chunkSize = 1 << 20, external = false) {
  const opts = { chunkSize };
  const z = compressor === "zstd" ? zlib.createZstdDecompress(opts) : compressor === "gzip" ? zlib.createGunzip(opts) : void 0;
  if (!z) return createDecompressor(compressor, { external });
  const destroy = z.destroy.bind(z);
  z.destroy = (err) => destroy(err && !(err instanceof PayloadFormatError) ? new PayloadFormatError(`${compressor} decompression failed: ${err.message}`, { cause: err }) : err);
  return z;
}
function inflateWholeInto(compressor, packed, scratch, maxOutputLength) {
  const engine = compressor === "zstd" ? new zlib.ZstdDecompress({ maxOutputLength }) : new zlib.Gunzip({ maxOutputLength });
  const finish = compressor === "zstd" ? zlib.constants.ZSTD_e_end : zlib.constants.Z_FINISH;
  if (typeof engine._processChunk !== "function" || !Buffer.isBuffer(engine._outBuffer) || typeof engine._outOffset !== "number" || typeof engine._chunkSize !== "number") {
    engine.close();
    return compressor === "zstd" ? zlib.zstdDecompressSync(packed, { maxOutputLength }) : zlib.gunzipSync(packed, { maxOutputLength });
  }
  engine._outBuffer = scratch;
  engine._outOffset = 0;
  engine._chunkSize = scratch.length;
  return engine._processChunk(packed, finish);
}

export {
  bulkDecompressor,
  inflateWholeInto
};
