#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/util/hashFile.ts
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
var buffers = [];
async function hashFile(path, algo = "sha256") {
  const h = createHash(algo);
  let size = 0;
  const buf = buffers.pop() ?? Buffer.allocUnsafeSlow(1 << 20);
  try {
    const fh = await open(path, "r");
    try {
      for (; ; ) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        h.update(buf.subarray(0, bytesRead));
        size += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } finally {
    if (buffers.length < 8) buffers.push(buf);
  }
  return { digest: h.digest("hex"), size };
}

export {
  hashFile
};
