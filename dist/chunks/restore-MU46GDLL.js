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
  restoreImage
} from "./chunk-HDGBZ4LT.js";
import "./chunk-LMBS77BW.js";
import "./chunk-GQFZBJXP.js";
import "./chunk-NWOAOODA.js";
import "./chunk-3OVKAOUI.js";
import "./chunk-3RHWSWVI.js";
import "./chunk-BCCF2PO6.js";
import "./chunk-VJB3RVTA.js";
import "./chunk-QXTAC7VZ.js";
import "./chunk-GNQYMYUT.js";
import {
  optionValue,
  optionValues,
  parseArgs
} from "./chunk-PKFRLOBS.js";
import "./chunk-X4A4NOVL.js";
import "./chunk-TQESCGCX.js";
import "./chunk-Q25QUAV2.js";
import "./chunk-XSY2DD5M.js";
import "./chunk-ED73BUU6.js";
import "./chunk-2AKM7XFZ.js";
import "./chunk-JXIOSGGW.js";
import "./chunk-7IXYQ7Q4.js";
import "./chunk-Y3BHZBXO.js";
import "./chunk-QR73BMTC.js";
import {
  UsageError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/restore.ts
var HELP = `usage: yumvault restore DIR --repo URL [--repo URL]... --out IMAGE [--upgrade NAME=EVR]... [--substitute minor] [--allow-vulnerable] [--json]

Rebuilds the image decomposed into DIR, bit for bit, from the exact package builds (first repository that
has each) and DIR/residual.zst; verified against the manifest's sha256 before anything appears at IMAGE
(.gz or .zst compresses).
  --upgrade NAME=EVR    restore with that build of NAME instead (verification is then per file); repeatable
  --substitute minor    when an exact build is gone everywhere, use the newest release of the same version
  --allow-vulnerable    restore builds a security advisory superseded (reported either way)
  --proxy URL           the yumvault proxy to ask about advisories (default: derived from a /repos/ or /vault/ --repo)
  --json                print a JSON summary on stdout`;
function proxyFromRepos(repos) {
  for (const r of repos) {
    const m = /^(https?:\/\/.+?)\/(?:repos|vault)\/[^/]+\/?$/.exec(r);
    if (m) return m[1];
  }
  return void 0;
}
function parseUpgrades(values) {
  const out = /* @__PURE__ */ new Map();
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`restore: --upgrade takes NAME=EVR (e.g. bash=5.2.26-3.fc40), got '${v}'`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}
async function runRestore(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${HELP}
`);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json", "allow-vulnerable"], options: ["out", "substitute", "proxy"], repeatable: ["repo", "upgrade"], positionals: [1, 1] }, "restore");
  const repos = optionValues(args, "repo");
  const out = optionValue(args, "out");
  if (repos.length === 0) throw new UsageError("restore: --repo URL is required (at least one)");
  if (!out) throw new UsageError("restore: --out IMAGE is required");
  const substitute = optionValue(args, "substitute");
  if (substitute !== void 0 && substitute !== "minor") throw new UsageError(`restore: --substitute takes 'minor', got '${substitute}'`);
  const summary = await restoreImage({
    dir: args.positionals[0],
    repos,
    out,
    upgrades: parseUpgrades(optionValues(args, "upgrade")),
    ...substitute ? { substitute: "minor" } : {},
    allowVulnerable: args.flags.has("allow-vulnerable"),
    proxyUrl: optionValue(args, "proxy") ?? proxyFromRepos(repos),
    progress: io.progress,
    log: commandLog(io)
  });
  if (args.flags.has("json")) {
    io.stdout(`${JSON.stringify(summary)}
`);
    return 0;
  }
  const lines = [`restored   ${out}: ${summary.size} bytes, sha256 ${summary.sha256}`, `verified   ${summary.verified === "exact" ? "bit for bit against the manifest" : "per file (other builds than the original)"}`];
  for (const s of summary.substitutions) lines.push(`substituted ${s}`);
  for (const u of summary.upgrades) lines.push(`upgraded   ${u}`);
  for (const a of summary.advisories) lines.push(`advisory   ${a}`);
  io.stdout(`${lines.join("\n")}
`);
  return 0;
}
export {
  parseUpgrades,
  proxyFromRepos,
  runRestore
};
