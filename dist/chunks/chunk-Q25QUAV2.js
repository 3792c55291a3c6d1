#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/util/interrupt.ts
import { rmSync } from "node:fs";
var inFlight = /* @__PURE__ */ new Set();
function removeIfInterrupted(path) {
  inFlight.add(path);
  return () => void inFlight.delete(path);
}
var installed = false;
function cleanupOnSignals(write = (t) => void process.stderr.write(t)) {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143]
  ]) {
    process.once(signal, () => {
      for (const path of inFlight) {
        try {
          rmSync(path, { recursive: true, force: true });
        } catch {
        }
      }
      write(`
yumvault: interrupted (${signal})${inFlight.size > 0 ? "; its temporary files are removed" : ""}
`);
      process.exit(code);
    });
  }
}

// src/util/format.ts
function humanBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export {
  removeIfInterrupted,
  cleanupOnSignals,
  humanBytes
};
