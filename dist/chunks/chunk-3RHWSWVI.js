#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  normalizeTarPath,
  withTarFile
} from "./chunk-VJB3RVTA.js";
import {
  FileFlags,
  NODE_HASH_NAMES
} from "./chunk-7IXYQ7Q4.js";

// src/image/residualFormat.ts
var RESIDUAL_MAGIC = Uint8Array.of(89, 86, 82, 69, 83, 73, 68, 1);
var Op = { RAW: 1, ZERO: 2, REF: 3, HDR: 4, END: 127 };
var MAX_RAW = 1 << 20;
var MAX_HDR = (1 << 20) * 4;
function encodeUvarint(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint out of range: ${n}`);
  const out = [];
  let v = n;
  while (v >= 128) {
    out.push(v % 128 | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

// src/image/residualWriter.ts
function isAllZero(b) {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
var ResidualWriter = class {
  parts = [];
  pending = 0;
  out;
  /** Bytes of the image kept inline (RAW + HDR), elided as zeros, and referenced. */
  inlineBytes = 0;
  zeroBytes = 0;
  refBytes = 0;
  refCount = 0;
  constructor(out) {
    this.out = out;
    this.push(RESIDUAL_MAGIC);
  }
  push(b) {
    this.parts.push(b);
    this.pending += b.length;
  }
  async maybeFlush() {
    if (this.pending >= 256 << 10) await this.flush();
  }
  async flush() {
    if (this.pending === 0) return;
    const chunk = Buffer.concat(this.parts);
    this.parts = [];
    this.pending = 0;
    if (!this.out.write(chunk)) {
      await new Promise((resolve, reject) => {
        const onDrain = () => {
          this.out.off("error", onError);
          resolve();
        };
        const onError = (e) => {
          this.out.off("drain", onDrain);
          reject(e);
        };
        this.out.once("drain", onDrain);
        this.out.once("error", onError);
      });
    }
  }
  async header(bytes) {
    this.push(Uint8Array.of(Op.HDR));
    this.push(encodeUvarint(bytes.length));
    this.push(Uint8Array.prototype.slice.call(bytes));
    this.inlineBytes += bytes.length;
    await this.maybeFlush();
  }
  /** Archive bytes kept verbatim; `chunk` may be a view reused by the caller (it is copied). */
  async raw(chunk) {
    for (let off = 0; off < chunk.length; off += MAX_RAW) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + MAX_RAW));
      this.push(Uint8Array.of(Op.RAW));
      this.push(encodeUvarint(part.length));
      this.push(Uint8Array.prototype.slice.call(part));
      this.inlineBytes += part.length;
      await this.maybeFlush();
    }
  }
  async zero(size) {
    if (size === 0) return;
    this.push(Uint8Array.of(Op.ZERO));
    this.push(encodeUvarint(size));
    this.zeroBytes += size;
    await this.maybeFlush();
  }
  /** Bytes that are zeros become ZERO, anything else RAW (padding is nearly always zeros). */
  async rawOrZero(chunk) {
    if (isAllZero(chunk)) await this.zero(chunk.length);
    else await this.raw(chunk);
  }
  async ref(pkg, size, digestHex, path) {
    const digest = Buffer.from(digestHex, "hex");
    const p = Buffer.from(path, "utf8");
    this.push(Uint8Array.of(Op.REF));
    this.push(encodeUvarint(pkg));
    this.push(encodeUvarint(size));
    this.push(encodeUvarint(digest.length));
    this.push(digest);
    this.push(encodeUvarint(p.length));
    this.push(p);
    this.refBytes += size;
    this.refCount++;
    await this.maybeFlush();
  }
  async end(size, sha256Hex) {
    this.push(Uint8Array.of(Op.END));
    this.push(encodeUvarint(size));
    this.push(Buffer.from(sha256Hex, "hex"));
    await this.flush();
  }
};

// src/image/decomposePass.ts
import { createHash as createHash2 } from "node:crypto";

// src/image/hashWorker.ts
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
var WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const h = createHash('sha256');
parentPort.on('message', (m) => {
  if (m === null) return parentPort.postMessage(h.digest('hex'));
  h.update(new Uint8Array(m.buf, 0, m.len));
  parentPort.postMessage(m, [m.buf]);
});
`;
var SLAB = 1 << 20;
var MAX_OUT = 32;
function createStreamHasher(expectedBytes, minBytes = 64 << 20) {
  if (expectedBytes < minBytes) {
    const h = createHash("sha256");
    return { update: (c) => void h.update(c), digest: async () => h.digest("hex") };
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const free = [];
  let out = 0;
  let current = new Uint8Array(SLAB);
  let filled = 0;
  let waiting;
  let final;
  let failed;
  worker.on("message", (m) => {
    if (typeof m === "string") return final?.(m);
    out--;
    free.push(m.buf);
    if (waiting && out <= MAX_OUT / 2) {
      const w = waiting;
      waiting = void 0;
      w();
    }
  });
  worker.on("error", (e) => {
    failed = e;
    waiting?.();
  });
  const send = () => {
    if (filled === 0) return;
    const buf = current.buffer;
    worker.postMessage({ buf, len: filled }, [buf]);
    out++;
    const next = free.pop();
    current = next ? new Uint8Array(next) : new Uint8Array(SLAB);
    filled = 0;
  };
  return {
    update(chunk) {
      if (failed) throw failed;
      let from = 0;
      while (from < chunk.length) {
        const n = Math.min(chunk.length - from, SLAB - filled);
        current.set(chunk.subarray(from, from + n), filled);
        filled += n;
        from += n;
        if (filled === SLAB) send();
      }
      if (out <= MAX_OUT) return;
      return new Promise((resolve) => waiting = resolve);
    },
    digest() {
      send();
      return new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        final = (d) => {
          void worker.terminate();
          resolve(d);
        };
        worker.once("error", reject);
        worker.postMessage(null);
      });
    }
  };
}

// src/image/decomposePass.ts
function nodeHashName(algo) {
  return NODE_HASH_NAMES[algo];
}
var S_IFMT = 61440;
var S_IFREG = 32768;
function candidateIndex(packages) {
  const index = /* @__PURE__ */ new Map();
  packages.forEach((p, pkg) => {
    for (const f of p.files) {
      if (!f.digest || (f.mode & S_IFMT) !== S_IFREG || f.flags & FileFlags.GHOST || !nodeHashName(f.digestAlgo)) continue;
      const key = normalizeTarPath(f.path);
      const list = index.get(key);
      const c = { pkg, path: f.path, digest: f.digest.toLowerCase(), algo: f.digestAlgo, size: f.size };
      if (list) list.push(c);
      else index.set(key, [c]);
    }
  });
  return index;
}
function candidatesFor(index, hardlinks, path) {
  const key = normalizeTarPath(path);
  const direct = index.get(key);
  const links = hardlinks.get(key);
  if (!links) return direct;
  return [...direct ?? [], ...links.flatMap((l) => index.get(l) ?? [])];
}
async function decomposePass(tarPath, index, hardlinks, writer, progress) {
  return withTarFile(tarPath, async (walker) => {
    const image = createStreamHasher(walker.size);
    const perPackage = /* @__PURE__ */ new Map();
    let entries = 0;
    let filesReferenced = 0;
    let bytesReferenced = 0;
    progress?.start("decomposing", walker.size, "bytes");
    for (; ; ) {
      const e = await walker.next();
      if (!e) break;
      entries++;
      await image.update(e.header);
      await writer.header(e.header);
      const candidates = e.kind === "file" && e.dataSize > 0 ? candidatesFor(index, hardlinks, e.path)?.filter((c) => c.size === e.dataSize) : void 0;
      let matched;
      if (candidates && candidates.length > 0) {
        const hashers = /* @__PURE__ */ new Map();
        for (const c of candidates) if (!hashers.has(c.algo)) hashers.set(c.algo, createHash2(nodeHashName(c.algo)));
        await walker.readData(e, async (chunk) => {
          const waiting = image.update(chunk);
          for (const h of hashers.values()) h.update(chunk);
          await waiting;
        });
        const digests = new Map([...hashers].map(([algo, h]) => [algo, h.digest("hex")]));
        matched = candidates.find((c) => digests.get(c.algo) === c.digest);
        if (matched) {
          await writer.ref(matched.pkg, e.dataSize, matched.digest, matched.path);
          filesReferenced++;
          bytesReferenced += e.dataSize;
          const pp = perPackage.get(matched.pkg) ?? { files: 0, bytes: 0 };
          pp.files++;
          pp.bytes += e.dataSize;
          perPackage.set(matched.pkg, pp);
        } else {
          await walker.readData(e, (chunk) => writer.raw(chunk));
        }
      } else if (e.dataSize > 0) {
        await walker.readData(e, async (chunk) => {
          await image.update(chunk);
          await writer.raw(chunk);
        });
      }
      if (e.paddingSize > 0) {
        const padding = await walker.readPadding(e);
        await image.update(padding);
        await writer.rawOrZero(padding);
      }
      progress?.update(e.dataOffset + e.dataSize + e.paddingSize);
    }
    await walker.readTrailer(async (chunk) => {
      await image.update(chunk);
      await writer.rawOrZero(chunk);
    });
    const sha256 = await image.digest();
    await writer.end(walker.size, sha256);
    progress?.done();
    return { sha256, size: walker.size, entries, filesReferenced, bytesReferenced, bytesInline: writer.inlineBytes, perPackage };
  });
}

export {
  createStreamHasher,
  RESIDUAL_MAGIC,
  Op,
  MAX_RAW,
  MAX_HDR,
  ResidualWriter,
  nodeHashName,
  candidateIndex,
  decomposePass
};
