#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  optionValue,
  optionValues
} from "./chunk-PKFRLOBS.js";

// src/cli/proxyArgs.ts
var PROXY_OPTIONS = ["config", "data", "listen", "token"];
var PROXY_REPEATABLE = ["upstream"];
function proxyConfigArgs(args) {
  return {
    config: optionValue(args, "config"),
    data: optionValue(args, "data"),
    listen: optionValue(args, "listen"),
    token: optionValue(args, "token"),
    upstreams: optionValues(args, "upstream")
  };
}

export {
  PROXY_OPTIONS,
  PROXY_REPEATABLE,
  proxyConfigArgs
};
