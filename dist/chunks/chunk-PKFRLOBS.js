#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  UsageError
} from "./chunk-JAH4FOK6.js";

// src/util/args.ts
function parseArgs(argv, spec, command) {
  const flags = /* @__PURE__ */ new Set();
  const options = /* @__PURE__ */ new Map();
  const positionals = [];
  const known = /* @__PURE__ */ new Set([...spec.options ?? [], ...spec.repeatable ?? []]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (spec.flags?.includes(name)) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        flags.add(name);
        continue;
      }
      if (!known.has(name)) throw new UsageError(`unknown option --${name} (see 'yumvault ${command} --help')`);
      let value;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
      const list = options.get(name) ?? [];
      if (list.length > 0 && !spec.repeatable?.includes(name)) throw new UsageError(`--${name} given twice`);
      list.push(value);
      options.set(name, list);
      continue;
    }
    positionals.push(arg);
  }
  const [min, max] = spec.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(
      `expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, got ${positionals.length} (see 'yumvault ${command} --help')`
    );
  }
  return { flags, options, positionals };
}
function optionValue(args, name) {
  return args.options.get(name)?.[0];
}
function optionValues(args, name) {
  return args.options.get(name) ?? [];
}

export {
  parseArgs,
  optionValue,
  optionValues
};
