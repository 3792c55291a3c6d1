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
} from "./chunks/chunk-X2LPW3F3.js";
import "./chunks/chunk-PQLNT4TR.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-JEIT7373.js";
import "./chunks/chunk-YQVIT24L.js";
import "./chunks/chunk-P6CLAVZQ.js";
import "./chunks/chunk-WPUSWUXH.js";
import "./chunks/chunk-JOVDCTZF.js";
import "./chunks/chunk-VZJM6237.js";
import "./chunks/chunk-QMM54PNY.js";
import "./chunks/chunk-VTDAXWMG.js";
import "./chunks/chunk-R4XP35SM.js";
import "./chunks/chunk-4YR57MBW.js";
import "./chunks/chunk-OEAKZ65M.js";
import "./chunks/chunk-4LCY74RF.js";
import "./chunks/chunk-ZCVCIMDM.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-ODJAHXHF.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-CWV3USR4.js";

// src/action/main.ts
await run(mainImpl);
