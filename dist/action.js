#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  mainImpl,
  run
} from "./chunks/chunk-U4DZQ2KW.js";
import "./chunks/chunk-VCCMIAJI.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-7UU4FLEC.js";
import "./chunks/chunk-TEU6NFCS.js";
import "./chunks/chunk-XLWIXRSF.js";
import "./chunks/chunk-BLZELR7D.js";
import "./chunks/chunk-2EWVSZQG.js";
import "./chunks/chunk-4I6U4NCY.js";
import "./chunks/chunk-IETEINGY.js";
import "./chunks/chunk-HA62TIH6.js";
import "./chunks/chunk-A3N4256W.js";
import "./chunks/chunk-K3PIGJKM.js";
import "./chunks/chunk-55Q4QBPL.js";
import "./chunks/chunk-C7CWKH4Y.js";
import "./chunks/chunk-ZCVCIMDM.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-LEQKWHWL.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-XUHX776R.js";

// src/action/main.ts
await run(mainImpl);
