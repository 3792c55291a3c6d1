#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/image/residualFormat.ts
var RESIDUAL_MAGIC = Uint8Array.of(89, 86, 82, 69, 83, 73, 68, 1);
var Op = { RAW: 1, ZERO: 2, REF: 3, HDR: 4, END: 127 };
var MAX_RAW = 1 << 20;
var MAX_HDR = (1 << 20) * 4;
function encodeUvarint(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint out of range: ${n}`);
  const out = [];
  let v = n;
  while (v >= 128) {
    out.push(v % 128 | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

export {
  RESIDUAL_MAGIC,
  Op,
  MAX_RAW,
  MAX_HDR,
  encodeUvarint
};
