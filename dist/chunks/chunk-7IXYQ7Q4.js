#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/rpm/types.ts
var NODE_HASH_NAMES = {
  md5: "md5",
  sha1: "sha1",
  sha224: "sha224",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  ripemd160: "ripemd160"
};
var FileFlags = {
  CONFIG: 1 << 0,
  DOC: 1 << 1,
  ICON: 1 << 2,
  MISSINGOK: 1 << 3,
  NOREPLACE: 1 << 4,
  SPECFILE: 1 << 5,
  GHOST: 1 << 6,
  LICENSE: 1 << 7,
  README: 1 << 8,
  PUBKEY: 1 << 11,
  ARTIFACT: 1 << 12
};

export {
  NODE_HASH_NAMES,
  FileFlags
};
