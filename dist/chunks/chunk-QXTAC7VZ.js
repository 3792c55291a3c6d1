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
var kept = /* @__PURE__ */ new Map();
function keptEngine(compressor) {
  const known = kept.get(compressor);
  if (known !== void 0) return known ?? void 0;
  const stream = compressor === "zstd" ? new zlib.ZstdDecompress() : new zlib.Gunzip();
  const handle = stream._handle;
  const state = stream._writeState;
  if (!handle || typeof handle.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array) || state.length < 2) {
    stream.close();
    kept.set(compressor, null);
    return void 0;
  }
  stream.on("error", () => {
  });
  const engine = { handle, state, stream };
  const probe = Buffer.from("yumvault probe ".repeat(300));
  const packed = compressor === "zstd" ? zlib.zstdCompressSync(probe) : zlib.gzipSync(probe);
  let works = false;
  try {
    works = inflateKept(engine, compressor, packed, Buffer.alloc(probe.length + 1024), 1 << 20)?.equals(probe) === true;
  } catch {
    works = false;
  }
  if (!works) {
    stream.close();
    kept.set(compressor, null);
    return void 0;
  }
  kept.set(compressor, engine);
  return engine;
}
function inflateKept(engine, compressor, packed, scratch, maxOutputLength) {
  const finish = compressor === "zstd" ? zlib.constants.ZSTD_e_end : zlib.constants.Z_FINISH;
  const room = Math.min(scratch.length, maxOutputLength + 1);
  let failed;
  try {
    engine.handle.reset();
    engine.handle.writeSync(finish, packed, 0, packed.length, scratch, 0, room);
  } catch (e) {
    failed = e;
  }
  failed ??= engine.stream.errored;
  if (failed || engine.stream.destroyed) {
    kept.delete(compressor);
    throw failed ?? new Error(`${compressor} decompression failed`);
  }
  const availOut = engine.state[0];
  if (availOut === 0) return void 0;
  return scratch.subarray(0, room - availOut);
}
function inflateOnce(compressor, packed, maxOutputLength) {
  return compressor === "zstd" ? zlib.zstdDecompressSync(packed, { maxOutputLength }) : zlib.gunzipSync(packed, { maxOutputLength });
}
function inflateWholeInto(compressor, packed, scratch, maxOutputLength) {
  const engine = keptEngine(compressor);
  const out = engine ? inflateKept(engine, compressor, packed, scratch, maxOutputLength) : void 0;
  return out ?? inflateOnce(compressor, packed, maxOutputLength);
}

export {
  bulkDecompressor,
  inflateWholeInto
};
