#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  bulkDecompressor
} from "./chunk-QXTAC7VZ.js";
import {
  readFileHead
} from "./chunk-TQESCGCX.js";
import {
  removeIfInterrupted
} from "./chunk-Q25QUAV2.js";
import {
  detectCompression
} from "./chunk-2AKM7XFZ.js";
import {
  TarFormatError,
  UsageError
} from "./chunk-JAH4FOK6.js";

// src/image/imageInput.ts
import { createReadStream as createReadStream2, createWriteStream as createWriteStream2 } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

// src/image/dirTar.ts
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
var BLOCK = 512;
var RECORD = 10240;
function octal(b, off, len, v) {
  b.write(v.toString(8).padStart(len - 1, "0") + "\0", off, len, "latin1");
}
function paxRecord(key, value) {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from("\n")]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}
function block(f) {
  const b = Buffer.alloc(BLOCK);
  f.name.copy(b, 0, 0, Math.min(100, f.name.length));
  octal(b, 100, 8, f.mode & 4095);
  octal(b, 108, 8, f.uid);
  octal(b, 116, 8, f.gid);
  octal(b, 124, 12, f.size);
  octal(b, 136, 12, f.mtime);
  b.fill(32, 148, 156);
  b.write(f.typeflag, 156, 1, "latin1");
  f.link.copy(b, 157, 0, Math.min(100, f.link.length));
  b.write("ustar\x0000", 257, 8, "latin1");
  octal(b, 329, 8, f.devmajor);
  octal(b, 337, 8, f.devminor);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "latin1");
  return b;
}
var pad = (n) => Buffer.alloc((BLOCK - n % BLOCK) % BLOCK);
function isUtf8(b) {
  return Buffer.from(b.toString("utf8"), "utf8").equals(b);
}
function entryHeader(f) {
  const records = [];
  const out = [];
  const fields = { ...f };
  if (f.name.length > 100 || f.link.length > 100) {
    if (!isUtf8(f.name) || !isUtf8(f.link)) records.push(paxRecord("hdrcharset", Buffer.from("BINARY")));
  }
  if (f.link.length > 100) {
    records.push(paxRecord("linkpath", f.link));
    fields.link = f.link.subarray(0, 100);
  }
  if (f.name.length > 100) {
    records.push(paxRecord("path", f.name));
    fields.name = f.name.subarray(0, 100);
  }
  if (f.size >= 8 ** 11) {
    records.push(paxRecord("size", Buffer.from(String(f.size))));
    fields.size = 0;
  }
  for (const k of ["uid", "gid"]) {
    if (f[k] >= 8 ** 7) {
      records.push(paxRecord(k, Buffer.from(String(f[k]))));
      fields[k] = 0;
    }
  }
  if (records.length > 0) {
    const data = Buffer.concat(records);
    const base = f.name.subarray(0, f.name.length - (f.name[f.name.length - 1] === 47 ? 1 : 0));
    const slash = base.lastIndexOf(47);
    const xname = Buffer.concat([Buffer.from("PaxHeaders/"), base.subarray(slash + 1)]).subarray(0, 100);
    out.push(block({ name: xname, mode: 420, uid: 0, gid: 0, size: data.length, mtime: f.mtime, typeflag: "x", link: Buffer.alloc(0), devmajor: 0, devminor: 0 }), data, pad(data.length));
  }
  out.push(block(fields));
  return Buffer.concat(out);
}
function major(rdev) {
  return Number(BigInt(rdev) >> 8n & 0xfffn | BigInt(rdev) >> 32n & ~0xfffn);
}
function minor(rdev) {
  return Number(BigInt(rdev) & 0xffn | BigInt(rdev) >> 12n & ~0xffn);
}
async function write(out, b) {
  if (!out.write(b)) await new Promise((resolve) => out.once("drain", resolve));
}
async function serializeDirectory(root, dest, progress) {
  const out = createWriteStream(dest);
  const seen = /* @__PURE__ */ new Map();
  let written = 0;
  let files = 0;
  progress?.start("serializing directory", 0, "items");
  const emit = async (b) => {
    written += b.length;
    await write(out, b);
  };
  const visit = async (host, name) => {
    const st = await lstat(host, { bigint: true });
    const common = { uid: Number(st.uid), gid: Number(st.gid), mtime: Number(st.mtimeMs / 1000n), mode: Number(st.mode), link: Buffer.alloc(0), size: 0, devmajor: 0, devminor: 0 };
    progress?.update(++files);
    if (st.isDirectory()) {
      const dirName = name.length === 0 || name[name.length - 1] !== 47 ? Buffer.concat([name, Buffer.from("/")]) : name;
      await emit(entryHeader({ ...common, name: dirName, typeflag: "5" }));
      const children = (await readdir(host, { encoding: "buffer" })).sort(Buffer.compare);
      for (const c of children) await visit(Buffer.concat([host, Buffer.from("/"), c]), Buffer.concat([dirName, c]));
      return;
    }
    const inode = `${st.dev}:${st.ino}`;
    if (!st.isDirectory() && st.nlink > 1n) {
      const first = seen.get(inode);
      if (first) {
        await emit(entryHeader({ ...common, name, typeflag: "1", link: first }));
        return;
      }
      seen.set(inode, name);
    }
    if (st.isFile()) {
      const size = Number(st.size);
      await emit(entryHeader({ ...common, name, typeflag: "0", size }));
      let copied = 0;
      for await (const chunk of createReadStream(host, { highWaterMark: 1 << 20 })) {
        const part = chunk.subarray(0, Math.max(0, size - copied));
        copied += part.length;
        await emit(part);
      }
      if (copied !== size) throw new Error(`${host} changed size while being read`);
      await emit(pad(size));
    } else if (st.isSymbolicLink()) {
      await emit(entryHeader({ ...common, name, typeflag: "2", link: await readlink(host, { encoding: "buffer" }) }));
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const rdev = Number(st.rdev);
      await emit(entryHeader({ ...common, name, typeflag: st.isCharacterDevice() ? "3" : "4", devmajor: major(rdev), devminor: minor(rdev) }));
    } else if (st.isFIFO()) {
      await emit(entryHeader({ ...common, name, typeflag: "6" }));
    }
  };
  try {
    await visit(Buffer.from(root.replace(/\/+$/, "") || "/"), Buffer.from("."));
    const end = BLOCK * 2;
    const total = written + end;
    await emit(Buffer.alloc(end + (RECORD - total % RECORD) % RECORD));
  } finally {
    await new Promise((resolve, reject) => out.end((e) => e ? reject(e) : resolve()));
    progress?.done();
  }
  return written;
}

// src/image/imageInput.ts
function counter(onBytes) {
  let n = 0;
  return new Transform({
    transform(chunk, _enc, cb) {
      n += chunk.length;
      onBytes(n);
      cb(null, chunk);
    }
  });
}
async function prepareImage(image, opts = {}) {
  const log = opts.log ?? (() => {
  });
  const name = image === "-" ? "stdin" : basename(image.replace(/\/+$/, "")) || image;
  let st;
  if (image !== "-") {
    try {
      st = await stat(image);
    } catch (e) {
      throw new UsageError(`image ${image} does not exist (${e.code ?? e.message})`);
    }
  }
  const tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), "yumvault-image-"));
  const forget = removeIfInterrupted(tmp);
  const cleanup = () => rm(tmp, { recursive: true, force: true }).then(forget);
  try {
    if (st?.isDirectory()) {
      const tarPath2 = join(tmp, "image.tar");
      log(`serializing directory ${image} to a temporary tar (${tarPath2})`);
      await serializeDirectory(image, tarPath2, opts.progress);
      return { tarPath: tarPath2, name, compression: "directory", cleanup };
    }
    if (st?.isFile()) {
      const kind = detectCompression(await readFileHead(image, 6));
      if (kind === "none") {
        await cleanup();
        return { tarPath: image, name, compression: "none", cleanup: async () => {
        } };
      }
      const tarPath2 = join(tmp, "image.tar");
      log(`inflating ${image} (${kind}) once to a temporary file ${tarPath2}`);
      opts.progress?.start(`inflating ${name}`, st.size, "bytes");
      await pipeline(createReadStream2(image, { highWaterMark: 1 << 20 }), counter((n) => opts.progress?.update(n)), inflater(kind), createWriteStream2(tarPath2));
      opts.progress?.done();
      return { tarPath: tarPath2, name, compression: kind, cleanup };
    }
    const tarPath = join(tmp, "image.tar");
    log(`reading ${image === "-" ? "standard input" : image} once into a temporary file ${tarPath}`);
    const source = image === "-" ? process.stdin : createReadStream2(image);
    const detector = new DetectingInflater();
    await pipeline(source, detector, createWriteStream2(tarPath));
    return { tarPath, name, compression: detector.kind ?? "none", cleanup };
  } catch (e) {
    await cleanup();
    if (e.code === "YV_PAYLOAD_FORMAT") throw new TarFormatError(`${image}: ${e.message}`);
    throw e;
  }
}
function inflater(kind) {
  return bulkDecompressor(kind);
}
var DetectingInflater = class extends Transform {
  kind;
  head = [];
  headLen = 0;
  inner;
  _transform(chunk, _enc, cb) {
    if (!this.inner) {
      this.head.push(chunk);
      this.headLen += chunk.length;
      if (this.headLen < 6) return cb();
      this.start(Buffer.concat(this.head));
      return this.feed(Buffer.concat(this.head), cb);
    }
    this.feed(chunk, cb);
  }
  start(first) {
    const kind = detectCompression(first);
    this.kind = kind;
    this.inner = inflater(kind);
    this.inner.on("data", (d) => this.push(d));
  }
  feed(chunk, cb) {
    const inner = this.inner;
    inner.once("error", cb);
    inner.write(chunk, (err) => {
      inner.off("error", cb);
      cb(err ?? null);
    });
  }
  _flush(cb) {
    if (!this.inner) this.start(Buffer.concat(this.head));
    const inner = this.inner;
    if (this.headLen > 0 && this.headLen < 6) inner.write(Buffer.concat(this.head));
    inner.once("error", cb);
    inner.once("end", () => cb());
    inner.end();
  }
};

export {
  prepareImage
};
