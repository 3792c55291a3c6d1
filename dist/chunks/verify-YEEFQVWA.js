#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  commandLog
} from "./chunk-HURSNMXQ.js";
import {
  verifyImage
} from "./chunk-2CPD2BKQ.js";
import "./chunk-CAUWZJYD.js";
import "./chunk-BCCF2PO6.js";
import "./chunk-QXTAC7VZ.js";
import {
  parseArgs
} from "./chunk-PKFRLOBS.js";
import "./chunk-TQESCGCX.js";
import "./chunk-Q25QUAV2.js";
import "./chunk-XSY2DD5M.js";
import "./chunk-ED73BUU6.js";
import "./chunk-2AKM7XFZ.js";
import "./chunk-QR73BMTC.js";
import {
  VerificationError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/verify.ts
var HELP = `usage: yumvault verify DIR IMAGE

Exit 0 when IMAGE (a tar, compressed or not, or a directory) has the sha256 and size the manifest in DIR
records; exit 1 naming the difference otherwise.`;
async function runVerify(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${HELP}
`);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json"], positionals: [2, 2] }, "verify");
  const [dir, image] = args.positionals;
  const r = await verifyImage(dir, image, { progress: io.progress, log: commandLog(io) });
  if (args.flags.has("json")) io.stdout(`${JSON.stringify(r)}
`);
  if (!r.ok) throw new VerificationError(r.reason ?? "the image does not match the manifest");
  if (!args.flags.has("json")) io.stdout(`ok: ${image} matches ${dir} (sha256 ${r.sha256})
`);
  return 0;
}
export {
  runVerify
};
