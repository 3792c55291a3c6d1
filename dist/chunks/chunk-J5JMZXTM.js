#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/store/pid.ts
import { randomBytes } from "node:crypto";
var PROCESS_TOKEN = randomBytes(6).toString("hex");
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function isLiveWriter(pid, token) {
  if (pid === process.pid) return token === PROCESS_TOKEN;
  return isProcessAlive(pid);
}

export {
  PROCESS_TOKEN,
  isLiveWriter
};
