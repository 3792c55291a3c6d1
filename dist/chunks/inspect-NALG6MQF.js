#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  packageInfo
} from "./chunk-GNQYMYUT.js";
import {
  parseArgs
} from "./chunk-PKFRLOBS.js";
import {
  readRpmPackage
} from "./chunk-JXIOSGGW.js";
import {
  FileFlags
} from "./chunk-7IXYQ7Q4.js";
import "./chunk-Y3BHZBXO.js";
import "./chunk-QR73BMTC.js";
import {
  UsageError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/inspect.ts
var USAGE = `usage: yumvault inspect rpm FILE [--json]
       yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]

  rpm     the package's NEVRA, source rpm, payload compressor, header sha256 and every file
  rpmdb   the installed packages of a root directory or image (sqlite, BerkeleyDB or ndb)
`;
async function runInspect(argv, io) {
  const [sub, ...rest] = argv;
  if (sub === void 0 || sub === "--help" || sub === "-h") {
    (sub ? io.stdout : io.stderr)(USAGE);
    return sub ? 0 : 2;
  }
  if (sub === "rpm") return runInspectRpm(rest, io);
  if (sub === "rpmdb") {
    const { runInspectRpmdb } = await import("./inspectRpmdb-5KB2OYXD.js");
    return runInspectRpmdb(rest, io);
  }
  throw new UsageError(`inspect: unknown subject '${sub}' (rpm or rpmdb)`);
}
function inspectRpmJson(info) {
  return {
    name: info.name,
    epoch: info.epoch,
    version: info.version,
    release: info.release,
    arch: info.arch,
    sourceRpm: info.sourceRpm,
    payloadCompressor: info.payloadCompressor,
    headerSha256: info.headerSha256,
    files: info.files.map((f) => ({
      path: f.path,
      digest: f.digest,
      digestAlgo: f.digestAlgo,
      size: f.size,
      mode: f.mode,
      flags: f.flags,
      user: f.user,
      group: f.group,
      linkTo: f.linkTo,
      mtime: f.mtime
    }))
  };
}
async function runInspectRpm(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json"], positionals: [1, 1] }, "inspect rpm");
  const pkg = await readRpmPackage(args.positionals[0]);
  const info = packageInfo(pkg.header, pkg.signature);
  const out = inspectRpmJson(info);
  if (args.flags.has("json")) {
    io.stdout(`${JSON.stringify(out)}
`);
    return 0;
  }
  io.stdout(formatTable(out, info, pkg.headerStart, pkg.headerEnd));
  return 0;
}
var FLAG_LETTERS = [
  [FileFlags.CONFIG, "c"],
  [FileFlags.DOC, "d"],
  [FileFlags.GHOST, "g"],
  [FileFlags.LICENSE, "l"],
  [FileFlags.README, "r"],
  [FileFlags.MISSINGOK, "m"],
  [FileFlags.NOREPLACE, "n"],
  [FileFlags.ARTIFACT, "a"]
];
function formatTable(p, info, headerStart, headerEnd) {
  const lines = [
    `name               ${p.name}`,
    `epoch              ${p.epoch}`,
    `version            ${p.version}`,
    `release            ${p.release}`,
    `arch               ${p.arch}`,
    `source rpm         ${p.sourceRpm ?? "(none)"}`,
    `payload            ${info.payloadFormat}, ${p.payloadCompressor}`,
    `header sha256      ${p.headerSha256}`,
    `header range       ${headerStart}-${headerEnd}`,
    `files              ${p.files.length}${info.filesError ? ` (file list unreadable: ${info.filesError})` : ""}`
  ];
  if (p.files.length > 0) {
    const rows = p.files.map((f) => [
      modeString(f.mode),
      `${f.user}/${f.group}`,
      String(f.size),
      FLAG_LETTERS.filter(([bit]) => f.flags & bit).map(([, c]) => c).join("") || "-",
      f.digest ? `${f.digestAlgo}:${f.digest.slice(0, 16)}` : "-",
      f.linkTo ? `${f.path} -> ${f.linkTo}` : f.path
    ]);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    lines.push("");
    for (const r of rows) {
      lines.push(r.map((cell, c) => c === 1 || c === 3 || c === 4 ? cell.padEnd(widths[c]) : c === 2 ? cell.padStart(widths[c]) : cell).join("  "));
    }
  }
  return `${lines.join("\n")}
`;
}
function modeString(mode) {
  const types = { 49152: "s", 40960: "l", 32768: "-", 24576: "b", 16384: "d", 8192: "c", 4096: "p" };
  let s = types[mode & 61440] ?? "?";
  const bit = (m, c) => mode & m ? c : "-";
  s += bit(256, "r") + bit(128, "w");
  s += mode & 2048 ? mode & 64 ? "s" : "S" : bit(64, "x");
  s += bit(32, "r") + bit(16, "w");
  s += mode & 1024 ? mode & 8 ? "s" : "S" : bit(8, "x");
  s += bit(4, "r") + bit(2, "w");
  s += mode & 512 ? mode & 1 ? "t" : "T" : bit(1, "x");
  return s;
}
export {
  inspectRpmJson,
  modeString,
  runInspect
};
