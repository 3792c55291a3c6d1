#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  terminalProgress
} from "./chunks/chunk-VIM4Q2LT.js";
import {
  cleanupOnSignals
} from "./chunks/chunk-Q25QUAV2.js";
import {
  isYumvaultError
} from "./chunks/chunk-JAH4FOK6.js";
import "./chunks/chunk-I62UABPK.js";

// src/cli/main.ts
var USAGE = `usage: yumvault <command> [options]

  serve      run the caching, retaining yum proxy
  monitor    --once: one retention pass, then exit
  decompose  IMAGE --repo URL... --out DIR   split an image into manifest + residual
  restore    DIR --repo URL... --out IMAGE   rebuild an image bit for bit, verified
  verify     DIR IMAGE                       does IMAGE match the manifest in DIR?
  inspect    rpm FILE | rpmdb ROOT_DIR_OR_IMAGE   [--json]
  demo       the whole decompose \u2192 eviction \u2192 retention \u2192 restore \u2192 verify cycle on a generated repository

'yumvault <command> --help' tells more.`;
var commands = {
  serve: async () => (await import("./chunks/serve-3CZ5SYHP.js")).runServe,
  monitor: async () => (await import("./chunks/monitor-4BW3WBXH.js")).runMonitor,
  decompose: async () => (await import("./chunks/decompose-52UCI3DH.js")).runDecompose,
  restore: async () => (await import("./chunks/restore-MU46GDLL.js")).runRestore,
  verify: async () => (await import("./chunks/verify-YEEFQVWA.js")).runVerify,
  inspect: async () => (await import("./chunks/inspect-NALG6MQF.js")).runInspect,
  demo: async () => (await import("./chunks/demo-DEDQMKUE.js")).runDemo
};
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? io.stdout : io.stderr)(`${USAGE}
`);
    return name ? 0 : 2;
  }
  if (name === "--version") {
    io.stdout("yumvault 0.1.0\n");
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`yumvault: unknown command '${name}'
${USAGE}
`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest, io);
  } catch (e) {
    io.progress.done();
    if (isYumvaultError(e)) {
      io.stderr(`yumvault ${name}: ${e.message} [${e.code}]
`);
      return e.exitCode;
    }
    const err = e;
    if (err && typeof err.code === "string" && err.syscall) {
      io.stderr(`yumvault ${name}: ${err.message}
`);
      return 1;
    }
    io.stderr(`yumvault ${name}: unexpected error: ${err?.message ?? String(e)}
`);
    if (process.env.YUMVAULT_DEBUG) io.stderr(`${err?.stack ?? ""}
`);
    return 1;
  }
}
var isEntry = process.argv[1] && /(?:^|[\\/])(?:cli\.js|main\.ts|yumvault)$/.test(process.argv[1]);
if (isEntry) {
  const io = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    progress: terminalProgress()
  };
  if (!["serve", "monitor"].includes(process.argv[2] ?? "")) cleanupOnSignals((t) => io.stderr(t));
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`yumvault: ${e?.message ?? String(e)}
`);
      process.exitCode = 1;
    }
  );
}
export {
  main
};
