#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/util/hashingTap.ts
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
function hashingTap() {
  const h = createHash("sha256");
  let n = 0;
  const t = new Transform({
    transform(chunk, _e, cb) {
      h.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    }
  });
  let digest;
  t.sha256 = () => digest ??= h.digest("hex");
  t.size = () => n;
  return t;
}

export {
  hashingTap
};
