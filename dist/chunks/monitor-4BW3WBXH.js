#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  PROXY_OPTIONS,
  PROXY_REPEATABLE,
  proxyConfigArgs
} from "./chunk-HT6G3X7Z.js";
import {
  defaultRepodataWriter,
  jsonLogger,
  loadProxyConfig,
  openProxyServices
} from "./chunk-MMDAE7E4.js";
import "./chunk-DQL5CALU.js";
import {
  parseArgs
} from "./chunk-PKFRLOBS.js";
import "./chunk-VIM4Q2LT.js";
import "./chunk-GJT2OTVX.js";
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
import "./chunk-EYZF4QXM.js";
import "./chunk-J5JMZXTM.js";
import "./chunk-YMQT7WPY.js";
import {
  MonitorBusyError,
  MonitorPassError,
  UsageError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/monitor.ts
var USAGE = `usage: yumvault monitor --once [--config FILE] [--data DIR] [--upstream NAME=URL]... [--json]

One retention pass, then exit: read each upstream's repomd.xml, record what appeared, was superseded or
went away, hold every version the retention policy keeps (downloaded and verified while upstream still has
it), record what was lost, and republish the vault. Takes the same options as 'yumvault serve'.
  --json   print the pass report as one JSON object
Exit: 0 when every repo passed; 1 when a repo failed or another monitor holds the lock.
`;
async function runMonitor(argv, io) {
  const args = parseArgs(argv, { flags: ["help", "once", "json"], options: PROXY_OPTIONS, repeatable: PROXY_REPEATABLE }, "monitor");
  if (args.flags.has("help")) {
    io.stdout(USAGE);
    return 0;
  }
  if (!args.flags.has("once")) throw new UsageError("monitor: give --once (the continuous monitor runs inside 'yumvault serve')");
  const config = await loadProxyConfig(proxyConfigArgs(args));
  const logger = process.stderr.isTTY ? { info: () => {
  }, warn: (m) => io.progress.note(`warning: ${m}`), error: (m) => io.progress.note(`error: ${m}`) } : jsonLogger((line) => io.stderr(line));
  const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
  let report;
  try {
    services.monitor.setProgress(io.progress);
    report = await services.monitor.runPass();
  } finally {
    await services.monitor.close();
    await services.close();
  }
  if (args.flags.has("json")) io.stdout(`${JSON.stringify(report)}
`);
  else io.stdout(passSummary(report));
  if (!report.ran) throw new MonitorBusyError("another monitor holds the lock (a serve with its monitor, or another monitor --once)");
  const failed = report.repos.filter((r) => r.error);
  if (failed.length) throw new MonitorPassError(`pass failed for ${failed.map((r) => `${r.repo} (${r.error})`).join("; ")}`);
  return 0;
}
function passSummary(report) {
  const lines = report.repos.map((r) => {
    const head = `${r.repo}: revision ${r.revision ?? "?"}${r.scanned || r.error ? "" : " (unchanged)"}: ${r.appeared} appeared, ${r.gone} gone, ${r.superseded} superseded, ${r.retained} retained (${r.downloaded} downloaded), ${r.skipped} skipped, ${r.advisories} advisories, ${r.lost.length} lost${r.failed.length ? `, ${r.failed.length} failed` : ""}`;
    const lost = r.lost.map((l) => `  LOST ${l.nevra}${l.manifests.length ? ` (breaks manifests ${l.manifests.join(", ")})` : ""}`);
    const failed = r.failed.map((f) => `  failed ${f.nevra}: ${f.error}`);
    return [head, ...lost, ...failed, ...r.error ? [`  error: ${r.error}`] : []].join("\n");
  });
  return `${lines.join("\n")}
`;
}
export {
  passSummary,
  runMonitor
};
