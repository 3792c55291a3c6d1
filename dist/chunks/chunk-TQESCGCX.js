#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  humanBytes,
  removeIfInterrupted
} from "./chunk-Q25QUAV2.js";
import {
  NoSpaceError
} from "./chunk-JAH4FOK6.js";

// src/util/fs.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, statfs } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { dirname, join, basename, resolve } from "node:path";
function tempPathFor(target) {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}
async function writeFileAtomic(target, data) {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const fh = await open(tmp, "w", 420);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(target));
}
async function createAtomicFile(target) {
  await mkdir(dirname(target), { recursive: true });
  const tempPath = tempPathFor(target);
  const stream = createWriteStream(tempPath, { mode: 420 });
  await new Promise((resolve2, reject) => {
    stream.once("open", () => resolve2());
    stream.once("error", reject);
  });
  let done = false;
  const forget = removeIfInterrupted(tempPath);
  return {
    tempPath,
    stream,
    async commit() {
      if (done) return;
      done = true;
      try {
        await new Promise((resolve2, reject) => {
          if (stream.writableFinished) return resolve2();
          stream.once("error", reject);
          stream.end(() => resolve2());
        });
        const fh = await open(tempPath, "r");
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tempPath, target);
      } catch (e) {
        stream.destroy();
        await rm(tempPath, { force: true });
        forget();
        throw e;
      }
      forget();
      await fsyncDir(dirname(target));
    },
    async abort() {
      if (done) return;
      done = true;
      stream.destroy();
      await rm(tempPath, { force: true });
      forget();
    }
  };
}
async function fsyncDir(dir) {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
  }
}
async function readFileHead(path, n) {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
async function ensureFreeSpace(target, bytes, what) {
  let dir = dirname(resolve(target));
  for (; ; ) {
    try {
      const st = await statfs(dir);
      const free = Number(st.bavail) * Number(st.bsize);
      if (free < bytes) throw new NoSpaceError(`${what} needs ${humanBytes(bytes)} and ${dir} has ${humanBytes(free)} free: make room or write elsewhere`);
      return;
    } catch (e) {
      if (e instanceof NoSpaceError) throw e;
      const parent = dirname(dir);
      if (e.code !== "ENOENT" || parent === dir) return;
      dir = parent;
    }
  }
}

export {
  tempPathFor,
  writeFileAtomic,
  createAtomicFile,
  fsyncDir,
  readFileHead,
  ensureFreeSpace
};
