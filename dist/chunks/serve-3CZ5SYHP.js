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
  createProxyServer
} from "./chunk-OFYDZMME.js";
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
import "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/serve.ts
var USAGE = `usage: yumvault serve [--config FILE] [--data DIR] [--listen HOST:PORT] [--upstream NAME=URL]... [--token T]

  --config FILE        yumvault.yaml: repos (upstream, mirrorlist, metalink, metadataTtl, retention,
                       skipMinor, gpgcheck), metadataTtl, monitorInterval, catalog, publicUrl
  --data DIR           catalog (SQLite) and blobs live here            (YUMVAULT_DATA)
  --listen HOST:PORT   default 127.0.0.1:8080; port 0 picks one         (YUMVAULT_LISTEN)
  --upstream NAME=URL  serve upstream URL at /repos/NAME/ (repeatable)
  --token T            bearer token for API writes                      (YUMVAULT_TOKEN)
Also: YUMVAULT_CATALOG, YUMVAULT_BLOBS, YUMVAULT_METADATA_TTL, YUMVAULT_MONITOR_INTERVAL, YUMVAULT_UPSTREAM_TIMEOUT,
YUMVAULT_UPSTREAM_IDLE_TIMEOUT, YUMVAULT_UPSTREAM_MAX_FAILS, YUMVAULT_UPSTREAM_FAIL_TIMEOUT, YUMVAULT_HOT_CACHE_MB,
YUMVAULT_PUBLIC_URL.
`;
async function runServe(argv, io, signals = process) {
  const args = parseArgs(argv, { flags: ["help"], options: PROXY_OPTIONS, repeatable: PROXY_REPEATABLE }, "serve");
  if (args.flags.has("help")) {
    io.stdout(USAGE);
    return 0;
  }
  const config = await loadProxyConfig(proxyConfigArgs(args));
  const logger = jsonLogger((line) => io.stderr(line));
  const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
  try {
    const proxy = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger, monitor: services.monitor });
    const url = await proxy.start();
    io.stdout(`yumvault: serving ${config.repos.map((r) => r.name).join(", ")} on ${url}
`);
    await new Promise((resolve) => {
      const stop = (sig) => {
        logger.info(`${sig}: stopping`);
        signals.off("SIGTERM", onTerm);
        signals.off("SIGINT", onInt);
        resolve();
      };
      const onTerm = () => stop("SIGTERM");
      const onInt = () => stop("SIGINT");
      signals.once("SIGTERM", onTerm);
      signals.once("SIGINT", onInt);
    });
    await proxy.stop();
  } finally {
    await services.monitor.close().catch(() => {
    });
    await services.close();
  }
  return 0;
}
export {
  runServe
};
