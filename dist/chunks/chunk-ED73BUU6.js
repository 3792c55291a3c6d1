#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/rpm/nevra.ts
function formatNevra(n) {
  return `${n.name}-${n.epoch ? `${n.epoch}:` : ""}${n.version}-${n.release}.${n.arch}`;
}
function nevraKey(n) {
  return `${n.name}-${n.epoch}:${n.version}-${n.release}.${n.arch}`;
}

export {
  formatNevra,
  nevraKey
};
