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
} from "./chunks/chunk-XQWPZMRD.js";
import "./chunks/chunk-74KK3QT7.js";
import "./chunks/chunk-KAGUSOBR.js";
import "./chunks/chunk-OIOIPCIT.js";
import "./chunks/chunk-GVYKBP4U.js";
import "./chunks/chunk-LAFMIM5X.js";
import "./chunks/chunk-3L7VS6RP.js";
import "./chunks/chunk-PWJ3DCHB.js";
import "./chunks/chunk-55HKD2U5.js";
import "./chunks/chunk-53W3HUAP.js";
import "./chunks/chunk-ZCVCIMDM.js";
import "./chunks/chunk-YX75SE6A.js";
import "./chunks/chunk-C7CWKH4Y.js";
import "./chunks/chunk-AETMUE33.js";
import "./chunks/chunk-2I5RKKUB.js";
import "./chunks/chunk-NJAS5MBG.js";
import "./chunks/chunk-4TFQQZTF.js";

// src/action/post.ts
await run(postImpl);
