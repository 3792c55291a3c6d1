#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  checkPkgid,
  openPayloadFiles
} from "./chunk-3OVKAOUI.js";
import {
  nodeHashName
} from "./chunk-3RHWSWVI.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";
import {
  formatNevra
} from "./chunk-ED73BUU6.js";
import {
  ChecksumMismatchError
} from "./chunk-JAH4FOK6.js";

// src/image/spool.ts
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
var ARENA = 32 << 20;
var OWN_BUFFER = 4 << 20;
function memorySlot(memory, size) {
  if (memory.used + size > memory.budget) return void 0;
  memory.used += size;
  if (size >= OWN_BUFFER) return Buffer.allocUnsafeSlow(size);
  let a = memory.arena;
  if (!a || a.buf.length - a.used < size) {
    a = memory.arena = { buf: Buffer.allocUnsafeSlow(Math.min(ARENA, Math.max(OWN_BUFFER, memory.budget - memory.used + size))), used: 0 };
  }
  const slot = a.buf.subarray(a.used, a.used + size);
  a.used += size;
  return slot;
}
function longerThanHeader(job, f) {
  return new ChecksumMismatchError(`${formatNevra(job.nevra)}: ${f.path} in its payload is longer than its header's ${f.size} bytes`);
}
function lacksContent(job, digest, which) {
  return new ChecksumMismatchError(`${formatNevra(job.nevra)}: its payload lacks the file with digest ${digest} (${which}); the package is corrupt`);
}
var refKey = (pkg, digest) => `${pkg}\0${digest}`;
var BATCH = 1 << 20;
function wantedContents(job, files, needs, log) {
  const wanted = /* @__PURE__ */ new Map();
  const byPath = /* @__PURE__ */ new Map();
  if (job.choice !== "exact") for (const f of files) byPath.set(f.path, f);
  for (const n of needs) {
    let key = n.digest;
    if (job.choice !== "exact") {
      const f = byPath.get(n.path);
      if (!f || !f.digest || !nodeHashName(f.digestAlgo)) {
        log(`${formatNevra(job.nevra)} has no file ${n.path}: it is left out of the restored image`);
        continue;
      }
      key = f.digest.toLowerCase();
    }
    const list = wanted.get(key) ?? [];
    list.push(refKey(job.index, n.digest));
    wanted.set(key, list);
  }
  return wanted;
}
async function extractContents(job, files, payload, wanted, sink, index) {
  const out = /* @__PURE__ */ new Map();
  let offset = 0;
  for await (const entry of payload) {
    const f = files[entry.fileIndex];
    const digest = f?.digest.toLowerCase();
    const keys = digest ? wanted.get(digest) : void 0;
    if (!f || !digest || !keys) continue;
    wanted.delete(digest);
    const contentKey = `${f.digestAlgo}-${digest}`;
    let loc = index.get(contentKey);
    if (!loc) {
      const h = job.choice !== "exact" ? createHash(nodeHashName(f.digestAlgo)) : void 0;
      let pending = sink.adopt !== void 0 && f.size > 0;
      let data = pending ? void 0 : sink.slot(f.size);
      let adopted = false;
      const start = offset;
      let got = 0;
      for await (const chunk of entry.body) {
        h?.update(chunk);
        if (pending) {
          pending = false;
          data = chunk.length === f.size ? sink.adopt(chunk) : void 0;
          if (data) {
            adopted = true;
            got = chunk.length;
            continue;
          }
          data = sink.slot(f.size);
        }
        if (adopted) throw longerThanHeader(job, f);
        if (data) {
          if (got + chunk.length > f.size) throw longerThanHeader(job, f);
          data.set(chunk, got);
        } else {
          offset += chunk.length;
          await sink.append(chunk);
        }
        got += chunk.length;
      }
      const digestGot = h ? h.digest("hex") : digest;
      if (digestGot !== digest || got !== f.size) {
        throw new ChecksumMismatchError(`${formatNevra(job.nevra)}: ${f.path} in its payload hashes to ${digestGot} (${got} bytes), its header says ${f.digest} (${f.size} bytes)`);
      }
      loc = data ? { file: "", offset: 0, size: f.size, data } : { file: sink.file, offset: start, size: f.size };
      index.set(contentKey, loc);
    }
    for (const k of keys) out.set(k, loc);
  }
  for (const [digest, keys] of wanted) {
    const f = files.find((x) => x.digest.toLowerCase() === digest);
    if (f && f.size === 0) {
      for (const k of keys) out.set(k, { file: sink.file, offset: 0, size: 0 });
      continue;
    }
    throw lacksContent(job, digest, `${keys.length} reference(s)`);
  }
  return out;
}
function batchedSpoolFile(path, batch) {
  let fd;
  let batched = 0;
  const flush = () => {
    fd ??= openSync(path, "w");
    let done = 0;
    while (done < batched) done += writeSync(fd, batch, done, batched - done);
    batched = 0;
  };
  return {
    append(chunk) {
      let from = 0;
      while (from < chunk.length) {
        const n = Math.min(chunk.length - from, batch.length - batched);
        batch.set(chunk.subarray(from, from + n), batched);
        batched += n;
        from += n;
        if (batched === batch.length) flush();
      }
    },
    finish: flush,
    close() {
      if (fd !== void 0) closeSync(fd);
      fd = void 0;
    }
  };
}
async function spoolBuild(deps, b, needs, spoolDir, index, memory, log) {
  const pkg = await deps.openPackage(b.rpmPath);
  const file = join(spoolDir, `${b.index}.spool`);
  const out = batchedSpoolFile(file, Buffer.allocUnsafe(BATCH));
  const sink = { file, slot: (size) => memorySlot(memory, size), append: out.append };
  try {
    const got = await extractContents(b, pkg.files, pkg.payload, wantedContents(b, pkg.files, needs, log), sink, index);
    out.finish();
    return got;
  } finally {
    out.close();
    await pkg.close();
  }
}

// src/image/place.ts
import { writeSync as writeSync2 } from "node:fs";
function writeAllAt(fd, chunk, position) {
  let done = 0;
  while (done < chunk.length) done += writeSync2(fd, chunk, done, chunk.length - done, position + done);
}
async function placeContents(job, files, payload, needs, fd) {
  const wanted = /* @__PURE__ */ new Map();
  for (const n of needs) wanted.set(n.digest, n);
  const take = (fileIndex) => {
    const f = files[fileIndex];
    const digest = f?.digest.toLowerCase();
    const need = digest ? wanted.get(digest) : void 0;
    if (!f || !digest || !need) return void 0;
    wanted.delete(digest);
    if (f.size !== need.size) {
      throw new ChecksumMismatchError(`${formatNevra(job.nevra)}: ${f.path} has ${f.size} bytes in its header, the residual recorded ${need.size} for that content`);
    }
    return { f, need };
  };
  const write = (f, need, chunk, got) => {
    if (got + chunk.length > need.size) throw longerThanHeader(job, f);
    for (const at of need.offsets) writeAllAt(fd, chunk, at + got);
    return got + chunk.length;
  };
  const check = (f, need, got) => {
    if (got !== need.size) throw new ChecksumMismatchError(`${formatNevra(job.nevra)}: ${f.path} in its payload has ${got} bytes, its header says ${f.size}`);
  };
  if (Symbol.iterator in payload) {
    for (const entry of payload) {
      if (wanted.size === 0) break;
      const found = take(entry.fileIndex);
      if (found) check(found.f, found.need, write(found.f, found.need, entry.data, 0));
    }
  } else {
    for await (const entry of payload) {
      if (wanted.size === 0) break;
      const found = take(entry.fileIndex);
      if (!found) continue;
      let got = 0;
      for await (const chunk of entry.body) got = write(found.f, found.need, chunk, got);
      check(found.f, found.need, got);
    }
  }
  for (const [digest, need] of wanted) {
    if (need.size === 0) continue;
    throw lacksContent(job, digest, need.path);
  }
}
async function placeBuild(msg, fd) {
  try {
    const bytes = msg.rpmBytes ? Buffer.from(msg.rpmBytes) : void 0;
    const p = await openPayloadFiles(msg.rpmPath, { whole: true, reuse: true, bytes, expectSha256: msg.expectSha256, expectHeaderSha256: msg.expectHeaderSha256 });
    try {
      await placeContents(msg.job, p.files, p.wholeFiles ?? p.payload, msg.needs, fd);
    } finally {
      p.close();
    }
  } catch (e) {
    if (msg.expectSha256) await checkWholeFile(msg.rpmPath, msg.expectSha256, e);
    throw e;
  }
}
async function checkWholeFile(rpmPath, expectSha256, otherwise) {
  let digest;
  try {
    digest = (await hashFile(rpmPath)).digest;
  } catch (e) {
    throw otherwise ?? e;
  }
  checkPkgid(rpmPath, digest, expectSha256);
}

export {
  refKey,
  wantedContents,
  extractContents,
  batchedSpoolFile,
  spoolBuild,
  writeAllAt,
  placeContents,
  placeBuild,
  checkWholeFile
};
