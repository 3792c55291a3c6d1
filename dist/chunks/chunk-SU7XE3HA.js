#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  MAX_HDR,
  MAX_RAW,
  Op,
  RESIDUAL_MAGIC
} from "./chunk-P2KEY67M.js";
import {
  ResidualFormatError
} from "./chunk-JAH4FOK6.js";

// src/image/residualReader.ts
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import * as zlib from "node:zlib";
var NeedMore = class extends Error {
  /** Bytes the record needs from its start, when known (0: unknown, ask for more). */
  need;
  constructor(need = 0) {
    super("need more");
    this.need = need;
  }
};
var Cursor = class {
  pos = 0;
  buf;
  constructor(buf) {
    this.buf = buf;
  }
  byte() {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++];
  }
  uvarint(what) {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      v += (b & 127) * mul;
      if ((b & 128) === 0) {
        if (!Number.isSafeInteger(v)) break;
        return v;
      }
      mul *= 128;
    }
    throw new ResidualFormatError(`residual is corrupt: ${what} is not a valid number`);
  }
  start = 0;
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new NeedMore(this.pos + n - this.start);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
};
function parseRecord(c) {
  c.start = c.pos;
  const op = c.byte();
  switch (op) {
    case Op.RAW:
    case Op.HDR: {
      const len = c.uvarint("a record length");
      if (len > (op === Op.RAW ? MAX_RAW : MAX_HDR)) throw new ResidualFormatError(`residual is corrupt: a record claims ${len} bytes`);
      const b = c.bytes(len);
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
      return op === Op.RAW ? { op: "raw", bytes } : { op: "hdr", bytes };
    }
    case Op.ZERO:
      return { op: "zero", size: c.uvarint("a zero run") };
    case Op.REF: {
      const pkg = c.uvarint("a package index");
      const size = c.uvarint("a file size");
      const dlen = c.uvarint("a digest length");
      if (dlen === 0 || dlen > 64) throw new ResidualFormatError(`residual is corrupt: digest of ${dlen} bytes`);
      const digest = c.bytes(dlen).toString("hex");
      const plen = c.uvarint("a path length");
      if (plen > 65536) throw new ResidualFormatError(`residual is corrupt: path of ${plen} bytes`);
      const path = c.bytes(plen).toString("utf8");
      return { op: "ref", pkg, size, digest, path };
    }
    case Op.END: {
      const size = c.uvarint("the image size");
      const sha256 = c.bytes(32).toString("hex");
      return { op: "end", size, sha256 };
    }
    default:
      throw new ResidualFormatError(`residual is corrupt: unknown record type 0x${op.toString(16)} (not a yumvault residual v1?)`);
  }
}
async function* readResidual(path) {
  for await (const batch of readResidualBatches(path)) yield* batch;
}
async function* readResidualBatches(path) {
  const source = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(zlib.createZstdDecompress({ chunkSize: 1 << 20 }));
  let chunks = [];
  let total = 0;
  let want = RESIDUAL_MAGIC.length;
  let sawMagic = false;
  let ended = false;
  try {
    for await (const chunk of source) {
      chunks.push(chunk);
      total += chunk.length;
      if (total < want) continue;
      let pending = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (!sawMagic) {
        if (!pending.subarray(0, RESIDUAL_MAGIC.length).equals(RESIDUAL_MAGIC)) {
          throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
        }
        pending = pending.subarray(RESIDUAL_MAGIC.length);
        sawMagic = true;
      }
      const c = new Cursor(pending);
      want = 1;
      const batch = [];
      for (; ; ) {
        if (c.pos === pending.length) break;
        if (ended) throw new ResidualFormatError(`residual is corrupt: data after its end record`);
        const start = c.pos;
        let rec;
        try {
          rec = parseRecord(c);
        } catch (e) {
          if (e instanceof NeedMore) {
            want = Math.max(e.need > 0 ? e.need : pending.length - start + 1, 1);
            c.pos = start;
            break;
          }
          throw e;
        }
        if (rec.op === "end") ended = true;
        batch.push(rec);
      }
      if (batch.length > 0) yield batch;
      const rest = pending.subarray(c.pos);
      chunks = rest.length > 0 ? [rest] : [];
      total = rest.length;
    }
  } catch (e) {
    if (e instanceof ResidualFormatError) throw e;
    throw new ResidualFormatError(`${path} cannot be read: ${e.message}`);
  } finally {
    source.destroy();
  }
  if (!sawMagic) throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
  if (!ended || total > 0) throw new ResidualFormatError(`${path} is truncated (no end record)`);
}
async function hashFile(path, algo = "sha256") {
  const h = createHash(algo);
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(chunk);
    size += chunk.length;
  }
  return { digest: h.digest("hex"), size };
}

export {
  readResidual,
  readResidualBatches,
  hashFile
};
