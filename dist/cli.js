#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
const require = __yvCreateRequire(import.meta.url);
const __filename = __yvFileURLToPath(import.meta.url);
const __dirname = __yvDirname(__filename);
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/errors.ts
function isYumvaultError(e) {
  const code = e instanceof Error ? e.code : void 0;
  return typeof code === "string" && code.startsWith("YV_");
}
var YumvaultError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    YumvaultError = class extends Error {
      code;
      /** Exit status for the CLI: 1 failure, 2 bad usage. */
      exitCode = 1;
      constructor(code, message, options) {
        super(message, options);
        this.code = code;
        this.name = new.target.name;
      }
    };
  }
});

// src/cli/serve.ts
var serve_exports = {};
__export(serve_exports, {
  runServe: () => runServe
});
async function runServe(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "serve is not built yet");
}
var init_serve = __esm({
  "src/cli/serve.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/monitor.ts
var monitor_exports = {};
__export(monitor_exports, {
  runMonitor: () => runMonitor
});
async function runMonitor(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "monitor is not built yet");
}
var init_monitor = __esm({
  "src/cli/monitor.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/decompose.ts
var decompose_exports = {};
__export(decompose_exports, {
  runDecompose: () => runDecompose
});
async function runDecompose(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "decompose is not built yet");
}
var init_decompose = __esm({
  "src/cli/decompose.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/restore.ts
var restore_exports = {};
__export(restore_exports, {
  runRestore: () => runRestore
});
async function runRestore(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "restore is not built yet");
}
var init_restore = __esm({
  "src/cli/restore.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/verify.ts
var verify_exports = {};
__export(verify_exports, {
  runVerify: () => runVerify
});
async function runVerify(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "verify is not built yet");
}
var init_verify = __esm({
  "src/cli/verify.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/inspect.ts
var inspect_exports = {};
__export(inspect_exports, {
  runInspect: () => runInspect
});
async function runInspect(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "inspect is not built yet");
}
var init_inspect = __esm({
  "src/cli/inspect.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/demo.ts
var demo_exports = {};
__export(demo_exports, {
  runDemo: () => runDemo
});
async function runDemo(_argv, _io) {
  throw new YumvaultError("YV_UNIMPLEMENTED", "demo is not built yet");
}
var init_demo = __esm({
  "src/cli/demo.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/main.ts
init_errors();

// src/util/progress.ts
var silentProgress = { start() {
}, update() {
}, note() {
}, done() {
} };
function human(n, unit) {
  if (unit === "items") return String(n);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
function terminalProgress(stream = process.stderr) {
  if (!stream.isTTY) return silentProgress;
  let label = "";
  let total = 0;
  let unit = "items";
  let last = 0;
  let current = 0;
  let active = false;
  const draw = (force) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    let line;
    if (total > 0) {
      const frac = Math.min(1, current / total);
      const filled = Math.round(frac * width);
      line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${human(current, unit)}/${human(total, unit)}`;
    } else {
      line = `${label} ${human(current, unit)}`;
    }
    stream.write(`\r\x1B[2K${line}`);
    active = true;
  };
  const clear = () => {
    if (active) stream.write("\r\x1B[2K");
    active = false;
  };
  return {
    start(l, t, u = "items") {
      clear();
      label = l;
      total = t;
      unit = u;
      current = 0;
      draw(true);
    },
    update(d) {
      current = d;
      draw(false);
    },
    note(message) {
      clear();
      stream.write(`${message}
`);
      if (label) draw(true);
    },
    done() {
      clear();
      label = "";
    }
  };
}

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
  serve: async () => (await Promise.resolve().then(() => (init_serve(), serve_exports))).runServe,
  monitor: async () => (await Promise.resolve().then(() => (init_monitor(), monitor_exports))).runMonitor,
  decompose: async () => (await Promise.resolve().then(() => (init_decompose(), decompose_exports))).runDecompose,
  restore: async () => (await Promise.resolve().then(() => (init_restore(), restore_exports))).runRestore,
  verify: async () => (await Promise.resolve().then(() => (init_verify(), verify_exports))).runVerify,
  inspect: async () => (await Promise.resolve().then(() => (init_inspect(), inspect_exports))).runInspect,
  demo: async () => (await Promise.resolve().then(() => (init_demo(), demo_exports))).runDemo
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
