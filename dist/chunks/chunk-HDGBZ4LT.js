#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  MemoryBudget,
  getApiJson,
  mapLimit
} from "./chunk-LMBS77BW.js";
import {
  hashingTap
} from "./chunk-GQFZBJXP.js";
import {
  checkWholeFile,
  placeBuild,
  placeContents,
  refKey,
  spoolBuild,
  writeAllAt
} from "./chunk-NWOAOODA.js";
import {
  MAX_HDR,
  MAX_RAW,
  Op,
  RESIDUAL_MAGIC,
  createStreamHasher
} from "./chunk-3RHWSWVI.js";
import {
  RESIDUAL_FILE,
  parseEvr,
  readManifest
} from "./chunk-BCCF2PO6.js";
import {
  BLOCK,
  parseHeaderBlock,
  parsePaxRecords
} from "./chunk-VJB3RVTA.js";
import {
  createAtomicFile,
  ensureFreeSpace
} from "./chunk-TQESCGCX.js";
import {
  removeIfInterrupted
} from "./chunk-Q25QUAV2.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";
import {
  formatNevra
} from "./chunk-ED73BUU6.js";
import {
  createCompressor
} from "./chunk-2AKM7XFZ.js";
import {
  compareEvr,
  formatEvr
} from "./chunk-QR73BMTC.js";
import {
  ChecksumMismatchError,
  ManifestError,
  NotFoundError,
  ResidualFormatError,
  TarFormatError,
  UsageError,
  VerificationError,
  VulnerableBuildError,
  YumvaultError,
  errors_exports
} from "./chunk-JAH4FOK6.js";

// src/image/restore.ts
import { closeSync as closeSync2, fdatasync, ftruncateSync, openSync as openSync2 } from "node:fs";
import { mkdir, mkdtemp, rm as rm2, stat } from "node:fs/promises";
import { availableParallelism, freemem, tmpdir } from "node:os";
import { join as join3 } from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";

// src/image/fileHasher.ts
import { createHash } from "node:crypto";
import { closeSync, openSync, read } from "node:fs";
var PIECE = 4 << 20;
var ZEROS = Buffer.alloc(1 << 20);
function createFileHasher(path, onProgress) {
  const fd = openSync(path, "r");
  const h = createHash("sha256");
  let current = Buffer.allocUnsafe(PIECE);
  let ahead = Buffer.allocUnsafe(PIECE);
  let pos = 0;
  let posted = 0;
  let failed;
  let open2 = true;
  let steps = Promise.resolve();
  const then = (step) => {
    steps = steps.then(() => failed ? void 0 : step()).catch((e) => {
      failed ??= new Error(`hashing ${path}: ${e.message}`);
    });
  };
  const readAt = (buf, at, len) => new Promise((resolve, reject) => read(fd, buf, 0, len, at, (e, n) => e ? reject(e) : resolve(n)));
  const readTo = async (to) => {
    let pending = pos < to ? readAt(current, pos, Math.min(PIECE, to - pos)) : void 0;
    while (pending) {
      const n = await pending;
      if (n === 0) throw new Error(`the file ends at ${pos}, before ${to}`);
      const at = pos + n;
      pending = at < to ? readAt(ahead, at, Math.min(PIECE, to - at)) : void 0;
      h.update(n === PIECE ? current : current.subarray(0, n));
      pos = at;
      [current, ahead] = [ahead, current];
      onProgress?.(pos);
    }
  };
  const hashZeros = (size) => {
    for (let left = size; left > 0; ) {
      const n = Math.min(left, ZEROS.length);
      h.update(n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n));
      left -= n;
    }
    pos += size;
    onProgress?.(pos);
  };
  const closeFile = () => {
    if (open2) closeSync(fd);
    open2 = false;
  };
  return {
    advance(to) {
      if (to <= posted) return;
      posted = to;
      then(() => readTo(to));
    },
    zeros(size) {
      if (size <= 0) return;
      posted += size;
      then(() => hashZeros(size));
    },
    async digest() {
      await steps;
      closeFile();
      if (failed) throw failed;
      return { sha256: h.digest("hex"), size: pos };
    },
    async close() {
      await steps;
      closeFile();
    }
  };
}

// src/image/placeDispatch.ts
function placeDispatch(workers, onMain) {
  const queue = [];
  let mainFree = true;
  const pump = () => {
    while (queue.length > 0) {
      const item = queue[0];
      const sent = workers.tryPlace(item.job, DEPTH);
      if (sent) {
        queue.shift();
        sent.then(item.resolve, item.reject).finally(pump);
      } else if (mainFree) {
        queue.shift();
        mainFree = false;
        setImmediate(() => {
          onMain(item.job).then(item.resolve, item.reject).finally(() => {
            mainFree = true;
            pump();
          });
        });
      } else return;
    }
  };
  return (job) => new Promise((resolve, reject) => {
    queue.push({ job, resolve, reject });
    pump();
  });
}
var DEPTH = 4;

// src/image/placeResidual.ts
var BATCH = 1 << 20;
var GAP = 64 << 10;
function positionedWriter(fd) {
  const batch = Buffer.allocUnsafe(BATCH);
  let batched = 0;
  let start = 0;
  const flush = () => {
    if (batched > 0) writeAllAt(fd, batch.subarray(0, batched), start);
    batched = 0;
  };
  return {
    put(bytes, offset) {
      const gap = offset - (start + batched);
      if (batched > 0 && gap > 0 && gap <= GAP && gap + bytes.length <= BATCH - batched) {
        batch.fill(0, batched, batched + gap);
        batched += gap;
      }
      if (offset !== start + batched || bytes.length > BATCH - batched) flush();
      if (bytes.length >= BATCH / 2) return writeAllAt(fd, bytes, offset);
      if (batched === 0) start = offset;
      batch.set(bytes, batched);
      batched += bytes.length;
    },
    flush
  };
}
var ADVANCE = 4 << 20;
async function followImage(spans, size, built, hasher) {
  const done = /* @__PURE__ */ new Set();
  let told = 0;
  for (const span of spans) {
    if (span.kind === "zeros") {
      hasher.advance(span.offset);
      hasher.zeros(span.size);
      told = span.offset + span.size;
      continue;
    }
    if (done.has(span.pkg)) continue;
    if (span.offset - told >= ADVANCE) {
      hasher.advance(span.offset);
      told = span.offset;
    }
    await built(span.pkg);
    done.add(span.pkg);
  }
  hasher.advance(size);
}

// src/image/residualScan.ts
import { join } from "node:path";

// src/image/residualReader.ts
import { createReadStream } from "node:fs";
import * as zlib from "node:zlib";
var NeedMore = class extends Error {
  /** Bytes the record needs from its start, when known (0: unknown, ask for more). */
  need;
  constructor(need = 0) {
    super("need more");
    this.need = need;
  }
};
var Cursor = class {
  pos = 0;
  /** Bytes of the last RAW record parsed that are not in this buffer (its start was handed out). */
  rawRest = 0;
  buf;
  constructor(buf) {
    this.buf = buf;
  }
  byte() {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++];
  }
  uvarint(what) {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      v += (b & 127) * mul;
      if ((b & 128) === 0) {
        if (!Number.isSafeInteger(v)) break;
        return v;
      }
      mul *= 128;
    }
    throw new ResidualFormatError(`residual is corrupt: ${what} is not a valid number`);
  }
  start = 0;
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new NeedMore(this.pos + n - this.start);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
};
function parseRecord(c) {
  c.start = c.pos;
  const op = c.byte();
  switch (op) {
    case Op.RAW:
    case Op.HDR: {
      const len = c.uvarint("a record length");
      if (len > (op === Op.RAW ? MAX_RAW : MAX_HDR)) throw new ResidualFormatError(`residual is corrupt: a record claims ${len} bytes`);
      if (op === Op.RAW && c.pos + len > c.buf.length && c.pos < c.buf.length) {
        const b2 = c.bytes(c.buf.length - c.pos);
        c.rawRest = len - b2.length;
        return { op: "raw", bytes: new Uint8Array(b2.buffer, b2.byteOffset, b2.length) };
      }
      const b = c.bytes(len);
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
      return op === Op.RAW ? { op: "raw", bytes } : { op: "hdr", bytes };
    }
    case Op.ZERO:
      return { op: "zero", size: c.uvarint("a zero run") };
    case Op.REF: {
      const pkg = c.uvarint("a package index");
      const size = c.uvarint("a file size");
      const dlen = c.uvarint("a digest length");
      if (dlen === 0 || dlen > 64) throw new ResidualFormatError(`residual is corrupt: digest of ${dlen} bytes`);
      const digest = c.bytes(dlen).toString("hex");
      const plen = c.uvarint("a path length");
      if (plen > 65536) throw new ResidualFormatError(`residual is corrupt: path of ${plen} bytes`);
      const path = c.bytes(plen).toString("utf8");
      return { op: "ref", pkg, size, digest, path };
    }
    case Op.END: {
      const size = c.uvarint("the image size");
      const sha256 = c.bytes(32).toString("hex");
      return { op: "end", size, sha256 };
    }
    default:
      throw new ResidualFormatError(`residual is corrupt: unknown record type 0x${op.toString(16)} (not a yumvault residual v1?)`);
  }
}
async function* readResidual(path) {
  for await (const batch of readResidualBatches(path)) yield* batch;
}
async function* readResidualBatches(path, tap) {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const source = (tap ? file.pipe(tap) : file).pipe(zlib.createZstdDecompress({ chunkSize: 1 << 20 }));
  file.on("error", (e) => source.destroy(e));
  let carry;
  let want = RESIDUAL_MAGIC.length;
  let rawLeft = 0;
  let sawMagic = false;
  let ended = false;
  const parse = (buf, from, batch, stopAfter = buf.length) => {
    const c = new Cursor(buf);
    c.pos = from;
    if (!sawMagic) {
      if (!buf.subarray(0, RESIDUAL_MAGIC.length).equals(RESIDUAL_MAGIC)) throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
      sawMagic = true;
      c.pos = RESIDUAL_MAGIC.length;
    }
    while (c.pos < stopAfter) {
      if (ended) throw new ResidualFormatError(`residual is corrupt: data after its end record`);
      const start = c.pos;
      let rec;
      try {
        rec = parseRecord(c);
      } catch (e) {
        if (e instanceof NeedMore) {
          want = Math.max(e.need > 0 ? e.need : buf.length - start + 1, 1);
          return start;
        }
        throw e;
      }
      if (rec.op === "end") ended = true;
      batch.push(rec);
      if (c.rawRest > 0) {
        rawLeft = c.rawRest;
        return buf.length;
      }
    }
    return c.pos;
  };
  try {
    for await (const chunk of source) {
      const batch = [];
      let used = 0;
      while (used < chunk.length) {
        if (rawLeft > 0) {
          const n = Math.min(rawLeft, chunk.length - used);
          batch.push({ op: "raw", bytes: new Uint8Array(chunk.buffer, chunk.byteOffset + used, n) });
          rawLeft -= n;
          used += n;
        } else if (carry) {
          if (carry.length + chunk.length - used < want) {
            carry = Buffer.concat([carry, chunk.subarray(used)]);
            used = chunk.length;
            break;
          }
          const take = Math.min(chunk.length - used, Math.max(want - carry.length, 0) + (64 << 10));
          const head = Buffer.concat([carry, chunk.subarray(used, used + take)]);
          const stop = parse(head, 0, batch, carry.length);
          if (stop >= carry.length) {
            used += stop - carry.length;
            carry = void 0;
          } else {
            carry = head.subarray(stop);
            used += take;
          }
        } else if (!sawMagic && chunk.length - used < RESIDUAL_MAGIC.length) {
          carry = chunk.subarray(used);
          used = chunk.length;
        } else {
          const stop = parse(chunk, used, batch);
          if (stop < chunk.length) carry = chunk.subarray(stop);
          used = chunk.length;
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    if (e instanceof ResidualFormatError) throw e;
    throw new ResidualFormatError(`${path} cannot be read: ${e.message}`);
  } finally {
    source.destroy();
    tap?.destroy();
    file.destroy();
  }
  if (!sawMagic) throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
  if (!ended || carry || rawLeft > 0) throw new ResidualFormatError(`${path} is truncated (no end record)`);
}

// src/image/residualScan.ts
function referencedBytes(needs) {
  return needs.reduce((n, x) => n + x.size * x.offsets.length, 0);
}
var LONG_ZEROS = 64 << 10;
async function scanResidual(dir, manifest, onBytes) {
  const residualPath = join(dir, RESIDUAL_FILE);
  const tap = hashingTap();
  const mismatch = async () => {
    const { digest, size } = await hashFile(residualPath).catch((e) => {
      throw new ResidualFormatError(`cannot read ${residualPath}: ${e.message}`);
    });
    return digest === manifest.residual.sha256 && size === manifest.residual.size ? void 0 : mismatchError(residualPath, manifest, digest, size);
  };
  let scan;
  try {
    scan = await scanRecords(readResidualBatches(residualPath, tap), manifest, dir, onBytes);
  } catch (e) {
    throw await mismatch() ?? e;
  }
  if (tap.sha256() !== manifest.residual.sha256 || tap.size() !== manifest.residual.size) throw mismatchError(residualPath, manifest, tap.sha256(), tap.size());
  return scan;
}
function mismatchError(residualPath, manifest, digest, size) {
  return new ResidualFormatError(`${residualPath} does not match the manifest (sha256 ${digest}, ${size} bytes; the manifest says ${manifest.residual.sha256}, ${manifest.residual.size} bytes)`);
}
async function scanRecords(batches, manifest, dir, onBytes) {
  const needs = /* @__PURE__ */ new Map();
  const spans = [];
  let last;
  let pos = 0;
  const zeros = onBytes ? new Uint8Array(LONG_ZEROS) : void 0;
  for await (const batch of batches) {
    for (const rec of batch) {
      switch (rec.op) {
        case "ref": {
          if (rec.pkg >= manifest.packages.length) throw new ResidualFormatError(`residual references package #${rec.pkg}; the manifest lists ${manifest.packages.length}`);
          let m = needs.get(rec.pkg);
          if (!m) needs.set(rec.pkg, m = /* @__PURE__ */ new Map());
          const need = m.get(rec.digest);
          if (need) need.offsets.push(pos);
          else m.set(rec.digest, { digest: rec.digest, size: rec.size, path: rec.path, offsets: [pos] });
          if (last?.kind !== "pkg" || last.pkg !== rec.pkg) spans.push(last = { kind: "pkg", pkg: rec.pkg, offset: pos });
          pos += rec.size;
          break;
        }
        case "hdr":
        case "raw":
          onBytes?.(rec.bytes, pos);
          pos += rec.bytes.length;
          break;
        case "zero":
          if (rec.size > LONG_ZEROS) spans.push(last = { kind: "zeros", offset: pos, size: rec.size });
          else if (rec.size > 0) onBytes?.(zeros.subarray(0, rec.size), pos);
          pos += rec.size;
          break;
        case "end":
          if (rec.sha256 !== manifest.image.sha256 || rec.size !== manifest.image.size) {
            throw new ManifestError(`${join(dir, "manifest.json")} belongs to another image than the residual (image sha256 ${manifest.image.sha256}, the residual's is ${rec.sha256})`);
          }
          if (pos !== rec.size) throw new ResidualFormatError(`residual is corrupt: its records make ${pos} bytes, its end record says the image has ${rec.size}`);
          break;
      }
    }
  }
  return { needs: new Map([...needs].map(([k, v]) => [k, [...v.values()]])), spans, size: pos };
}

// src/image/advisories.ts
function proxyRepoName(repo) {
  return /\/(?:repos|vault)\/([^/]+)\/?$/.exec(repo)?.[1];
}
function proxyAdvisoryLookup(proxyUrl, warn = () => {
}) {
  let warned = false;
  const lookup = inner(proxyUrl);
  return async (pkg, nevra) => {
    try {
      return await lookup(pkg, nevra);
    } catch (e) {
      if (!warned) warn(`warning: cannot read advisories from ${proxyUrl}: ${e.message}`);
      warned = true;
      return [];
    }
  };
}
function inner(proxyUrl) {
  const cache = /* @__PURE__ */ new Map();
  const rows = (repo) => {
    let p = cache.get(repo);
    if (!p) {
      p = getApiJson(proxyUrl, `packages?repo=${encodeURIComponent(repo)}&advisory=1&limit=10000`).then((b) => b.packages ?? []);
      cache.set(repo, p);
    }
    return p;
  };
  let repoNames;
  return async (pkg, nevra) => {
    const named = proxyRepoName(pkg.repo);
    const names = named ? [named] : await (repoNames ??= getApiJson(proxyUrl, "repos").then((b) => (b.repos ?? []).map((r) => r.name)));
    const want = formatNevra(nevra);
    const ids = /* @__PURE__ */ new Set();
    for (const name of names) {
      for (const r of await rows(name)) {
        if (r.advisoryId && (r.nevra === want || formatNevra(nevra) === formatNevra(pkg) && r.pkgid === pkg.pkgid)) ids.add(r.advisoryId);
      }
    }
    return [...ids];
  };
}

// src/image/restorePlan.ts
import { rm } from "node:fs/promises";
import { join as join2 } from "node:path";
function allExactTargets(packages, upgrades) {
  return packages.every((p) => target(p, upgrades).choice === "exact");
}
function target(pkg, upgrades) {
  const base = { name: pkg.name, epoch: pkg.epoch, version: pkg.version, release: pkg.release, arch: pkg.arch };
  const evr = upgrades.get(pkg.name) ?? upgrades.get(`${pkg.name}.${pkg.arch}`);
  if (evr !== void 0) return { nevra: { ...base, ...parseEvr(evr) }, choice: "upgrade" };
  if (pkg.decomposedAs && pkg.decomposedAs !== formatNevra(base)) return { nevra: base, choice: "upgrade" };
  return { nevra: base, choice: "exact" };
}
async function download(repo, build, dest, defer = false, memory) {
  const r = await repo.download(build, dest, { deferLocalCheck: defer, memory });
  if (r.bytes) return { sha256: r.sha256, rpmPath: dest, temporary: false, unverified: false, bytes: r.bytes, release: r.release };
  return { sha256: r.sha256, rpmPath: r.path ?? dest, temporary: r.path === void 0, unverified: r.unverified === true };
}
async function planOne(pkg, index, repos, tmp, opts) {
  const { nevra, choice } = target(pkg, opts.upgrades);
  const rpmPath = join2(tmp, `${index}.rpm`);
  const wrongBuilds = [];
  for (const repo of repos) {
    const build = await repo.find(nevra);
    if (!build) continue;
    if (choice === "exact" && build.sha256 && build.sha256 !== pkg.pkgid) {
      wrongBuilds.push(`${repo.url} serves a different build of ${formatNevra(nevra)} (sha256 ${build.sha256}, the manifest says ${pkg.pkgid})`);
      continue;
    }
    const got = await download(repo, build, rpmPath, opts.deferLocalCheck && choice === "exact", choice === "exact" ? opts.memory : void 0);
    if (choice === "exact" && got.sha256 !== pkg.pkgid) {
      got.release?.();
      if (got.temporary) await rm(got.rpmPath, { force: true });
      wrongBuilds.push(`${repo.url} serves a different build of ${formatNevra(nevra)} (sha256 ${got.sha256}, the manifest says ${pkg.pkgid})`);
      continue;
    }
    return { index, original: pkg, nevra, choice, repo, build, ...got, advisories: [] };
  }
  if (wrongBuilds.length > 0 && opts.substitute !== "minor") throw new ChecksumMismatchError(wrongBuilds[0]);
  if (choice === "exact" && opts.substitute === "minor") {
    let best;
    for (const repo of repos) {
      for (const b of await repo.versions(pkg.name, pkg.arch)) {
        if (b.nevra.epoch !== pkg.epoch || b.nevra.version !== pkg.version || compareEvr(b.nevra, pkg) <= 0) continue;
        if (!best || compareEvr(b.nevra, best.build.nevra) > 0) best = { repo, build: b };
      }
    }
    if (best) {
      const got = await download(best.repo, best.build, rpmPath);
      return { index, original: pkg, nevra: best.build.nevra, choice: "substitute", repo: best.repo, build: best.build, ...got, advisories: [] };
    }
  }
  if (wrongBuilds.length > 0) throw new ChecksumMismatchError(wrongBuilds[0]);
  const hint = choice === "exact" ? opts.substitute ? " and no newer release of the same version either" : "; --substitute minor would accept a newer release of the same version" : "";
  throw new NotFoundError(`${formatNevra(nevra)} is in no repository (${repos.map((r) => r.url).join(", ")})${hint}`);
}
async function planBuilds(packages, needed, repos, tmp, opts, onReady) {
  const wanted = [...needed].filter((i) => i < packages.length).map((i) => ({ p: packages[i], i }));
  const plan = { builds: [], substitutions: [], upgrades: [], advisories: [] };
  plan.builds = await mapLimit(wanted, opts.concurrency ?? 2, async ({ p, i }) => {
    const b = await planOne(p, i, repos, tmp, opts);
    try {
      await checkBuild(b, repos, opts, plan);
      await onReady?.(b);
    } finally {
      b.bytes = void 0;
      b.release?.();
      b.release = void 0;
    }
    return b;
  });
  plan.substitutions.sort();
  plan.upgrades.sort();
  plan.advisories.sort();
  return plan;
}
async function checkBuild(b, repos, opts, plan) {
  const from = b.original.decomposedAs ?? formatNevra(b.original);
  if (b.choice === "substitute") plan.substitutions.push(`${from} \u2192 ${formatEvr(b.nevra)}`);
  if (b.choice === "upgrade") plan.upgrades.push(`${from} \u2192 ${formatEvr(b.nevra)}`);
  const ids = /* @__PURE__ */ new Set();
  for (const repo of repos) for (const id of await repo.advisoriesSuperseding?.(b.nevra) ?? []) ids.add(id);
  for (const id of await opts.proxyAdvisories?.(b.original, b.nevra) ?? []) ids.add(id);
  b.advisories = [...ids];
  for (const id of ids) {
    const line = `${formatNevra(b.nevra)}: superseded by security advisory ${id}`;
    plan.advisories.push(line);
    if (!opts.allowVulnerable) throw new VulnerableBuildError(`${line}; restoring it needs --allow-vulnerable`);
    opts.log(`warning: ${line} (restored anyway: --allow-vulnerable)`);
  }
  if (b.choice !== "exact") opts.log(`${b.choice}: ${from} \u2192 ${formatNevra(b.nevra)}`);
}

// src/image/restoreWrite.ts
import { open } from "node:fs/promises";

// src/image/headerRewrite.ts
function setChecksum(b) {
  b.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  const s = sum.toString(8).padStart(6, "0");
  for (let i = 0; i < 6; i++) b[148 + i] = s.charCodeAt(i);
  b[154] = 0;
  b[155] = 32;
}
function setSize(b, size) {
  if (size < 8 ** 11) {
    const s = size.toString(8).padStart(11, "0");
    for (let i = 0; i < 11; i++) b[124 + i] = s.charCodeAt(i);
    b[135] = 0;
  } else {
    b[124] = 128;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      b[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  setChecksum(b);
}
function paxRecord(key, value) {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from("\n")]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}
var padTo = (n) => (BLOCK - n % BLOCK) % BLOCK;
function rewriteEntrySize(header, size) {
  const out = [];
  let pos = 0;
  let paxHasSize = false;
  while (pos + BLOCK <= header.length) {
    const block = Uint8Array.prototype.slice.call(header.subarray(pos, pos + BLOCK));
    const f = parseHeaderBlock(block, pos);
    pos += BLOCK;
    if (f.typeflag === "x" || f.typeflag === "L" || f.typeflag === "K") {
      const data = header.subarray(pos, pos + f.size);
      pos += f.size + padTo(f.size);
      if (f.typeflag === "x") {
        const records = parsePaxRecords(data, pos);
        if (records.has("size")) {
          paxHasSize = true;
          records.set("size", Buffer.from(String(size)));
          const newData = Buffer.concat([...records].map(([k, v]) => paxRecord(k, v)));
          setSize(block, newData.length);
          out.push(block, newData, new Uint8Array(padTo(newData.length)));
          continue;
        }
      }
      out.push(block, header.subarray(pos - f.size - padTo(f.size), pos));
      continue;
    }
    if (pos !== header.length) throw new TarFormatError("cannot rewrite the size of an entry with blocks after its header");
    if (paxHasSize) {
      if (size < 8 ** 11) setSize(block, size);
    } else {
      setSize(block, size);
    }
    out.push(block);
  }
  return Buffer.concat(out);
}

// src/image/restoreWrite.ts
async function put(out, chunk, written) {
  if (!out.write(chunk, written && ((e) => void (e ? void 0 : written())))) {
    await new Promise((resolve, reject) => {
      const ok = () => {
        out.off("error", bad);
        resolve();
      };
      const bad = (e) => {
        out.off("drain", ok);
        reject(e);
      };
      out.once("drain", ok);
      out.once("error", bad);
    });
  }
}
var ZEROS2 = new Uint8Array(64 << 10);
async function writeImage(residualPath, spool, out, progress, totalHint = 0, reuseBuffers = false) {
  const h = createStreamHasher(totalHint);
  let size = 0;
  const write = async (chunk, written) => {
    const waiting = h.update(chunk);
    await put(out, chunk, written);
    await waiting;
  };
  const pool = [];
  let batch = Buffer.allocUnsafe(BATCH2);
  let batched = 0;
  const flush = async () => {
    if (batched === 0) return;
    const owner = batch;
    const full = batch.subarray(0, batched);
    batch = pool.pop() ?? Buffer.allocUnsafe(BATCH2);
    batched = 0;
    await write(
      full,
      reuseBuffers ? () => {
        if (pool.length < 16) pool.push(owner);
      } : void 0
    );
  };
  const emit = async (chunk) => {
    size += chunk.length;
    if (chunk.length > BATCH2 - batched) {
      await flush();
      if (chunk.length >= BATCH2 / 2) return write(chunk);
    }
    batch.set(chunk, batched);
    batched += chunk.length;
  };
  const handles = /* @__PURE__ */ new Map();
  const spoolHandle = (path) => {
    let fh = handles.get(path);
    if (!fh) {
      fh = open(path, "r");
      handles.set(path, fh);
    }
    return fh;
  };
  let held;
  let skip = 0;
  let original;
  progress?.start("restoring", totalHint, "bytes");
  const window = [];
  let windowBytes = 0;
  const readSmall = async (f) => {
    const fh = await spoolHandle(f.file);
    const buf = Buffer.allocUnsafe(f.size);
    let done = 0;
    while (done < f.size) {
      const { bytesRead } = await fh.read(buf, done, f.size - done, f.offset + done);
      if (bytesRead === 0) throw new VerificationError(`the spool ends inside a file (${f.size} bytes at ${f.offset} of ${f.file})`);
      done += bytesRead;
    }
    return buf;
  };
  const handle = async (rec, data) => {
    if (rec.op !== "ref" && held) {
      await emit(held);
      held = void 0;
    }
    switch (rec.op) {
      case "hdr":
        held = rec.bytes;
        skip = 0;
        break;
      case "raw": {
        const cut = Math.min(skip, rec.bytes.length);
        skip -= cut;
        await emit(rec.bytes.subarray(cut));
        break;
      }
      case "zero": {
        const cut = Math.min(skip, rec.size);
        skip -= cut;
        let left = rec.size - cut;
        while (left > 0) {
          const n = Math.min(left, ZEROS2.length);
          await emit(ZEROS2.subarray(0, n));
          left -= n;
        }
        break;
      }
      case "ref": {
        const file = spool.get(refKey(rec.pkg, rec.digest));
        const header = held;
        held = void 0;
        if (!header) throw new ResidualFormatError("residual is corrupt: a file reference without its header");
        if (!file) {
          skip = (512 - rec.size % 512) % 512;
          break;
        }
        const resized = file.size !== rec.size;
        await emit(resized ? rewriteEntrySize(header, file.size) : header);
        if (file.data) await emit(file.data);
        else if (data) await emit(await data);
        else await copyRange(await spoolHandle(file.file), file, emit);
        if (resized) {
          await emit(ZEROS2.subarray(0, (512 - file.size % 512) % 512));
          skip = (512 - rec.size % 512) % 512;
        }
        break;
      }
      case "end":
        original = { sha256: rec.sha256, size: rec.size };
        break;
    }
    progress?.update(size);
  };
  try {
    for await (const rec of readResidual(residualPath)) {
      let data;
      if (rec.op === "ref") {
        const f = spool.get(refKey(rec.pkg, rec.digest));
        if (f && !f.data && f.size <= SMALL) {
          data = readSmall(f);
          data.catch(() => {
          });
          windowBytes += f.size;
        }
      }
      window.push({ rec, data });
      while (window.length > 256 || windowBytes > WINDOW_BYTES) {
        const item = window.shift();
        if (item.data) windowBytes -= item.rec.size;
        await handle(item.rec, item.data);
      }
    }
    for (const item of window) await handle(item.rec, item.data);
    if (held) await emit(held);
    await flush();
  } finally {
    progress?.done();
    await Promise.all([...handles.values()].map((fh) => fh.then((h2) => h2.close(), () => {
    })));
  }
  if (!original) throw new ResidualFormatError("residual is truncated (no end record)");
  return { sha256: await h.digest(), size, original };
}
var BATCH2 = 1 << 20;
var READ = 4 << 20;
var SMALL = 1 << 20;
var WINDOW_BYTES = 16 << 20;
async function copyRange(fh, f, emit) {
  let done = 0;
  while (done < f.size) {
    const buf = Buffer.allocUnsafe(Math.min(READ, f.size - done));
    const { bytesRead } = await fh.read(buf, 0, buf.length, f.offset + done);
    if (bytesRead === 0) throw new VerificationError(`the spool ends inside a file (${f.size} bytes at ${f.offset} of ${f.file})`);
    done += bytesRead;
    await emit(buf.subarray(0, bytesRead));
  }
}

// src/image/spoolWorkers.ts
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
function restoreWorkerEntry() {
  const here = import.meta.url;
  const candidates = here.endsWith(".ts") ? ["./restoreWorker.ts"] : ["./restore-worker.js", "../restore-worker.js"];
  for (const c of candidates) {
    const url = new URL(c, here);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) return url;
  }
  return void 0;
}
function revive(e) {
  const cls = errors_exports[e.name];
  if (typeof cls === "function" && cls.prototype instanceof YumvaultError && cls !== YumvaultError) {
    return new cls(e.message);
  }
  if (e.code) return new YumvaultError(e.code, e.message);
  return new Error(e.message);
}
var SpoolWorkers = class {
  idle = [];
  all = [];
  waiting = [];
  entry;
  size;
  constructor(entry, size) {
    this.entry = entry;
    this.size = Math.max(1, size);
  }
  /** Starts the threads now (they load their code while the caller reads the residual). */
  warm(count = this.size) {
    while (this.all.length < Math.min(count, this.size)) {
      const w = new Worker(this.entry);
      this.all.push(w);
      this.idle.push(w);
    }
  }
  acquire() {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.all.length < this.size) {
      const fresh = new Worker(this.entry);
      this.all.push(fresh);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(w) {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }
  /** Sends one message to a free worker and waits for its answer; a worker that broke is replaced. */
  async call(msg) {
    const w = await this.acquire();
    let broken = false;
    try {
      return await new Promise((resolve, reject) => {
        const onMessage = (a) => {
          cleanup();
          resolve(a);
        };
        const onError = (e) => {
          broken = true;
          cleanup();
          reject(e);
        };
        const onExit = (code) => onError(new Error(`a restore worker stopped (exit code ${code})`));
        const cleanup = () => {
          w.off("message", onMessage);
          w.off("error", onError);
          w.off("exit", onExit);
        };
        w.on("message", onMessage);
        w.on("error", onError);
        w.on("exit", onExit);
        w.postMessage(msg);
      });
    } finally {
      if (broken) {
        this.all.splice(this.all.indexOf(w), 1);
        void w.terminate();
      } else this.release(w);
    }
  }
  /** Extracts one build on a worker: refKey → spooled file; the worker's log lines go to `log`. */
  async run(job, log) {
    const answer = await this.call(job);
    if (!answer.ok) throw revive(answer.error);
    for (const l of answer.logs) log(l);
    const buffers = [void 0, answer.buffer, answer.whole];
    const out = /* @__PURE__ */ new Map();
    for (const [key, offset, size, where] of answer.refs) {
      const b = buffers[where];
      out.set(key, b ? { file: "", offset: 0, size, data: Buffer.from(b, offset, size) } : { file: job.spoolFile, offset, size });
    }
    return out;
  }
  /** Place jobs sent to each started worker and not answered yet, oldest first (tryPlace). */
  placing = /* @__PURE__ */ new Map();
  /**
   * Sends a place job to the started worker with the fewest unanswered ones, if it has fewer than `depth`;
   * undefined when none has. A worker takes its jobs in order, so one sent while it still works on another
   * starts as soon as that one ends, without waiting for this thread to hear of it. (Not to be mixed with
   * run() on the same workers.)
   */
  tryPlace(job, depth) {
    let best;
    for (const w2 of this.all) if (!best || this.inFlight(w2) < this.inFlight(best)) best = w2;
    if (!best || this.inFlight(best) >= depth) return void 0;
    const w = best;
    let queue = this.placing.get(w);
    if (!queue) {
      const q = [];
      this.placing.set(w, queue = q);
      const fail = (e) => {
        const at = this.all.indexOf(w);
        if (at >= 0) this.all.splice(at, 1);
        for (const p of q.splice(0)) p.reject(e);
      };
      w.on("message", (a) => {
        const p = q.shift();
        if (a.ok) p?.resolve();
        else p?.reject(revive(a.error));
      });
      w.on("error", fail);
      w.on("exit", (code) => fail(new Error(`a restore worker stopped (exit code ${code})`)));
    }
    const answered = new Promise((resolve, reject) => queue.push({ resolve, reject }));
    w.postMessage(job, job.rpmBytes ? [job.rpmBytes] : []);
    return answered;
  }
  inFlight(w) {
    return this.placing.get(w)?.length ?? 0;
  }
  /** Worker threads started so far. */
  get started() {
    return this.all.length;
  }
  async close() {
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
};

// src/image/restore.ts
function upgradeMap(u, manifest) {
  const m = u instanceof Map ? new Map(u) : new Map(Object.entries(u ?? {}));
  for (const name of m.keys()) {
    if (!manifest.packages.some((p) => p.name === name || `${p.name}.${p.arch}` === name)) {
      throw new UsageError(`--upgrade ${name}: the image has no package named ${name}`);
    }
  }
  return m;
}
function outputKind(out) {
  return out.endsWith(".gz") ? "gzip" : out.endsWith(".zst") ? "zstd" : void 0;
}
function outputStream(out, file) {
  const kind = outputKind(out);
  if (!kind) return { feed: file, done: Promise.resolve() };
  const feed = new PassThrough({ highWaterMark: 1 << 20 });
  return { feed, done: pipeline(feed, createCompressor(kind), file, { end: false }) };
}
function restoreWorkerCount(cores = availableParallelism()) {
  return Math.max(2, Math.min(cores - 1, 4));
}
function placeWorkerCount(cores = availableParallelism()) {
  return Math.max(1, Math.min(cores - 1, 3));
}
async function restoreImage(opts) {
  const workerEntry = opts.deps ? void 0 : opts.workerEntry ?? restoreWorkerEntry();
  const concurrency = opts.concurrency ?? restoreWorkerCount();
  const workers = workerEntry ? new SpoolWorkers(workerEntry, concurrency) : void 0;
  workers?.warm(opts.concurrency === void 0 ? placeWorkerCount() : Math.max(1, concurrency - 1));
  let tmp;
  let forgetTmp = () => {
  };
  let repos = [];
  try {
    const deps = opts.deps ?? (await import("./sources-4FDACG7M.js")).defaultDeps();
    const log = opts.log ?? (() => {
    });
    const manifest = await readManifest(opts.dir);
    const upgrades = upgradeMap(opts.upgrades, manifest);
    if ((await stat(opts.out).catch(() => void 0))?.isDirectory()) throw new UsageError(`--out ${opts.out} is a directory: give the path of the image file to write`);
    if (outputKind(opts.out) === void 0) await ensureFreeSpace(opts.out, manifest.image.size, `restoring ${opts.out}`);
    tmp = await mkdtemp(join3(opts.tempDir ?? tmpdir(), "yumvault-restore-"));
    forgetTmp = removeIfInterrupted(tmp);
    repos = opts.repos.map((url) => deps.openRepo(url));
    const ctx = { opts, deps, manifest, upgrades, repos, workers, concurrency, tmp, log };
    const inPlace = (opts.writeMode ?? "auto") === "auto" && !opts.substitute && outputKind(opts.out) === void 0 && allExactTargets(manifest.packages, upgrades);
    return inPlace ? await restoreInPlace(ctx) : await restoreStreaming(ctx);
  } finally {
    await workers?.close();
    if (tmp) await rm2(tmp, { recursive: true, force: true });
    forgetTmp();
    await Promise.all(repos.map((r) => r.close?.()));
  }
}
function planOptions(ctx) {
  const { opts, log } = ctx;
  return {
    upgrades: ctx.upgrades,
    substitute: opts.substitute,
    allowVulnerable: opts.allowVulnerable,
    log,
    proxyAdvisories: opts.proxyUrl ? proxyAdvisoryLookup(opts.proxyUrl, log) : void 0,
    // With workers, builds are fetched well ahead of the threads that write them, which queue: otherwise
    // a thread idles while its next build downloads (or, from a local repository, while the main thread,
    // busy writing a build of its own, gets to the next one).
    concurrency: ctx.workers ? 16 : ctx.concurrency
  };
}
function summary(ctx, plan, written, exact) {
  return {
    sha256: written.sha256,
    size: written.size,
    packages: ctx.manifest.packages.length,
    verified: exact ? "exact" : "per-file",
    substitutions: plan.substitutions,
    upgrades: plan.upgrades,
    advisories: plan.advisories
  };
}
function deferred() {
  const d = Promise.withResolvers();
  d.promise.catch(() => {
  });
  return d;
}
function imageMismatch(got, manifest, out) {
  return new VerificationError(`the restored image has sha256 ${got.sha256} (${got.size} bytes), the manifest says ${manifest.image.sha256} (${manifest.image.size} bytes); nothing was written to ${out}`);
}
async function restoreInPlace(ctx) {
  const { opts, manifest, workers, log } = ctx;
  const target2 = await createAtomicFile(opts.out);
  let fd;
  let hasher;
  let flushing;
  try {
    fd = openSync2(target2.tempPath, "r+");
    ftruncateSync(fd, manifest.image.size);
    const out = fd;
    let verifying = false;
    hasher = createFileHasher(target2.tempPath, (n) => verifying && opts.progress?.update(n));
    const writer = positionedWriter(out);
    const { needs, spans } = await scanResidual(opts.dir, manifest, writer.put);
    writer.flush();
    let written = manifest.image.size - [...needs.values()].reduce((n, need) => n + referencedBytes(need), 0);
    opts.progress?.start("writing", manifest.image.size, "bytes");
    opts.progress?.update(written);
    const built = new Map([...needs.keys()].map((k) => [k, deferred()]));
    const stopped = new Error("restore stopped");
    let stopping = false;
    const unverified = [];
    const place = workers ? placeDispatch(workers, (job) => placeBuild(job, out)) : void 0;
    const planning = planBuilds(manifest.packages, new Set(needs.keys()), ctx.repos, ctx.tmp, { ...planOptions(ctx), deferLocalCheck: workers !== void 0, memory: workers ? new MemoryBudget(DOWNLOADS_IN_MEMORY) : void 0 }, async (b) => {
      if (stopping) throw stopped;
      const job = { index: b.index, choice: b.choice, nevra: b.nevra };
      const need = needs.get(b.index) ?? [];
      try {
        if (b.unverified) unverified.push({ rpmPath: b.rpmPath, sha256: b.sha256 });
        const expect = b.unverified ? { expectSha256: b.sha256, expectHeaderSha256: b.original.headerSha256 || void 0 } : {};
        if (place) await place({ job, rpmPath: b.rpmPath, rpmBytes: b.bytes?.buffer, needs: need, outPath: target2.tempPath, ...expect });
        else {
          const pkg = await ctx.deps.openPackage(b.rpmPath);
          try {
            await placeContents(job, pkg.files, pkg.payload, need, out);
          } finally {
            await pkg.close();
          }
        }
      } finally {
        if (b.temporary) await rm2(b.rpmPath, { force: true });
      }
      built.get(b.index)?.resolve();
      written += referencedBytes(need);
      if (!verifying) opts.progress?.update(written);
    });
    planning.catch((e) => {
      for (const d of built.values()) d.reject(e);
    });
    const following = followImage(spans, manifest.image.size, (pkg) => built.get(pkg)?.promise ?? Promise.resolve(), hasher);
    following.catch(() => stopping = true);
    const [planned, followed] = await Promise.allSettled([planning, following]);
    if (planned.status === "rejected" && planned.reason !== stopped) throw planned.reason;
    if (followed.status === "rejected") throw followed.reason;
    if (planned.status === "rejected") throw planned.reason;
    const plan = planned.value;
    log(`${plan.builds.length} builds fetched and written in place`);
    verifying = true;
    opts.progress?.start("verifying sha256", manifest.image.size, "bytes");
    flushing = flushToDisk(fd);
    const [result] = await Promise.all([hasher.digest(), flushing]);
    closeSync2(fd);
    fd = void 0;
    opts.progress?.done();
    if (result.sha256 !== manifest.image.sha256 || result.size !== manifest.image.size) {
      for (const u of unverified) await checkWholeFile(u.rpmPath, u.sha256);
      throw imageMismatch(result, manifest, opts.out);
    }
    await target2.commit();
    return summary(ctx, plan, result, true);
  } catch (e) {
    opts.progress?.done();
    await flushing;
    if (fd !== void 0) closeSync2(fd);
    await hasher?.close();
    await target2.abort();
    throw e;
  }
}
var DOWNLOADS_IN_MEMORY = 256 << 20;
function flushToDisk(fd) {
  return new Promise((resolve) => fdatasync(fd, () => resolve()));
}
async function restoreStreaming(ctx) {
  const { opts, deps, manifest, workers, tmp, log } = ctx;
  const { needs } = await scanResidual(opts.dir, manifest);
  await mkdir(join3(tmp, "spool"));
  let spooled = 0;
  const spoolIndex = /* @__PURE__ */ new Map();
  const memory = { budget: opts.spoolMemory ?? Math.min(2 * 1024 ** 3, Math.floor(freemem() / 4)), used: 0 };
  const parts = [];
  opts.progress?.start("fetching and extracting builds", needs.size, "items");
  const plan = await planBuilds(manifest.packages, new Set(needs.keys()), ctx.repos, tmp, planOptions(ctx), async (b) => {
    const need = needs.get(b.index) ?? [];
    if (workers) {
      const sizes = new Map(need.map((n) => [n.digest, n.size]));
      const estimate = [...sizes.values()].reduce((a, n) => a + n, 0);
      const inMemory = memory.used + estimate <= memory.budget;
      if (inMemory) memory.used += estimate;
      const job = { index: b.index, choice: b.choice, nevra: b.nevra };
      parts.push(await workers.run({ job, rpmPath: b.rpmPath, needs: need, inMemory, spoolFile: join3(tmp, "spool", `${b.index}.spool`) }, log));
    } else {
      parts.push(await spoolBuild(deps, b, need, join3(tmp, "spool"), spoolIndex, memory, log));
    }
    if (b.temporary) await rm2(b.rpmPath, { force: true });
    opts.progress?.update(++spooled);
  });
  opts.progress?.done();
  log(`${plan.builds.length} builds fetched and extracted`);
  const spool = new Map(parts.flatMap((m) => [...m]));
  const exact = plan.builds.every((b) => b.choice === "exact");
  const target2 = await createAtomicFile(opts.out);
  try {
    const { feed, done } = outputStream(opts.out, target2.stream);
    const written = await writeImage(join3(opts.dir, RESIDUAL_FILE), spool, feed, opts.progress, manifest.image.size, feed === target2.stream);
    if (feed !== target2.stream) {
      feed.end();
      await done;
    }
    if (exact && (written.sha256 !== manifest.image.sha256 || written.size !== manifest.image.size)) throw imageMismatch(written, manifest, opts.out);
    await target2.commit();
    if (!exact) log(`restored with other builds: new image sha256 ${written.sha256} (the original was ${manifest.image.sha256})`);
    return summary(ctx, plan, written, exact);
  } catch (e) {
    await target2.abort();
    throw e;
  }
}

export {
  restoreImage
};
