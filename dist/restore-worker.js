#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  batchedSpoolFile,
  extractContents,
  placeBuild,
  wantedContents
} from "./chunks/chunk-NWOAOODA.js";
import {
  openPayloadFiles
} from "./chunks/chunk-3OVKAOUI.js";
import "./chunks/chunk-3RHWSWVI.js";
import "./chunks/chunk-BCCF2PO6.js";
import "./chunks/chunk-VJB3RVTA.js";
import "./chunks/chunk-QXTAC7VZ.js";
import "./chunks/chunk-GNQYMYUT.js";
import "./chunks/chunk-XSY2DD5M.js";
import "./chunks/chunk-ED73BUU6.js";
import "./chunks/chunk-2AKM7XFZ.js";
import "./chunks/chunk-JXIOSGGW.js";
import "./chunks/chunk-7IXYQ7Q4.js";
import "./chunks/chunk-Y3BHZBXO.js";
import "./chunks/chunk-QR73BMTC.js";
import {
  YumvaultError
} from "./chunks/chunk-JAH4FOK6.js";
import "./chunks/chunk-I62UABPK.js";

// src/image/restoreWorker.ts
import { closeSync, openSync } from "node:fs";
import { parentPort } from "node:worker_threads";
var BATCH = 1 << 20;
var batch = Buffer.allocUnsafeSlow(BATCH);
async function run(msg) {
  const logs = [];
  const p = await openPayloadFiles(msg.rpmPath, { whole: true });
  const spool = batchedSpoolFile(msg.spoolFile, batch);
  try {
    const wanted = wantedContents(msg.job, p.files, msg.needs, (l) => logs.push(l));
    let memory;
    let used = 0;
    const whole = msg.inMemory && p.whole && p.whole.buffer.byteLength >= 64 << 10 ? p.whole : void 0;
    const allocate = () => {
      const sizes = /* @__PURE__ */ new Map();
      for (const f of p.files) if (f.digest) sizes.set(f.digest.toLowerCase(), f.size);
      let total = 0;
      for (const d of wanted.keys()) total += sizes.get(d) ?? 0;
      return Buffer.from(new ArrayBuffer(total));
    };
    if (msg.inMemory && !whole) memory = allocate();
    let wholeUsed = false;
    const sink = {
      file: msg.spoolFile,
      slot(size) {
        if (msg.inMemory && !memory) memory = allocate();
        if (!memory || used + size > memory.length) return void 0;
        const s = memory.subarray(used, used + size);
        used += size;
        return s;
      },
      adopt: whole ? (chunk) => {
        if (chunk.buffer !== whole.buffer) return void 0;
        wholeUsed = true;
        return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      } : void 0,
      append: spool.append
    };
    const got = await extractContents(msg.job, p.files, p.payload, wanted, sink, /* @__PURE__ */ new Map());
    spool.finish();
    const refs = [];
    for (const [key, f] of got) {
      if (!f.data) refs.push([key, f.offset, f.size, 0]);
      else if (f.data.buffer === whole?.buffer) refs.push([key, f.data.byteOffset, f.size, 2]);
      else refs.push([key, f.data.byteOffset, f.size, 1]);
    }
    const copied = memory?.buffer;
    const wholeBuffer = wholeUsed ? whole.buffer : void 0;
    const transfer = [copied, wholeBuffer].filter((b) => b !== void 0);
    return { answer: { ok: true, refs, logs, buffer: copied, whole: wholeBuffer }, transfer };
  } finally {
    spool.close();
    p.close();
  }
}
async function place(msg) {
  const fd = openSync(msg.outPath, "r+");
  try {
    await placeBuild(msg, fd);
    return { answer: { ok: true }, transfer: [] };
  } finally {
    closeSync(fd);
  }
}
var queue = Promise.resolve();
parentPort?.on("message", (msg) => {
  queue = queue.then(() => handle(msg));
});
function handle(msg) {
  return ("outPath" in msg ? place(msg) : run(msg)).then(
    ({ answer, transfer }) => parentPort.postMessage(answer, transfer),
    (e) => {
      const err = e instanceof Error ? e : new Error(String(e));
      parentPort.postMessage({ ok: false, error: { name: err.name, code: err instanceof YumvaultError ? err.code : void 0, message: err.message } });
    }
  );
}
