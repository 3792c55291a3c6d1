#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  decomposeImage
} from "./chunk-74KK3QT7.js";
import "./chunk-OIOIPCIT.js";
import "./chunk-LAFMIM5X.js";
import "./chunk-3L7VS6RP.js";
import "./chunk-PWJ3DCHB.js";
import "./chunk-55HKD2U5.js";
import {
  optionValue,
  optionValues,
  parseArgs
} from "./chunk-MCAPG2Y6.js";
import "./chunk-YX75SE6A.js";
import "./chunk-C7CWKH4Y.js";
import "./chunk-AETMUE33.js";
import "./chunk-2I5RKKUB.js";
import {
  UsageError
} from "./chunk-4TFQQZTF.js";

// src/cli/decompose.ts
var HELP = `usage: yumvault decompose IMAGE --repo URL [--repo URL]... --out DIR [--register PROXY_URL] [--token T] [--json]

Splits IMAGE (a tar, plain/.gz/.zst/.xz by content, or a directory) into DIR/manifest.json (the exact
package builds) and DIR/residual.zst (every tar header and every byte no package provides identically).
  --repo URL       yum repository (http(s)://, file:// or a path), searched in order; repeatable
  --register URL   register the manifest with this yumvault proxy so it keeps the builds
  --token T        bearer token for --register (default: $YUMVAULT_TOKEN)
  --json           print a JSON summary on stdout`;
function human(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
function decomposeText(s, outDir) {
  const lines = [
    `image      ${s.image.name} (${s.image.compression}), ${human(s.image.size)}, sha256 ${s.image.sha256}`,
    `packages   ${s.packagesFound} of ${s.packages} builds found in the repositories`,
    `referenced ${s.filesReferenced} files, ${human(s.bytesReferenced)}`,
    `stored     ${human(s.storedBytes)} in ${outDir} (${(s.ratio * 100).toFixed(2)}% of the image)`
  ];
  if (s.manifestId) lines.push(`registered manifest ${s.manifestId}`);
  for (const m of s.packagesMissing) lines.push(`not found  ${m} (its files are kept in the residual)`);
  return `${lines.join("\n")}
`;
}
async function runDecompose(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${HELP}
`);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json"], options: ["out", "register", "token"], repeatable: ["repo"], positionals: [1, 1] }, "decompose");
  const repos = optionValues(args, "repo");
  const outDir = optionValue(args, "out");
  if (repos.length === 0) throw new UsageError("decompose: --repo URL is required (at least one)");
  if (!outDir) throw new UsageError("decompose: --out DIR is required");
  const proxyUrl = optionValue(args, "register");
  const token = optionValue(args, "token") ?? process.env.YUMVAULT_TOKEN;
  const json = args.flags.has("json");
  const summary = await decomposeImage({
    image: args.positionals[0],
    repos,
    outDir,
    register: proxyUrl ? { proxyUrl, ...token ? { token } : {} } : void 0,
    progress: io.progress,
    log: (line) => io.progress.note(line)
  });
  if (json) io.stdout(`${JSON.stringify(summary)}
`);
  else io.stdout(decomposeText(summary, outDir));
  return 0;
}
export {
  decomposeText,
  runDecompose
};
