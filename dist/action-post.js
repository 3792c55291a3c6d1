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
} from "./chunks/chunk-3CBU2QOG.js";
import "./chunks/chunk-QEHJUDGW.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-LJRNLUMB.js";
import "./chunks/chunk-GQIEPEYP.js";
import "./chunks/chunk-WPUSWUXH.js";
import "./chunks/chunk-FV5WWGDE.js";
import "./chunks/chunk-3YDAIYCE.js";
import "./chunks/chunk-GDMHQ5BE.js";
import "./chunks/chunk-NMZAIS7T.js";
import "./chunks/chunk-XVVQWJTR.js";
import "./chunks/chunk-P2KEY67M.js";
import "./chunks/chunk-R4XP35SM.js";
import "./chunks/chunk-4YR57MBW.js";
import "./chunks/chunk-OEAKZ65M.js";
import "./chunks/chunk-GQ6X67XS.js";
import "./chunks/chunk-DHZCBHPQ.js";
import "./chunks/chunk-Q25QUAV2.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-ODJAHXHF.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-CWV3USR4.js";

// src/action/post.ts
await run(postImpl);
