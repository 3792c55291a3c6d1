#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  ManifestError
} from "./chunk-JAH4FOK6.js";

// src/image/manifest.ts
import { readFile } from "node:fs/promises";
import { join } from "node:path";
var MANIFEST_FORMAT = "yumvault.manifest/1";
var MANIFEST_FILE = "manifest.json";
var RESIDUAL_FILE = "residual.zst";
var HEX64 = /^[0-9a-f]{64}$/;
function fail(dir, why) {
  throw new ManifestError(`${join(dir, MANIFEST_FILE)}: ${why}`);
}
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
async function readManifest(dir) {
  let text;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), "utf8");
  } catch (e) {
    throw new ManifestError(`cannot read ${join(dir, MANIFEST_FILE)}: ${e.message}`);
  }
  let m;
  try {
    m = JSON.parse(text);
  } catch (e) {
    fail(dir, `not JSON (${e.message})`);
  }
  return validateManifest(m, dir);
}
function validateManifest(m, dir = ".") {
  if (!isObject(m)) fail(dir, "not a JSON object");
  if (m.format !== MANIFEST_FORMAT) fail(dir, `format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"`);
  const image = m.image;
  if (!isObject(image) || typeof image.sha256 !== "string" || !HEX64.test(image.sha256) || !Number.isSafeInteger(image.size) || image.size < 0) {
    fail(dir, "image must have a sha256 (64 hex digits) and a size");
  }
  const residual = m.residual;
  if (!isObject(residual) || typeof residual.sha256 !== "string" || !HEX64.test(residual.sha256) || !Number.isSafeInteger(residual.size)) {
    fail(dir, "residual must have a sha256 and a size");
  }
  if (!Array.isArray(m.packages)) fail(dir, "packages must be an array");
  m.packages.forEach((p, i) => {
    if (!isObject(p)) fail(dir, `packages[${i}] is not an object`);
    for (const k of ["name", "version", "release", "arch", "pkgid", "repo"]) {
      if (typeof p[k] !== "string" || k !== "repo" && p[k] === "") fail(dir, `packages[${i}].${k} must be a non-empty string`);
    }
    if (!Number.isSafeInteger(p.epoch) || p.epoch < 0) fail(dir, `packages[${i}].epoch must be a non-negative integer`);
    if (!HEX64.test(p.pkgid)) fail(dir, `packages[${i}].pkgid must be a sha256 (64 hex digits)`);
    if (typeof p.headerSha256 !== "string") fail(dir, `packages[${i}].headerSha256 must be a string`);
  });
  return m;
}
function parseEvr(evr) {
  const m = /^(?:(\d+):)?([^-:\s]+)-([^-:\s]+)$/.exec(evr);
  if (!m) throw new ManifestError(`'${evr}' is not an EVR (expected [EPOCH:]VERSION-RELEASE)`);
  return { epoch: m[1] ? Number(m[1]) : 0, version: m[2], release: m[3] };
}

export {
  MANIFEST_FORMAT,
  MANIFEST_FILE,
  RESIDUAL_FILE,
  readManifest,
  parseEvr
};
