#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  createDecompressor
} from "./chunk-LEQKWHWL.js";
import {
  PayloadFormatError
} from "./chunk-XUHX776R.js";

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

export {
  bulkDecompressor
};
