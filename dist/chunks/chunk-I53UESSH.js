#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  normalizeTarPath,
  tarHeaders
} from "./chunk-VJB3RVTA.js";
import {
  TarFormatError
} from "./chunk-JAH4FOK6.js";

// src/image/imageReader.ts
import { open } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
var MAX_READ = 1 << 30;
var MAX_SYMLINK_HOPS = 40;
var TarImageReader = class {
  kind = "tar";
  index;
  trailer;
  entryCount = 0;
  /** Hardlink entries: normalized target path → normalized paths of the links to it. */
  hardlinks = /* @__PURE__ */ new Map();
  tarPath;
  constructor(tarPath) {
    this.tarPath = tarPath;
  }
  /** The header-only pass (done once, on first use). */
  async load() {
    if (this.index) return this.index;
    const index = /* @__PURE__ */ new Map();
    const it = tarHeaders(this.tarPath);
    for (; ; ) {
      const r = await it.next();
      if (r.done) {
        this.trailer = r.value;
        break;
      }
      const e = r.value;
      this.entryCount++;
      if (e.kind === "hardlink") {
        const target = normalizeTarPath(e.linkname);
        const list = this.hardlinks.get(target) ?? [];
        list.push(normalizeTarPath(e.path));
        this.hardlinks.set(target, list);
      }
      index.set(normalizeTarPath(e.path), { kind: e.kind, dataOffset: e.dataOffset, dataSize: e.dataSize, size: e.size, linkname: e.linkname, mode: e.mode });
    }
    this.index = index;
    return index;
  }
  /** Resolves symlinks in every component of `p` (absolute inside the image); returns the normalized path. */
  resolve(index, p) {
    let parts = normalizeTarPath(p).split("/").filter((x) => x && x !== ".");
    let hops = 0;
    const done = [];
    while (parts.length > 0) {
      const part = parts.shift();
      if (part === "..") {
        done.pop();
        continue;
      }
      done.push(part);
      const e = index.get(done.join("/"));
      if (e?.kind === "symlink") {
        if (++hops > MAX_SYMLINK_HOPS) return void 0;
        done.pop();
        const target = e.linkname.split("/").filter((x) => x && x !== ".");
        if (e.linkname.startsWith("/")) done.length = 0;
        parts = [...target, ...parts];
      }
    }
    return done.join("/");
  }
  lookup(index, p) {
    let resolved = this.resolve(index, p);
    if (resolved === void 0) return void 0;
    let entry = index.get(resolved);
    if (entry?.kind === "hardlink") {
      resolved = normalizeTarPath(entry.linkname);
      entry = index.get(resolved);
    }
    if (!entry || entry.kind !== "file") return void 0;
    return { entry, resolved };
  }
  async findFile(paths) {
    const index = await this.load();
    for (const p of paths) {
      const hit = this.lookup(index, p);
      if (hit) return this.fileHandle(p, `/${hit.resolved}`, hit.entry);
    }
    return void 0;
  }
  async listDir(dir) {
    const index = await this.load();
    const resolved = this.resolve(index, dir);
    if (resolved === void 0) return [];
    const prefix = resolved === "" ? "" : `${resolved}/`;
    const out = [];
    for (const [p, e] of index) {
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes("/") && p.length > prefix.length && (e.kind === "file" || e.kind === "hardlink")) {
        out.push(`${dir.replace(/\/+$/, "")}/${p.slice(prefix.length)}`);
      }
    }
    return out.sort();
  }
  fileHandle(path, resolvedPath, e) {
    const tarPath = this.tarPath;
    const stream = () => {
      if (e.dataSize === 0) return Readable.from([]);
      return Readable.from(readRange(tarPath, e.dataOffset, e.dataSize));
    };
    return {
      path,
      resolvedPath,
      size: e.dataSize,
      mode: e.mode,
      async read() {
        if (e.dataSize > MAX_READ) throw new TarFormatError(`${resolvedPath} is ${e.dataSize} bytes: too large to read into memory`);
        const fh = await open(tarPath, "r");
        try {
          const buf = Buffer.alloc(e.dataSize);
          const { bytesRead } = await fh.read(buf, 0, e.dataSize, e.dataOffset);
          if (bytesRead !== e.dataSize) throw new TarFormatError(`tar archive is truncated inside ${resolvedPath}`);
          return buf;
        } finally {
          await fh.close();
        }
      },
      stream,
      async copyTo(dest) {
        await pipeline(stream(), createWriteStream(dest));
      }
    };
  }
};
async function* readRange(path, offset, size) {
  const fh = await open(path, "r");
  try {
    let done = 0;
    while (done < size) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, size - done));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset + done);
      if (bytesRead === 0) throw new TarFormatError(`tar archive ${path} is truncated at offset ${offset + done}`);
      done += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
function openTarImage(tarPath) {
  return new TarImageReader(tarPath);
}

export {
  openTarImage
};
