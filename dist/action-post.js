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
} from "./chunks/chunk-X6VIIOIX.js";
import "./chunks/chunk-64KDKZ45.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-LM7NQ36D.js";
import "./chunks/chunk-XCMSRV5S.js";
import "./chunks/chunk-J3HRP5HB.js";
import "./chunks/chunk-3GFQQOBW.js";
import "./chunks/chunk-BCU7EFIH.js";
import "./chunks/chunk-QSSB7G3D.js";
import "./chunks/chunk-EQCJHHRP.js";
import "./chunks/chunk-42XTT5IX.js";
import "./chunks/chunk-XPSU3T2L.js";
import "./chunks/chunk-YA4RJCJU.js";
import "./chunks/chunk-AJQMQV3R.js";
import "./chunks/chunk-C7CWKH4Y.js";
import "./chunks/chunk-ZCVCIMDM.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-JZ7OTUWD.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-XN6F6BGF.js";

// src/action/post.ts
await run(postImpl);
