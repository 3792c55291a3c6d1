#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  getApiJson,
  mapLimit
} from "./chunk-TEU6NFCS.js";
import {
  hashFile,
  readResidual
} from "./chunk-VCEPBYAM.js";
import {
  refKey,
  spoolBuild
} from "./chunk-Z2FNXS43.js";
import {
  createStreamHasher
} from "./chunk-IETEINGY.js";
import {
  RESIDUAL_FILE,
  parseEvr,
  readManifest
} from "./chunk-HA62TIH6.js";
import {
  BLOCK,
  parseHeaderBlock,
  parsePaxRecords
} from "./chunk-A3N4256W.js";
import {
  createAtomicFile
} from "./chunk-C7CWKH4Y.js";
import {
  formatNevra
} from "./chunk-ED73BUU6.js";
import {
  createCompressor
} from "./chunk-LEQKWHWL.js";
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
} from "./chunk-XUHX776R.js";

// src/image/restore.ts
import { mkdir, mkdtemp, rm as rm2 } from "node:fs/promises";
import { freemem, tmpdir } from "node:os";
import { join as join2 } from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";

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
import { join } from "node:path";
function target(pkg, upgrades) {
  const base = { name: pkg.name, epoch: pkg.epoch, version: pkg.version, release: pkg.release, arch: pkg.arch };
  const evr = upgrades.get(pkg.name) ?? upgrades.get(`${pkg.name}.${pkg.arch}`);
  if (evr !== void 0) return { nevra: { ...base, ...parseEvr(evr) }, choice: "upgrade" };
  if (pkg.decomposedAs && pkg.decomposedAs !== formatNevra(base)) return { nevra: base, choice: "upgrade" };
  return { nevra: base, choice: "exact" };
}
async function download(repo, build, dest) {
  const r = await repo.download(build, dest);
  return { sha256: r.sha256, rpmPath: r.path ?? dest, temporary: r.path === void 0 };
}
async function planOne(pkg, index, repos, tmp, opts) {
  const { nevra, choice } = target(pkg, opts.upgrades);
  const rpmPath = join(tmp, `${index}.rpm`);
  const wrongBuilds = [];
  for (const repo of repos) {
    const build = await repo.find(nevra);
    if (!build) continue;
    if (choice === "exact" && build.sha256 && build.sha256 !== pkg.pkgid) {
      wrongBuilds.push(`${repo.url} serves a different build of ${formatNevra(nevra)} (sha256 ${build.sha256}, the manifest says ${pkg.pkgid})`);
      continue;
    }
    const got = await download(repo, build, rpmPath);
    if (choice === "exact" && got.sha256 !== pkg.pkgid) {
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
  const wanted = packages.map((p, i) => ({ p, i })).filter(({ i }) => needed.has(i));
  const plan = { builds: [], substitutions: [], upgrades: [], advisories: [] };
  plan.builds = await mapLimit(wanted, opts.concurrency ?? 2, async ({ p, i }) => {
    const b = await planOne(p, i, repos, tmp, opts);
    await checkBuild(b, repos, opts, plan);
    await onReady?.(b);
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
var ZEROS = new Uint8Array(64 << 10);
async function writeImage(residualPath, spool, out, progress, totalHint = 0, reuseBuffers = false) {
  const h = createStreamHasher(totalHint);
  let size = 0;
  const write = async (chunk, written) => {
    const waiting = h.update(chunk);
    await put(out, chunk, written);
    await waiting;
  };
  const pool = [];
  let batch = Buffer.allocUnsafe(BATCH);
  let batched = 0;
  const flush = async () => {
    if (batched === 0) return;
    const owner = batch;
    const full = batch.subarray(0, batched);
    batch = pool.pop() ?? Buffer.allocUnsafe(BATCH);
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
    if (chunk.length > BATCH - batched) {
      await flush();
      if (chunk.length >= BATCH / 2) return write(chunk);
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
          const n = Math.min(left, ZEROS.length);
          await emit(ZEROS.subarray(0, n));
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
          await emit(ZEROS.subarray(0, (512 - file.size % 512) % 512));
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
var BATCH = 1 << 20;
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
  /** Extracts one build on a worker: refKey → spooled file; the worker's log lines go to `log`. */
  async run(job, log) {
    const w = await this.acquire();
    let broken = false;
    try {
      const answer = await new Promise((resolve, reject) => {
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
        w.postMessage(job);
      });
      if (!answer.ok) throw revive(answer.error);
      for (const l of answer.logs) log(l);
      const buffers = [void 0, answer.buffer, answer.whole];
      const out = /* @__PURE__ */ new Map();
      for (const [key, offset, size, where] of answer.refs) {
        const b = buffers[where];
        out.set(key, b ? { file: "", offset: 0, size, data: Buffer.from(b, offset, size) } : { file: job.spoolFile, offset, size });
      }
      return out;
    } finally {
      if (broken) {
        this.all.splice(this.all.indexOf(w), 1);
        void w.terminate();
      } else this.release(w);
    }
  }
  async close() {
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
};

// src/image/restore.ts
async function readNeeds(dir, manifest) {
  const residualPath = join2(dir, RESIDUAL_FILE);
  const { digest, size } = await hashFile(residualPath).catch((e) => {
    throw new ResidualFormatError(`cannot read ${residualPath}: ${e.message}`);
  });
  if (digest !== manifest.residual.sha256 || size !== manifest.residual.size) {
    throw new ResidualFormatError(`${residualPath} does not match the manifest (sha256 ${digest}, ${size} bytes; the manifest says ${manifest.residual.sha256}, ${manifest.residual.size} bytes)`);
  }
  const needs = /* @__PURE__ */ new Map();
  for await (const rec of readResidual(residualPath)) {
    if (rec.op === "ref") {
      if (rec.pkg >= manifest.packages.length) throw new ResidualFormatError(`residual references package #${rec.pkg}; the manifest lists ${manifest.packages.length}`);
      const m = needs.get(rec.pkg) ?? /* @__PURE__ */ new Map();
      if (!m.has(rec.digest)) m.set(rec.digest, { digest: rec.digest, size: rec.size, path: rec.path });
      needs.set(rec.pkg, m);
    } else if (rec.op === "end" && (rec.sha256 !== manifest.image.sha256 || rec.size !== manifest.image.size)) {
      throw new ManifestError(`${join2(dir, "manifest.json")} belongs to another image than the residual (image sha256 ${manifest.image.sha256}, the residual's is ${rec.sha256})`);
    }
  }
  return new Map([...needs].map(([k, v]) => [k, [...v.values()]]));
}
function upgradeMap(u, manifest) {
  const m = u instanceof Map ? new Map(u) : new Map(Object.entries(u ?? {}));
  for (const name of m.keys()) {
    if (!manifest.packages.some((p) => p.name === name || `${p.name}.${p.arch}` === name)) {
      throw new UsageError(`--upgrade ${name}: the image has no package named ${name}`);
    }
  }
  return m;
}
function outputStream(out, file) {
  const kind = out.endsWith(".gz") ? "gzip" : out.endsWith(".zst") ? "zstd" : void 0;
  if (!kind) return { feed: file, done: Promise.resolve() };
  const feed = new PassThrough({ highWaterMark: 1 << 20 });
  return { feed, done: pipeline(feed, createCompressor(kind), file, { end: false }) };
}
async function restoreImage(opts) {
  const deps = opts.deps ?? (await import("./sources-J34XN5UQ.js")).defaultDeps();
  const workerEntry = opts.deps ? void 0 : restoreWorkerEntry();
  const concurrency = opts.concurrency ?? 2;
  const log = opts.log ?? (() => {
  });
  const manifest = await readManifest(opts.dir);
  const workers = workerEntry ? new SpoolWorkers(workerEntry, concurrency) : void 0;
  const upgrades = upgradeMap(opts.upgrades, manifest);
  workers?.warm();
  let needs;
  let tmp;
  try {
    needs = await readNeeds(opts.dir, manifest);
    tmp = await mkdtemp(join2(opts.tempDir ?? tmpdir(), "yumvault-restore-"));
  } catch (e) {
    await workers?.close();
    throw e;
  }
  const repos = opts.repos.map((url) => deps.openRepo(url));
  try {
    await mkdir(join2(tmp, "spool"));
    let spooled = 0;
    const spoolIndex = /* @__PURE__ */ new Map();
    const memory = { budget: opts.spoolMemory ?? Math.min(2 * 1024 ** 3, Math.floor(freemem() / 4)), used: 0 };
    const parts = [];
    opts.progress?.start("fetching and extracting builds", needs.size, "items");
    const plan = await planBuilds(
      manifest.packages,
      new Set(needs.keys()),
      repos,
      tmp,
      {
        upgrades,
        substitute: opts.substitute,
        allowVulnerable: opts.allowVulnerable,
        log,
        proxyAdvisories: opts.proxyUrl ? proxyAdvisoryLookup(opts.proxyUrl, log) : void 0,
        // With workers, builds are fetched and checked (sha256 of each .rpm) ahead of the workers, which
        // queue: otherwise a worker idles while its next build is hashed (measured: half the time).
        concurrency: workers ? concurrency * 4 : concurrency
      },
      async (b) => {
        const need = needs.get(b.index) ?? [];
        if (workers) {
          const sizes = new Map(need.map((n) => [n.digest, n.size]));
          const estimate = [...sizes.values()].reduce((a, n) => a + n, 0);
          const inMemory = memory.used + estimate <= memory.budget;
          if (inMemory) memory.used += estimate;
          const job = { index: b.index, choice: b.choice, nevra: b.nevra };
          parts.push(await workers.run({ job, rpmPath: b.rpmPath, needs: need, inMemory, spoolFile: join2(tmp, "spool", `${b.index}.spool`) }, log));
        } else {
          parts.push(await spoolBuild(deps, b, need, join2(tmp, "spool"), spoolIndex, memory, log));
        }
        if (b.temporary) await rm2(b.rpmPath, { force: true });
        opts.progress?.update(++spooled);
      }
    );
    opts.progress?.done();
    log(`${plan.builds.length} builds fetched and extracted`);
    const spool = new Map(parts.flatMap((m) => [...m]));
    const exact = plan.builds.every((b) => b.choice === "exact");
    const target2 = await createAtomicFile(opts.out);
    try {
      const { feed, done } = outputStream(opts.out, target2.stream);
      const written = await writeImage(join2(opts.dir, RESIDUAL_FILE), spool, feed, opts.progress, manifest.image.size, feed === target2.stream);
      if (feed !== target2.stream) {
        feed.end();
        await done;
      }
      if (exact && (written.sha256 !== manifest.image.sha256 || written.size !== manifest.image.size)) {
        throw new VerificationError(`the restored image has sha256 ${written.sha256} (${written.size} bytes), the manifest says ${manifest.image.sha256} (${manifest.image.size} bytes); nothing was written to ${opts.out}`);
      }
      await target2.commit();
      if (!exact) log(`restored with other builds: new image sha256 ${written.sha256} (the original was ${manifest.image.sha256})`);
      return {
        sha256: written.sha256,
        size: written.size,
        packages: manifest.packages.length,
        verified: exact ? "exact" : "per-file",
        substitutions: plan.substitutions,
        upgrades: plan.upgrades,
        advisories: plan.advisories
      };
    } catch (e) {
      await target2.abort();
      throw e;
    }
  } finally {
    await workers?.close();
    await rm2(tmp, { recursive: true, force: true });
    await Promise.all(repos.map((r) => r.close?.()));
  }
}

export {
  restoreImage
};
