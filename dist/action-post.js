#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  postImpl,
  run
} from "./chunks/chunk-V7BRWM3Y.js";
import "./chunks/chunk-JM6GZKEC.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-JQP7CABB.js";
import "./chunks/chunk-YQVIT24L.js";
import "./chunks/chunk-P6CLAVZQ.js";
import "./chunks/chunk-WPUSWUXH.js";
import "./chunks/chunk-FV5WWGDE.js";
import "./chunks/chunk-VZJM6237.js";
import "./chunks/chunk-QMM54PNY.js";
import "./chunks/chunk-VTDAXWMG.js";
import "./chunks/chunk-R4XP35SM.js";
import "./chunks/chunk-4YR57MBW.js";
import "./chunks/chunk-OEAKZ65M.js";
import "./chunks/chunk-DHZCBHPQ.js";
import "./chunks/chunk-Q25QUAV2.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-ODJAHXHF.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-CWV3USR4.js";

// src/action/post.ts
await run(postImpl);
