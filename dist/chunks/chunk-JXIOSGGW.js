#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  headerSizeAt,
  parseHeader
} from "./chunk-Y3BHZBXO.js";
import {
  RpmFormatError
} from "./chunk-JAH4FOK6.js";

// src/rpm/package.ts
import { open } from "node:fs/promises";
var LEAD_SIZE = 96;
var LEAD_MAGIC = [237, 171, 238, 219];
var SIGTYPE_HEADERSIG = 5;
var INTRO = 16;
function parseLead(buf) {
  if (buf.length < LEAD_SIZE) throw new RpmFormatError(`not an rpm package: ${buf.length} bytes, shorter than the lead`);
  for (let i = 0; i < 4; i++) {
    if (buf[i] !== LEAD_MAGIC[i]) throw new RpmFormatError("not an rpm package (bad lead magic)");
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, LEAD_SIZE);
  const major = buf[4];
  if (major < 3 || major > 4) throw new RpmFormatError(`unsupported rpm lead version ${major}`);
  const signatureType = dv.getUint16(78);
  if (signatureType !== SIGTYPE_HEADERSIG) throw new RpmFormatError(`unsupported rpm signature type ${signatureType}`);
  const nameBytes = buf.subarray(10, 76);
  const z = nameBytes.indexOf(0);
  return {
    major,
    minor: buf[5],
    type: dv.getUint16(6),
    archnum: dv.getUint16(8),
    name: new TextDecoder().decode(z < 0 ? nameBytes : nameBytes.subarray(0, z)),
    osnum: dv.getUint16(76),
    signatureType
  };
}
function rpmHeaderNeededBytes(prefix) {
  if (prefix.length < LEAD_SIZE + INTRO) return LEAD_SIZE + INTRO;
  parseLead(prefix);
  const sigSize = headerSizeAt(prefix, LEAD_SIZE, "signature header");
  const headerStart = LEAD_SIZE + sigSize + padTo8(sigSize);
  if (prefix.length < headerStart + INTRO) return headerStart + INTRO;
  return headerStart + headerSizeAt(prefix, headerStart, "main header");
}
function padTo8(n) {
  return (8 - n % 8) % 8;
}
function parseRpmPackageBytes(buf, copy = true) {
  const needed = rpmHeaderNeededBytes(buf);
  if (needed > buf.length) throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, have ${buf.length}`);
  const lead = parseLead(buf);
  const signature = parseHeader(buf, LEAD_SIZE, "signature header", copy);
  const headerStart = LEAD_SIZE + signature.byteLength + padTo8(signature.byteLength);
  const header = parseHeader(buf, headerStart, "main header", copy);
  const headerEnd = headerStart + header.byteLength;
  return { lead, signature, header, headerStart, headerEnd, payloadOffset: headerEnd };
}
async function readRpmPackage(source) {
  if (typeof source !== "string") return readFromReader(source, true);
  const fh = await open(source, "r");
  try {
    return await readFromReader({
      async read(offset, length) {
        const out = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(out, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return out.subarray(0, got);
      }
    }, false);
  } finally {
    await fh.close();
  }
}
var scratch = new Uint8Array(32 * 1024);
function wasteful(buf, needed) {
  return buf.buffer.byteLength > needed + (needed >> 2);
}
var FIRST_READ = 64 * 1024;
async function readFromReader(reader, copy) {
  const first = reader.size === void 0 ? FIRST_READ : Math.min(FIRST_READ, reader.size);
  let buf = await reader.read(0, first);
  for (let round = 0; round < 4; round++) {
    const needed = rpmHeaderNeededBytes(buf);
    if (needed <= buf.length) return parseRpmPackageBytes(buf, copy || wasteful(buf, needed));
    if (reader.size !== void 0 && needed > reader.size) {
      throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, file has ${reader.size}`);
    }
    const more = await reader.read(buf.length, needed - buf.length);
    if (more.length < needed - buf.length) {
      throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, got ${buf.length + more.length}`);
    }
    buf = concat(buf, more);
  }
  throw new RpmFormatError("rpm package headers did not settle");
}
function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export {
  rpmHeaderNeededBytes,
  parseRpmPackageBytes,
  readRpmPackage
};
