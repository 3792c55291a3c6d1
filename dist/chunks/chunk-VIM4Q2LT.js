#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  humanBytes
} from "./chunk-Q25QUAV2.js";

// src/util/progress.ts
var silentProgress = { start() {
}, update() {
}, note() {
}, done() {
} };
function human(n, unit) {
  return unit === "items" ? String(n) : humanBytes(n);
}
function terminalProgress(stream = process.stderr) {
  if (!stream.isTTY) return silentProgress;
  let label = "";
  let total = 0;
  let unit = "items";
  let last = 0;
  let current = 0;
  let active = false;
  const draw = (force) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    let line;
    if (total > 0) {
      const frac = Math.min(1, current / total);
      const filled = Math.round(frac * width);
      line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${human(current, unit)}/${human(total, unit)}`;
    } else {
      line = `${label} ${human(current, unit)}`;
    }
    stream.write(`\r\x1B[2K${line}`);
    active = true;
  };
  const clear = () => {
    if (active) stream.write("\r\x1B[2K");
    active = false;
  };
  return {
    start(l, t, u = "items") {
      clear();
      label = l;
      total = t;
      unit = u;
      current = 0;
      draw(true);
    },
    update(d) {
      current = d;
      draw(false);
    },
    note(message) {
      clear();
      stream.write(`${message}
`);
      if (label) draw(true);
    },
    done() {
      clear();
      label = "";
    }
  };
}

export {
  silentProgress,
  terminalProgress
};
