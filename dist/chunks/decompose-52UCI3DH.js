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
  decomposeImage
} from "./chunk-LSCGIOGZ.js";
import "./chunk-LMBS77BW.js";
import "./chunk-GQFZBJXP.js";
import "./chunk-I53UESSH.js";
import "./chunk-CAUWZJYD.js";
import "./chunk-3RHWSWVI.js";
import "./chunk-BCCF2PO6.js";
import "./chunk-VJB3RVTA.js";
import "./chunk-QXTAC7VZ.js";
import {
  optionValue,
  optionValues,
  parseArgs
} from "./chunk-PKFRLOBS.js";
import "./chunk-X4A4NOVL.js";
import "./chunk-TQESCGCX.js";
import {
  humanBytes
} from "./chunk-Q25QUAV2.js";
import "./chunk-ED73BUU6.js";
import "./chunk-2AKM7XFZ.js";
import "./chunk-7IXYQ7Q4.js";
import "./chunk-QR73BMTC.js";
import {
  UsageError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/decompose.ts
var HELP = `usage: yumvault decompose IMAGE --repo URL [--repo URL]... --out DIR [--register PROXY_URL] [--token T] [--json]

Splits IMAGE (a tar, plain/.gz/.zst/.xz by content, or a directory) into DIR/manifest.json (the exact
package builds) and DIR/residual.zst (every tar header and every byte no package provides identically).
  --repo URL       yum repository (http(s)://, file:// or a path), searched in order; repeatable
  --register URL   register the manifest with this yumvault proxy so it keeps the builds
  --token T        bearer token for --register (default: $YUMVAULT_TOKEN)
  --json           print a JSON summary on stdout`;
function decomposeText(s, outDir) {
  const lines = [
    `image      ${s.image.name} (${s.image.compression}), ${humanBytes(s.image.size)}, sha256 ${s.image.sha256}`,
    `packages   ${s.packagesFound} of ${s.packages} builds found in the repositories`,
    `referenced ${s.filesReferenced} files, ${humanBytes(s.bytesReferenced)}`,
    `stored     ${humanBytes(s.storedBytes)} in ${outDir} (${(s.ratio * 100).toFixed(2)}% of the image)`
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
    log: commandLog(io)
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
