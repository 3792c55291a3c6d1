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
} from "./chunks/chunk-OXWIHAF5.js";
import "./chunks/chunk-LSCGIOGZ.js";
import "./chunks/chunk-HDGBZ4LT.js";
import "./chunks/chunk-LMBS77BW.js";
import "./chunks/chunk-GQFZBJXP.js";
import "./chunks/chunk-I53UESSH.js";
import "./chunks/chunk-CAUWZJYD.js";
import "./chunks/chunk-NWOAOODA.js";
import "./chunks/chunk-3OVKAOUI.js";
import "./chunks/chunk-3RHWSWVI.js";
import "./chunks/chunk-BCCF2PO6.js";
import "./chunks/chunk-VJB3RVTA.js";
import "./chunks/chunk-QXTAC7VZ.js";
import "./chunks/chunk-GNQYMYUT.js";
import "./chunks/chunk-GJT2OTVX.js";
import "./chunks/chunk-X4A4NOVL.js";
import "./chunks/chunk-TQESCGCX.js";
import {
  cleanupOnSignals
} from "./chunks/chunk-Q25QUAV2.js";
import "./chunks/chunk-XSY2DD5M.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-2AKM7XFZ.js";
import "./chunks/chunk-JXIOSGGW.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-Y3BHZBXO.js";
import "./chunks/chunk-QR73BMTC.js";
import "./chunks/chunk-JAH4FOK6.js";
import "./chunks/chunk-I62UABPK.js";

// src/action/main.ts
cleanupOnSignals();
await run(mainImpl);
