#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  prepareImage
} from "./chunk-CAUWZJYD.js";
import {
  readManifest
} from "./chunk-BCCF2PO6.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";

// src/image/verify.ts
async function verifyImage(dir, image, opts = {}) {
  const manifest = await readManifest(dir);
  const prepared = await prepareImage(image, opts);
  try {
    const { digest, size } = await hashFile(prepared.tarPath);
    if (digest === manifest.image.sha256 && size === manifest.image.size) return { ok: true, sha256: digest, size };
    return { ok: false, reason: `${image} has sha256 ${digest} (${size} bytes); the manifest in ${dir} says ${manifest.image.sha256} (${manifest.image.size} bytes)`, sha256: digest, size };
  } finally {
    await prepared.cleanup();
  }
}

export {
  verifyImage
};
