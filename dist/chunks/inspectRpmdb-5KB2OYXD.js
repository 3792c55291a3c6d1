#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  isBerkeleyDb,
  isNdb,
  isSqlite,
  openRpmdb
} from "./chunk-H7GEWST2.js";
import {
  openTarImage
} from "./chunk-I53UESSH.js";
import {
  prepareImage
} from "./chunk-CAUWZJYD.js";
import "./chunk-VJB3RVTA.js";
import "./chunk-QXTAC7VZ.js";
import {
  filePaths,
  nevraOf
} from "./chunk-GNQYMYUT.js";
import {
  parseArgs
} from "./chunk-PKFRLOBS.js";
import {
  readFileHead
} from "./chunk-TQESCGCX.js";
import "./chunk-Q25QUAV2.js";
import "./chunk-2AKM7XFZ.js";
import "./chunk-Y3BHZBXO.js";
import "./chunk-QR73BMTC.js";
import {
  RpmdbError,
  isYumvaultError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/cli/inspectRpmdb.ts
import { stat } from "node:fs/promises";

// src/rpmdb/listing.ts
async function listRpmdb(location) {
  const db = await openRpmdb(location);
  try {
    const packages = [];
    for await (const { header, hnum } of db.headers()) {
      let nevra;
      try {
        nevra = nevraOf(header);
      } catch (e) {
        if (!isYumvaultError(e)) throw e;
        throw new RpmdbError(`${db.path}: header #${hnum}: ${e.message}`, { cause: e });
      }
      let fileCount;
      try {
        fileCount = filePaths(header).length;
      } catch {
        fileCount = 0;
      }
      packages.push({ ...nevra, fileCount });
    }
    return { backend: db.backend, path: db.path, packages };
  } finally {
    await db.close();
  }
}

// src/cli/inspectRpmdb.ts
var HELP = `usage: yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]

Reads the rpm database (sqlite rpmdb.sqlite, ndb Packages.db or BerkeleyDB Packages) of a root directory,
a tar image (plain, gzip, zstd, xz, bzip2), or a database file, and lists the installed packages.
  --json   print {backend, path, packages: [{name, epoch, version, release, arch, fileCount}]}
`;
async function locationOf(arg) {
  const none = async () => {
  };
  let st;
  try {
    st = await stat(arg);
  } catch {
    throw new RpmdbError(`${arg}: no such file or directory`);
  }
  if (st.isDirectory()) return { location: arg, cleanup: none };
  const head = await readFileHead(arg, 16);
  if (isSqlite(head) || isNdb(head) || isBerkeleyDb(head)) return { location: arg, cleanup: none };
  const image = await prepareImage(arg);
  return { location: openTarImage(image.tarPath), cleanup: image.cleanup };
}
function table(listing) {
  const rows = listing.packages.map((p) => [p.name, p.epoch ? `${p.epoch}:` : "", p.version, p.release, p.arch, String(p.fileCount)]);
  const head = ["NAME", "EPOCH", "VERSION", "RELEASE", "ARCH", "FILES"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => i === r.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [`${listing.backend} database ${listing.path}: ${listing.packages.length} package${listing.packages.length === 1 ? "" : "s"}`];
  if (rows.length > 0) lines.push(line(head), ...rows.map(line));
  return `${lines.join("\n")}
`;
}
async function runInspectRpmdb(argv, io) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(HELP);
    return 0;
  }
  const args = parseArgs(argv, { flags: ["json"], positionals: [1, 1] }, "inspect rpmdb");
  const { location, cleanup } = await locationOf(args.positionals[0]);
  let listing;
  try {
    listing = await listRpmdb(location);
  } finally {
    await cleanup();
  }
  io.stdout(args.flags.has("json") ? `${JSON.stringify(listing)}
` : table(listing));
  return 0;
}
export {
  runInspectRpmdb
};
