#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  PayloadFormatError,
  RpmUnsupportedError,
  isYumvaultError
} from "./chunk-JAH4FOK6.js";

// src/rpm/decompress.ts
import { PassThrough } from "node:stream";
import * as zlib from "node:zlib";

// src/rpm/compress/generatorTransform.ts
import { Transform } from "node:stream";

// src/rpm/compress/byteQueue.ts
var ByteQueue = class {
  chunks = [];
  /** Read position inside chunks[0]. */
  head = 0;
  total = 0;
  isEnded = false;
  /** Bytes taken out so far (for error messages and container bookkeeping). */
  consumed = 0;
  get available() {
    return this.total;
  }
  get ended() {
    return this.isEnded;
  }
  push(chunk) {
    if (chunk.length === 0) return;
    if (Object.getPrototypeOf(chunk) !== Uint8Array.prototype) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    this.chunks.push(chunk);
    this.total += chunk.length;
  }
  end() {
    this.isEnded = true;
  }
  readByte() {
    if (this.total < 1) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    const c = this.chunks[0];
    const b = c[this.head++];
    this.total--;
    this.consumed++;
    if (this.head === c.length) {
      this.chunks.shift();
      this.head = 0;
    }
    return b;
  }
  /** The next byte without taking it (the caller checked available >= 1). */
  peekByte() {
    return this.chunks[0][this.head];
  }
  /** Take n bytes out (a view when they lie in one chunk, a copy otherwise). */
  read(n) {
    if (n > this.total) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    const first = this.chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first.length - this.head >= n) {
      const out2 = first.subarray(this.head, this.head + n);
      this.skipInFirst(n);
      return out2;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const take = Math.min(n - filled, c.length - this.head);
      out.set(c.subarray(this.head, this.head + take), filled);
      filled += take;
      this.skipInFirst(take);
    }
    return out;
  }
  /** Drop n bytes. */
  skip(n) {
    if (n > this.total) throw new PayloadFormatError(`compressed stream truncated at byte ${this.consumed}`);
    while (n > 0) {
      const c = this.chunks[0];
      const take = Math.min(n, c.length - this.head);
      this.skipInFirst(take);
      n -= take;
    }
  }
  /**
   * Make the first `min(n, available)` bytes one contiguous array and return it with the offset where
   * they start; the caller reads from it directly and then calls skip() for what it used.
   */
  contiguous(n) {
    n = Math.min(n, this.total);
    const first = this.chunks[0];
    if (first === void 0) return { buf: new Uint8Array(0), pos: 0, end: 0 };
    if (first.length - this.head >= n) return { buf: first, pos: this.head, end: first.length };
    let size = first.length - this.head;
    let count = 1;
    while (size < n) size += this.chunks[count++].length;
    const merged = new Uint8Array(size);
    merged.set(first.subarray(this.head), 0);
    let at = first.length - this.head;
    for (let i = 1; i < count; i++) {
      merged.set(this.chunks[i], at);
      at += this.chunks[i].length;
    }
    this.chunks.splice(0, count, merged);
    this.head = 0;
    return { buf: merged, pos: 0, end: merged.length };
  }
  skipInFirst(n) {
    this.head += n;
    this.total -= n;
    this.consumed += n;
    if (this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
};
var NEED_INPUT = null;
function* need(q, n, what) {
  while (q.available < n) {
    if (q.ended) throw new PayloadFormatError(`compressed stream truncated in ${what} (at byte ${q.consumed})`);
    yield NEED_INPUT;
  }
}
function* want(q, n) {
  while (q.available < n && !q.ended) yield NEED_INPUT;
  return q.available >= n;
}

// src/rpm/compress/generatorTransform.ts
var GeneratorTransform = class extends Transform {
  queue = new ByteQueue();
  gen;
  pendingCallback = null;
  waitingForReader = false;
  pumping = false;
  done = false;
  failed = false;
  format;
  constructor(decoder, format) {
    super({ readableHighWaterMark: 1 << 20 });
    this.format = format;
    this.gen = decoder(this.queue);
  }
  _transform(chunk, _enc, callback) {
    if (this.done || this.failed) {
      callback();
      return;
    }
    this.queue.push(chunk);
    this.pendingCallback = callback;
    this.pump();
  }
  _flush(callback) {
    this.queue.end();
    if (this.done || this.failed) {
      callback();
      return;
    }
    this.pendingCallback = callback;
    this.pump();
  }
  _read(size) {
    if (this.waitingForReader) {
      this.waitingForReader = false;
      this.pump();
    }
    super._read(size);
  }
  pump() {
    if (this.pumping) return;
    this.pumping = true;
    let outcome;
    try {
      outcome = this.run();
    } finally {
      this.pumping = false;
    }
    if (outcome === "release") this.release();
    else if (outcome instanceof Error) this.fail(outcome);
  }
  /** Resume the decoder until it needs input or ends ('release'), the reader is full ('wait'), or it fails. */
  run() {
    for (; ; ) {
      let step;
      try {
        step = this.gen.next();
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
      if (step.done) {
        this.done = true;
        return "release";
      }
      if (step.value === NEED_INPUT) {
        if (this.queue.ended) return new PayloadFormatError(`${this.format} stream truncated`);
        return "release";
      }
      if (step.value.length > 0 && !this.push(step.value)) {
        this.waitingForReader = true;
        return "wait";
      }
    }
  }
  release() {
    const cb = this.pendingCallback;
    this.pendingCallback = null;
    cb?.();
  }
  fail(e) {
    this.failed = true;
    const err = isYumvaultError(e) ? e : new PayloadFormatError(`${this.format} decoding failed: ${e.message}`, { cause: e });
    const cb = this.pendingCallback;
    this.pendingCallback = null;
    if (cb) cb(err);
    else this.destroy(err);
  }
};

// src/rpm/compress/external.ts
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { Transform as Transform2 } from "node:stream";
var found = /* @__PURE__ */ new Map();
function findExecutable(name) {
  if (found.has(name)) return found.get(name);
  let hit = null;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      hit = join(dir, name);
      break;
    } catch {
    }
  }
  found.set(name, hit);
  return hit;
}
var COMMANDS = {
  xz: ["xz", ["-dc", "--format=xz", "-q"]],
  lzma: ["xz", ["-dc", "--format=lzma", "-q"]],
  bzip2: ["bzip2", ["-dc", "-q"]]
};
function externalDecompressor(format) {
  const command = COMMANDS[format];
  if (!command) return null;
  const exe = findExecutable(command[0]);
  if (!exe) return null;
  return new ChildProcessTransform(exe, command[1], format);
}
var ChildProcessTransform = class extends Transform2 {
  child;
  format;
  stderr = "";
  exited;
  pendingWrite = null;
  flushing = false;
  constructor(exe, args, format) {
    super({ readableHighWaterMark: 1 << 20 });
    this.format = format;
    this.child = spawn(exe, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => {
      this.child.once("close", (code) => resolve(code));
      this.child.once("error", () => resolve(-1));
    });
    void this.exited.then((code) => {
      if (code !== 0 && !this.destroyed && !this.flushing) this.destroy(this.failure(code));
      const cb = this.pendingWrite;
      this.pendingWrite = null;
      cb?.();
    });
    this.child.stdin.on("error", () => {
    });
    this.child.stderr.on("data", (c) => {
      if (this.stderr.length < 2e3) this.stderr += c.toString();
    });
    this.child.stdout.on("data", (c) => {
      if (!this.push(c)) this.child.stdout.pause();
    });
  }
  _read(size) {
    this.child.stdout.resume();
    super._read(size);
  }
  _transform(chunk, _enc, callback) {
    if (this.child.stdin.write(chunk)) {
      callback();
      return;
    }
    this.pendingWrite = callback;
    this.child.stdin.once("drain", () => {
      const cb = this.pendingWrite;
      this.pendingWrite = null;
      cb?.();
    });
  }
  failure(code) {
    return new PayloadFormatError(`${this.format} decoding failed (${this.child.spawnfile} exit ${code}): ${this.stderr.trim().split("\n").pop() ?? ""}`);
  }
  _flush(callback) {
    this.flushing = true;
    this.child.stdin.end();
    void this.exited.then((code) => {
      if (code === 0) callback();
      else callback(this.failure(code));
    });
  }
  _destroy(err, callback) {
    if (this.child.exitCode === null) this.child.kill();
    callback(err);
  }
};

// src/rpm/xz/xz.ts
import { crc32 as crc322 } from "node:zlib";

// src/rpm/xz/checks.ts
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
function checkSize(id) {
  if (id === 0) return 0;
  return 4 << Math.floor((id - 1) / 3);
}
var SLICES = 8;
var CRC64_LO = new Int32Array(256 * SLICES);
var CRC64_HI = new Int32Array(256 * SLICES);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = (lo >>> 1 | (hi & 1) << 31) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ 3615952706) >>> 0;
      hi = (hi ^ 3379320725) >>> 0;
    }
  }
  CRC64_LO[n] = lo;
  CRC64_HI[n] = hi;
}
for (let t = 1; t < SLICES; t++) {
  for (let n = 0; n < 256; n++) {
    const plo = CRC64_LO[(t - 1) * 256 + n];
    const phi = CRC64_HI[(t - 1) * 256 + n];
    const idx = plo & 255;
    CRC64_LO[t * 256 + n] = ((plo >>> 8 | phi << 24) ^ CRC64_LO[idx]) >>> 0;
    CRC64_HI[t * 256 + n] = (phi >>> 8 ^ CRC64_HI[idx]) >>> 0;
  }
}
var Crc64 = class {
  lo = 4294967295 | 0;
  hi = 4294967295 | 0;
  update(data) {
    let lo = this.lo;
    let hi = this.hi;
    const T_LO = CRC64_LO;
    const T_HI = CRC64_HI;
    let i = 0;
    const end8 = data.length - 7;
    for (; i < end8; i += 8) {
      const a = lo ^ (data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
      const b = hi ^ (data[i + 4] | data[i + 5] << 8 | data[i + 6] << 16 | data[i + 7] << 24);
      lo = T_LO[1792 + (a & 255)] ^ T_LO[1536 + (a >>> 8 & 255)] ^ T_LO[1280 + (a >>> 16 & 255)] ^ T_LO[1024 + (a >>> 24)] ^ T_LO[768 + (b & 255)] ^ T_LO[512 + (b >>> 8 & 255)] ^ T_LO[256 + (b >>> 16 & 255)] ^ T_LO[b >>> 24];
      hi = T_HI[1792 + (a & 255)] ^ T_HI[1536 + (a >>> 8 & 255)] ^ T_HI[1280 + (a >>> 16 & 255)] ^ T_HI[1024 + (a >>> 24)] ^ T_HI[768 + (b & 255)] ^ T_HI[512 + (b >>> 8 & 255)] ^ T_HI[256 + (b >>> 16 & 255)] ^ T_HI[b >>> 24];
    }
    for (; i < data.length; i++) {
      const idx = (lo ^ data[i]) & 255;
      lo = (lo >>> 8 | hi << 24) ^ T_LO[idx];
      hi = hi >>> 8 ^ T_HI[idx];
    }
    this.lo = lo;
    this.hi = hi;
  }
  digest() {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, ~this.lo >>> 0, true);
    v.setUint32(4, ~this.hi >>> 0, true);
    return out;
  }
};
var Crc32 = class {
  value = 0;
  update(data) {
    this.value = crc32(data, this.value);
  }
  digest() {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, this.value >>> 0, true);
    return out;
  }
};
var Sha256 = class {
  hash = createHash("sha256");
  update(data) {
    this.hash.update(data);
  }
  digest() {
    return this.hash.digest();
  }
};
function createCheck(id) {
  switch (id) {
    case 1:
      return new Crc32();
    case 4:
      return new Crc64();
    case 10:
      return new Sha256();
    default:
      return null;
  }
}

// src/rpm/xz/outWindow.ts
var INITIAL = 1 << 20;
var MAX_DICT = 1536 * 1024 * 1024;
var OutWindow = class {
  buf;
  pos = 0;
  /** Start of the bytes not yet handed out by flush(). */
  start = 0;
  wrapped = false;
  maxSize;
  constructor(dictSize) {
    if (dictSize > MAX_DICT) throw new PayloadFormatError(`LZMA dictionary of ${dictSize} bytes is over the ${MAX_DICT}-byte limit`);
    this.maxSize = Math.max(dictSize, 4096) + 15 & ~15;
    this.buf = new Uint8Array(Math.min(INITIAL, this.maxSize));
  }
  /** Bytes of history available for matches. */
  get full() {
    return this.wrapped ? this.buf.length : this.pos;
  }
  get pendingBytes() {
    return this.pos - this.start;
  }
  /** Forget all history (LZMA2 dictionary reset). Call flush() first. */
  reset() {
    this.pos = 0;
    this.start = 0;
    this.wrapped = false;
  }
  /**
   * Make room to decode and return the absolute position to decode up to (at most `want` bytes on).
   * Call flush() before when pendingBytes is large: a wrap needs every pending byte handed out.
   */
  prepare(want2) {
    if (this.pos === this.buf.length) {
      if (this.buf.length < this.maxSize) {
        const grown = new Uint8Array(Math.min(this.buf.length * 2, this.maxSize));
        grown.set(this.buf);
        this.buf = grown;
      } else {
        if (this.start !== this.pos) throw new Error("OutWindow wrap with unflushed output");
        this.pos = 0;
        this.start = 0;
        this.wrapped = true;
      }
    }
    return Math.min(this.buf.length, this.pos + want2);
  }
  /** Hand out (a copy of) everything decoded since the last flush. */
  flush() {
    const out = this.buf.slice(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
  putByte(b) {
    this.buf[this.pos++] = b;
  }
  /** The byte `dist + 1` positions back (the caller checked dist < full). */
  getByte(dist) {
    let i = this.pos - dist - 1;
    if (i < 0) i += this.buf.length;
    return this.buf[i];
  }
  /** Copy `len` bytes from `dist + 1` back, stopping at `limit`; returns how many are left to copy. */
  repeat(dist, len, limit) {
    const buf = this.buf;
    let n = Math.min(len, limit - this.pos);
    const left = len - n;
    let src = this.pos - dist - 1;
    if (src < 0) src += buf.length;
    let pos = this.pos;
    if (src + n <= pos && n > 32) {
      buf.copyWithin(pos, src, src + n);
      pos += n;
    } else {
      while (n-- > 0) {
        buf[pos++] = buf[src++];
        if (src === buf.length) src = 0;
      }
    }
    this.pos = pos;
    return left;
  }
  /** Append raw bytes (LZMA2 uncompressed chunks); the caller keeps within prepare()'s limit. */
  append(data) {
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
};

// src/rpm/xz/lzmaDecoder.ts
var STATES = 12;
var POS_STATES_MAX = 16;
var IS_MATCH = 0;
var IS_REP = IS_MATCH + STATES * POS_STATES_MAX;
var IS_REP0 = IS_REP + STATES;
var IS_REP1 = IS_REP0 + STATES;
var IS_REP2 = IS_REP1 + STATES;
var IS_REP0_LONG = IS_REP2 + STATES;
var DIST_SLOT = IS_REP0_LONG + STATES * POS_STATES_MAX;
var DIST_SPECIAL = DIST_SLOT + 4 * 64;
var DIST_ALIGN = DIST_SPECIAL + 114;
var LEN_CODER_SIZE = 2 + 16 * 8 + 16 * 8 + 256;
var MATCH_LEN = DIST_ALIGN + 16;
var REP_LEN = MATCH_LEN + LEN_CODER_SIZE;
var LITERAL = REP_LEN + LEN_CODER_SIZE;
var PROB_INIT = 1024;
var TOP = 1 << 24;
var SIGN = 2147483648 | 0;
function parseLzmaPropsByte(b) {
  if (b >= 9 * 5 * 5) throw new PayloadFormatError(`invalid LZMA properties byte 0x${b.toString(16)}`);
  const lc = b % 9;
  const rest = b / 9 | 0;
  return { lc, lp: rest % 5, pb: rest / 5 | 0 };
}
var LzmaDecoder = class {
  /** Int32 rather than Uint16: loads need no widening (measured ~4% faster overall). */
  probs = new Int32Array(0);
  lc = 0;
  lp = 0;
  posMask = 0;
  lpMask = 0;
  state = 0;
  rep0 = 0;
  rep1 = 0;
  rep2 = 0;
  rep3 = 0;
  /** Bytes of a match still to copy when the last call stopped at its output limit. */
  pendingLen = 0;
  /** The end-of-payload marker was decoded. */
  sawEndMarker = false;
  // Range decoder state.
  range = 0;
  code = 0;
  input = new Uint8Array(0);
  inPos = 0;
  inEnd = 0;
  window;
  constructor(window) {
    this.window = window;
  }
  setProps(p) {
    this.lc = p.lc;
    this.lp = p.lp;
    this.posMask = (1 << p.pb) - 1;
    this.lpMask = (1 << p.lp) - 1;
    const size = LITERAL + (768 << p.lc + p.lp);
    if (this.probs.length !== size) this.probs = new Int32Array(size);
  }
  /** Reset the model (probabilities, state, reps); the dictionary is kept. */
  resetState() {
    this.probs.fill(PROB_INIT);
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.pendingLen = 0;
    this.sawEndMarker = false;
  }
  /** Start the range decoder on 5 bytes at input[pos]; the caller guarantees they are there. */
  initRangeCoder(input, pos, end) {
    if (end - pos < 5) throw new PayloadFormatError("LZMA data truncated at range coder start");
    if (input[pos] !== 0) throw new PayloadFormatError("LZMA range coder does not start with a zero byte");
    this.code = input[pos + 1] << 24 | input[pos + 2] << 16 | input[pos + 3] << 8 | input[pos + 4];
    this.range = -1;
    this.input = input;
    this.inPos = pos + 5;
    this.inEnd = end;
  }
  /** Continue on a new input buffer (same range coder state). */
  setInput(input, pos, end) {
    this.input = input;
    this.inPos = pos;
    this.inEnd = end;
  }
  /**
   * After the last symbol of a chunk: the range coder normalizes once more (the encoder flushed that byte)
   * and its code must then be zero (xz-file-format, LZMA2).
   */
  finishRangeCoder() {
    this.normalize();
    return this.code === 0;
  }
  /**
   * Decode symbols until the window holds `outLimit` (absolute window position), the end marker, or the
   * input position passes `inLimit` (the caller keeps enough bytes beyond it for one more symbol).
   *
   * Written as one function over local variables, with the range decoder's bit step spelled out at each
   * use: V8 keeps locals in registers, and this runs 2-3x faster than the same logic split into methods
   * on `this` (measured on a 150 MB payload: 5.8 s before, see bench/payload.ts for the current figure).
   */
  decode(outLimit, inLimit) {
    const w = this.window;
    const dict = w.buf;
    const dictLen = dict.length;
    const wrapped = w.wrapped;
    let pos = w.pos;
    const probs = this.probs;
    const input = this.input;
    const inEnd = this.inEnd;
    let range = this.range;
    let code = this.code;
    let inPos = this.inPos;
    let state = this.state;
    let rep0 = this.rep0;
    let rep1 = this.rep1;
    let rep2 = this.rep2;
    let rep3 = this.rep3;
    let pending = this.pendingLen;
    const posMask = this.posMask;
    const lpMask = this.lpMask;
    const lc = this.lc;
    let p = 0;
    let bound = 0;
    let i = 0;
    while (pos < outLimit) {
      let len = 0;
      if (pending > 0) {
        len = pending;
        pending = 0;
      } else {
        if (inPos > inLimit) break;
        const posState = pos & posMask;
        i = IS_MATCH + state * POS_STATES_MAX + posState;
        if ((range & 4278190080) === 0) {
          range <<= 8;
          code = code << 8 | input[inPos++];
        }
        p = probs[i];
        bound = Math.imul(range >>> 11, p);
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound;
          probs[i] = p + (2048 - p >>> 5);
          const prev = pos > 0 ? dict[pos - 1] : wrapped ? dict[dictLen - 1] : 0;
          const base = LITERAL + 768 * (((pos & lpMask) << lc) + (prev >>> 8 - lc));
          let symbol2 = 1;
          if (state < 7) {
            do {
              i = base + symbol2;
              if ((range & 4278190080) === 0) {
                range <<= 8;
                code = code << 8 | input[inPos++];
              }
              p = probs[i];
              bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) {
                range = bound;
                probs[i] = p + (2048 - p >>> 5);
                symbol2 <<= 1;
              } else {
                range = range - bound | 0;
                code = code - bound | 0;
                probs[i] = p - (p >>> 5);
                symbol2 = symbol2 << 1 | 1;
              }
            } while (symbol2 < 256);
          } else {
            let m = pos - rep0 - 1;
            if (m < 0) {
              if (!wrapped || rep0 >= dictLen) throw distanceError(rep0, wrapped ? dictLen : pos);
              m += dictLen;
            }
            let matchByte = dict[m];
            let offset = 256;
            do {
              matchByte <<= 1;
              const matchBit = matchByte & offset;
              i = base + offset + matchBit + symbol2;
              if ((range & 4278190080) === 0) {
                range <<= 8;
                code = code << 8 | input[inPos++];
              }
              p = probs[i];
              bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) {
                range = bound;
                probs[i] = p + (2048 - p >>> 5);
                symbol2 <<= 1;
                offset &= ~matchBit;
              } else {
                range = range - bound | 0;
                code = code - bound | 0;
                probs[i] = p - (p >>> 5);
                symbol2 = symbol2 << 1 | 1;
                offset = matchBit;
              }
            } while (symbol2 < 256);
          }
          dict[pos++] = symbol2 & 255;
          state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
          if (inPos > inEnd) throw truncatedError();
          continue;
        }
        range = range - bound | 0;
        code = code - bound | 0;
        probs[i] = p - (p >>> 5);
        i = IS_REP + state;
        if ((range & 4278190080) === 0) {
          range <<= 8;
          code = code << 8 | input[inPos++];
        }
        p = probs[i];
        bound = Math.imul(range >>> 11, p);
        let lenBase;
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound;
          probs[i] = p + (2048 - p >>> 5);
          rep3 = rep2;
          rep2 = rep1;
          rep1 = rep0;
          state = state < 7 ? 7 : 10;
          lenBase = MATCH_LEN;
        } else {
          range = range - bound | 0;
          code = code - bound | 0;
          probs[i] = p - (p >>> 5);
          i = IS_REP0 + state;
          if ((range & 4278190080) === 0) {
            range <<= 8;
            code = code << 8 | input[inPos++];
          }
          p = probs[i];
          bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) {
            range = bound;
            probs[i] = p + (2048 - p >>> 5);
            i = IS_REP0_LONG + state * POS_STATES_MAX + posState;
            if ((range & 4278190080) === 0) {
              range <<= 8;
              code = code << 8 | input[inPos++];
            }
            p = probs[i];
            bound = Math.imul(range >>> 11, p);
            if ((code ^ SIGN) < (bound ^ SIGN)) {
              range = bound;
              probs[i] = p + (2048 - p >>> 5);
              state = state < 7 ? 9 : 11;
              let m = pos - rep0 - 1;
              if (m < 0) {
                if (!wrapped || rep0 >= dictLen) throw distanceError(rep0, wrapped ? dictLen : pos);
                m += dictLen;
              }
              dict[pos++] = dict[m];
              if (inPos > inEnd) throw truncatedError();
              continue;
            }
            range = range - bound | 0;
            code = code - bound | 0;
            probs[i] = p - (p >>> 5);
          } else {
            range = range - bound | 0;
            code = code - bound | 0;
            probs[i] = p - (p >>> 5);
            i = IS_REP1 + state;
            if ((range & 4278190080) === 0) {
              range <<= 8;
              code = code << 8 | input[inPos++];
            }
            p = probs[i];
            bound = Math.imul(range >>> 11, p);
            let dist;
            if ((code ^ SIGN) < (bound ^ SIGN)) {
              range = bound;
              probs[i] = p + (2048 - p >>> 5);
              dist = rep1;
            } else {
              range = range - bound | 0;
              code = code - bound | 0;
              probs[i] = p - (p >>> 5);
              i = IS_REP2 + state;
              if ((range & 4278190080) === 0) {
                range <<= 8;
                code = code << 8 | input[inPos++];
              }
              p = probs[i];
              bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) {
                range = bound;
                probs[i] = p + (2048 - p >>> 5);
                dist = rep2;
              } else {
                range = range - bound | 0;
                code = code - bound | 0;
                probs[i] = p - (p >>> 5);
                dist = rep3;
                rep3 = rep2;
              }
              rep2 = rep1;
            }
            rep1 = rep0;
            rep0 = dist;
          }
          state = state < 7 ? 8 : 11;
          lenBase = REP_LEN;
        }
        let treeBase;
        let treeBits;
        i = lenBase;
        if ((range & 4278190080) === 0) {
          range <<= 8;
          code = code << 8 | input[inPos++];
        }
        p = probs[i];
        bound = Math.imul(range >>> 11, p);
        if ((code ^ SIGN) < (bound ^ SIGN)) {
          range = bound;
          probs[i] = p + (2048 - p >>> 5);
          treeBase = lenBase + 2 + posState * 8;
          treeBits = 3;
          len = 2;
        } else {
          range = range - bound | 0;
          code = code - bound | 0;
          probs[i] = p - (p >>> 5);
          i = lenBase + 1;
          if ((range & 4278190080) === 0) {
            range <<= 8;
            code = code << 8 | input[inPos++];
          }
          p = probs[i];
          bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) {
            range = bound;
            probs[i] = p + (2048 - p >>> 5);
            treeBase = lenBase + 2 + 128 + posState * 8;
            treeBits = 3;
            len = 10;
          } else {
            range = range - bound | 0;
            code = code - bound | 0;
            probs[i] = p - (p >>> 5);
            treeBase = lenBase + 2 + 256;
            treeBits = 8;
            len = 18;
          }
        }
        let symbol = 1;
        const treeLimit = 1 << treeBits;
        do {
          i = treeBase + symbol;
          if ((range & 4278190080) === 0) {
            range <<= 8;
            code = code << 8 | input[inPos++];
          }
          p = probs[i];
          bound = Math.imul(range >>> 11, p);
          if ((code ^ SIGN) < (bound ^ SIGN)) {
            range = bound;
            probs[i] = p + (2048 - p >>> 5);
            symbol <<= 1;
          } else {
            range = range - bound | 0;
            code = code - bound | 0;
            probs[i] = p - (p >>> 5);
            symbol = symbol << 1 | 1;
          }
        } while (symbol < treeLimit);
        len += symbol - treeLimit;
        if (lenBase === MATCH_LEN) {
          const slotBase = DIST_SLOT + (len < 6 ? len - 2 : 3) * 64;
          symbol = 1;
          do {
            i = slotBase + symbol;
            if ((range & 4278190080) === 0) {
              range <<= 8;
              code = code << 8 | input[inPos++];
            }
            p = probs[i];
            bound = Math.imul(range >>> 11, p);
            if ((code ^ SIGN) < (bound ^ SIGN)) {
              range = bound;
              probs[i] = p + (2048 - p >>> 5);
              symbol <<= 1;
            } else {
              range = range - bound | 0;
              code = code - bound | 0;
              probs[i] = p - (p >>> 5);
              symbol = symbol << 1 | 1;
            }
          } while (symbol < 64);
          const slot = symbol - 64;
          let dist;
          if (slot < 4) {
            dist = slot;
          } else {
            const directBits = (slot >>> 1) - 1;
            dist = (2 | slot & 1) << directBits >>> 0;
            let revBase;
            let revBits;
            if (slot < 14) {
              revBase = DIST_SPECIAL + dist - slot - 1;
              revBits = directBits;
            } else {
              let direct = 0;
              for (let k = directBits - 4; k > 0; k--) {
                if ((range & 4278190080) === 0) {
                  range <<= 8;
                  code = code << 8 | input[inPos++];
                }
                range = range >>> 1;
                if ((code ^ SIGN) >= (range ^ SIGN)) {
                  code = code - range | 0;
                  direct = direct << 1 | 1;
                } else direct <<= 1;
              }
              dist += direct * 16;
              revBase = DIST_ALIGN;
              revBits = 4;
            }
            symbol = 1;
            let rev = 0;
            for (let k = 0; k < revBits; k++) {
              i = revBase + symbol;
              if ((range & 4278190080) === 0) {
                range <<= 8;
                code = code << 8 | input[inPos++];
              }
              p = probs[i];
              bound = Math.imul(range >>> 11, p);
              if ((code ^ SIGN) < (bound ^ SIGN)) {
                range = bound;
                probs[i] = p + (2048 - p >>> 5);
                symbol <<= 1;
              } else {
                range = range - bound | 0;
                code = code - bound | 0;
                probs[i] = p - (p >>> 5);
                symbol = symbol << 1 | 1;
                rev |= 1 << k;
              }
            }
            dist = dist + rev >>> 0;
            if (dist === 4294967295) {
              this.sawEndMarker = true;
              if (inPos > inEnd) throw truncatedError();
              break;
            }
          }
          rep0 = dist;
        }
        if (inPos > inEnd) throw truncatedError();
        if (rep0 >= (wrapped ? dictLen : pos)) throw distanceError(rep0, wrapped ? dictLen : pos);
      }
      let n = outLimit - pos;
      if (len < n) n = len;
      pending = len - n;
      let src = pos - rep0 - 1;
      if (src < 0) src += dictLen;
      if (src + n <= dictLen) {
        if (n > 32 && src + n <= pos) {
          dict.copyWithin(pos, src, src + n);
          pos += n;
        } else {
          const end = pos + n;
          while (pos < end) dict[pos++] = dict[src++];
        }
      } else {
        while (n-- > 0) {
          dict[pos++] = dict[src++];
          if (src === dictLen) src = 0;
        }
      }
    }
    w.pos = pos;
    this.range = range;
    this.code = code;
    this.inPos = inPos;
    this.state = state;
    this.rep0 = rep0;
    this.rep1 = rep1;
    this.rep2 = rep2;
    this.rep3 = rep3;
    this.pendingLen = pending;
  }
  normalize() {
    if (this.range >>> 0 < TOP) {
      if (this.inPos >= this.inEnd) throw new PayloadFormatError("LZMA data truncated");
      this.range <<= 8;
      this.code = this.code << 8 | this.input[this.inPos++];
    }
  }
};
function truncatedError() {
  return new PayloadFormatError("LZMA data truncated");
}
function distanceError(dist, have) {
  return new PayloadFormatError(`LZMA match distance ${dist + 1} beyond the ${have} bytes decoded`);
}

// src/rpm/xz/lzma2.ts
var OUT_CHUNK = 256 * 1024;
function lzma2DictSize(b) {
  if (b > 40) throw new PayloadFormatError(`invalid LZMA2 dictionary size property ${b}`);
  if (b === 40) return 4294967295;
  return (2 | b & 1) * 2 ** (Math.floor(b / 2) + 11);
}
function* decodeLzma2(q, dictSize) {
  const w = new OutWindow(dictSize);
  const d = new LzmaDecoder(w);
  let needDictReset = true;
  let needProps = true;
  for (; ; ) {
    yield* need(q, 1, "LZMA2 chunk header");
    const control = q.readByte();
    if (control === 0) break;
    if (control >= 224 || control === 1) {
      if (w.pendingBytes > 0) yield w.flush();
      w.reset();
      needProps = true;
      needDictReset = false;
    } else if (needDictReset) {
      throw new PayloadFormatError(`LZMA2 stream does not start with a dictionary reset (control byte 0x${control.toString(16)})`);
    }
    if (control >= 128) {
      const hasProps = control >= 192;
      yield* need(q, hasProps ? 5 : 4, "LZMA2 chunk header");
      const h = q.read(hasProps ? 5 : 4);
      const unpacked = (control & 31) * 65536 + (h[0] << 8 | h[1]) + 1;
      const packed = (h[2] << 8 | h[3]) + 1;
      if (hasProps) {
        const props = parseLzmaPropsByte(h[4]);
        if (props.lc + props.lp > 4) throw new PayloadFormatError("LZMA2 properties with lc + lp > 4");
        d.setProps(props);
        needProps = false;
      } else if (needProps) {
        throw new PayloadFormatError("LZMA2 chunk without properties after a dictionary reset");
      }
      if (control >= 160) d.resetState();
      yield* need(q, packed, "LZMA2 chunk");
      const data = q.read(packed);
      d.initRangeCoder(data, 0, packed);
      let left = unpacked;
      while (left > 0) {
        if (w.pendingBytes >= OUT_CHUNK || w.pos === w.buf.length && w.pendingBytes > 0) yield w.flush();
        const limit = w.prepare(Math.min(left, OUT_CHUNK));
        const before = w.pos;
        d.decode(limit, packed);
        if (d.sawEndMarker) throw new PayloadFormatError("LZMA2 chunk contains an end marker");
        left -= w.pos - before;
      }
      if (d.pendingLen > 0 || !d.finishRangeCoder() || d.inPos !== packed) {
        throw new PayloadFormatError("LZMA2 chunk sizes do not match its data");
      }
    } else {
      if (control > 2) throw new PayloadFormatError(`invalid LZMA2 control byte 0x${control.toString(16)}`);
      yield* need(q, 2, "LZMA2 chunk header");
      const h = q.read(2);
      let left = (h[0] << 8 | h[1]) + 1;
      yield* need(q, left, "LZMA2 stored chunk");
      while (left > 0) {
        if (w.pos === w.buf.length && w.pendingBytes > 0) yield w.flush();
        const limit = w.prepare(left);
        const n = limit - w.pos;
        w.append(q.read(n));
        left -= n;
      }
    }
  }
  if (w.pendingBytes > 0) yield w.flush();
}

// src/rpm/xz/xz.ts
var MAGIC = [253, 55, 122, 88, 90, 0];
var FILTER_LZMA2 = 33;
function u32le(b, at) {
  return (b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) >>> 0;
}
function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function readVli(b, at, end) {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (at >= end) throw new PayloadFormatError("xz integer runs past its field");
    const byte = b[at++];
    if (i > 0 && byte === 0) throw new PayloadFormatError("xz integer is not minimally encoded");
    value += (byte & 127) * 2 ** (7 * i);
    if ((byte & 128) === 0) {
      if (value > Number.MAX_SAFE_INTEGER) throw new PayloadFormatError("xz integer too large");
      return [value, at];
    }
  }
  throw new PayloadFormatError("xz integer longer than 9 bytes");
}
function parseBlockHeader(h) {
  const size = h.length;
  if (crc322(h.subarray(0, size - 4)) >>> 0 !== u32le(h, size - 4)) throw new PayloadFormatError("xz block header CRC32 mismatch");
  const flags = h[1];
  if (flags & 60) throw new RpmUnsupportedError("xz block header uses reserved flags");
  const end = size - 4;
  let at = 2;
  let compressedSize;
  let uncompressedSize;
  if (flags & 64) [compressedSize, at] = readVli(h, at, end);
  if (flags & 128) [uncompressedSize, at] = readVli(h, at, end);
  if (compressedSize === 0) throw new PayloadFormatError("xz block header declares compressed size 0");
  const filters = (flags & 3) + 1;
  let dictSize = -1;
  for (let i = 0; i < filters; i++) {
    let id;
    let propsSize;
    [id, at] = readVli(h, at, end);
    [propsSize, at] = readVli(h, at, end);
    if (at + propsSize > end) throw new PayloadFormatError("xz filter properties run past the block header");
    if (id !== FILTER_LZMA2 || i !== filters - 1) {
      throw new RpmUnsupportedError(`xz filter 0x${id.toString(16)} is not supported (only LZMA2)`);
    }
    if (propsSize !== 1) throw new PayloadFormatError("LZMA2 filter properties must be one byte");
    dictSize = lzma2DictSize(h[at]);
    at += propsSize;
  }
  for (; at < end; at++) if (h[at] !== 0) throw new PayloadFormatError("xz block header padding is not zero");
  return { size, compressedSize, uncompressedSize, dictSize };
}
function* readIndex(q, records) {
  const bytes = [0];
  const vli = function* () {
    const start = bytes.length;
    for (; ; ) {
      yield* need(q, 1, "xz index");
      const b = q.readByte();
      bytes.push(b);
      if ((b & 128) === 0 || bytes.length - start >= 9) break;
    }
    const arr = Uint8Array.from(bytes.slice(start));
    return readVli(arr, 0, arr.length)[0];
  };
  const count = yield* vli();
  if (count !== records.length / 2) throw new PayloadFormatError(`xz index lists ${count} blocks, the stream has ${records.length / 2}`);
  for (let i = 0; i < records.length; i++) {
    const v = yield* vli();
    if (v !== records[i]) throw new PayloadFormatError("xz index does not match the blocks");
  }
  const pad = (4 - bytes.length % 4) % 4;
  yield* need(q, pad + 4, "xz index");
  const padding = q.read(pad);
  for (const b of padding) {
    if (b !== 0) throw new PayloadFormatError("xz index padding is not zero");
    bytes.push(0);
  }
  const stored = u32le(q.read(4), 0);
  if (crc322(Uint8Array.from(bytes)) >>> 0 !== stored) throw new PayloadFormatError("xz index CRC32 mismatch");
  return bytes.length + 4;
}
function* decodeBlock(q, header, checkId) {
  const check = createCheck(checkId);
  const startConsumed = q.consumed;
  let produced = 0;
  const lzma2 = decodeLzma2(q, header.dictSize);
  for (; ; ) {
    const step = lzma2.next();
    if (step.done) break;
    if (step.value === NEED_INPUT) {
      yield NEED_INPUT;
      continue;
    }
    produced += step.value.length;
    if (header.uncompressedSize !== void 0 && produced > header.uncompressedSize) {
      throw new PayloadFormatError("xz block is larger than its header says");
    }
    check?.update(step.value);
    yield step.value;
  }
  const compressed = q.consumed - startConsumed;
  if (header.compressedSize !== void 0 && compressed !== header.compressedSize) throw new PayloadFormatError("xz block compressed size mismatch");
  if (header.uncompressedSize !== void 0 && produced !== header.uncompressedSize) throw new PayloadFormatError("xz block uncompressed size mismatch");
  const pad = (4 - compressed % 4) % 4;
  const size = checkSize(checkId);
  yield* need(q, pad + size, "xz block padding and check");
  for (const b of q.read(pad)) if (b !== 0) throw new PayloadFormatError("xz block padding is not zero");
  const stored = q.read(size);
  if (check && !equalBytes(check.digest(), stored)) throw new PayloadFormatError("xz block check mismatch (corrupt data)");
  return [header.size + compressed + size, produced];
}
function* decodeXz(q) {
  for (; ; ) {
    yield* need(q, 12, "xz stream header");
    const h = q.read(12);
    for (let i = 0; i < 6; i++) if (h[i] !== MAGIC[i]) throw new PayloadFormatError("not an xz stream (bad magic)");
    if (crc322(h.subarray(6, 8)) >>> 0 !== u32le(h, 8)) throw new PayloadFormatError("xz stream header CRC32 mismatch");
    if (h[6] !== 0 || h[7] & 240) throw new RpmUnsupportedError("xz stream flags use reserved bits");
    const flags = h.slice(6, 8);
    const checkId = h[7] & 15;
    const records = [];
    for (; ; ) {
      yield* need(q, 1, "xz block header");
      const first = q.peekByte();
      if (first === 0) {
        q.readByte();
        break;
      }
      const size = (first + 1) * 4;
      yield* need(q, size, "xz block header");
      const header = parseBlockHeader(q.read(size).slice());
      const [unpadded, uncompressed] = yield* decodeBlock(q, header, checkId);
      records.push(unpadded, uncompressed);
    }
    const indexSize = yield* readIndex(q, records);
    yield* need(q, 12, "xz stream footer");
    const f = q.read(12);
    if (crc322(f.subarray(4, 10)) >>> 0 !== u32le(f, 0)) throw new PayloadFormatError("xz stream footer CRC32 mismatch");
    if ((u32le(f, 4) + 1) * 4 !== indexSize) throw new PayloadFormatError("xz footer backward size does not match the index");
    if (f[8] !== flags[0] || f[9] !== flags[1]) throw new PayloadFormatError("xz footer flags differ from the header");
    if (f[10] !== 89 || f[11] !== 90) throw new PayloadFormatError("xz stream footer magic missing");
    for (; ; ) {
      if (!(yield* want(q, 1))) return;
      if (q.peekByte() !== 0) break;
      yield* need(q, 4, "xz stream padding");
      for (const b of q.read(4)) if (b !== 0) throw new PayloadFormatError("xz stream padding is not zero");
    }
  }
}

// src/rpm/xz/lzmaAlone.ts
var MARGIN = 32;
function* decodeLzmaAlone(q) {
  yield* need(q, 13, ".lzma header");
  const h = q.read(13);
  const view = new DataView(h.buffer, h.byteOffset, 13);
  const props = parseLzmaPropsByte(h[0]);
  const dictSize = view.getUint32(1, true);
  const sizeLo = view.getUint32(5, true);
  const sizeHi = view.getUint32(9, true);
  const sizeKnown = !(sizeLo === 4294967295 && sizeHi === 4294967295);
  if (sizeKnown && sizeHi >= 2097152) throw new PayloadFormatError(".lzma header declares an impossible uncompressed size");
  const total = sizeKnown ? sizeHi * 2 ** 32 + sizeLo : Infinity;
  const w = new OutWindow(sizeKnown ? Math.min(dictSize, Math.max(total, 4096)) : dictSize);
  const d = new LzmaDecoder(w);
  d.setProps(props);
  d.resetState();
  yield* need(q, 5, ".lzma range coder start");
  d.initRangeCoder(q.read(5), 0, 5);
  let produced = 0;
  for (; ; ) {
    if (w.pendingBytes >= OUT_CHUNK || w.pos === w.buf.length && w.pendingBytes > 0) {
      const out = w.flush();
      produced += out.length;
      yield out;
    }
    const remaining = total - produced - w.pendingBytes;
    if (remaining <= 0 || d.sawEndMarker) break;
    const plenty = yield* want(q, MARGIN + 1);
    const { buf, pos, end } = q.contiguous(MARGIN + 1);
    const inLimit = !plenty || q.ended && end - pos === q.available ? end : end - MARGIN;
    d.setInput(buf, pos, end);
    const limit = w.prepare(Math.min(OUT_CHUNK, remaining));
    d.decode(limit, inLimit);
    q.skip(d.inPos - pos);
  }
  if (w.pendingBytes > 0) yield w.flush();
  if (!sizeKnown && !d.sawEndMarker) throw new PayloadFormatError(".lzma stream ended without its end marker");
}

// src/rpm/bzip2/bitReader.ts
var BitReader = class {
  buf = new Uint8Array(0);
  pos = 0;
  /** Where the current view started (bytes before it were already taken from the queue). */
  viewStart = 0;
  end = 0;
  /** The view holds all remaining input: running out means truncation rather than corruption. */
  final = false;
  bitBuf = 0;
  bitCount = 0;
  setView(buf, pos, end, final) {
    this.buf = buf;
    this.pos = pos;
    this.viewStart = pos;
    this.end = end;
    this.final = final;
  }
  /** Unread whole bytes (held in the bit buffer plus the view). */
  get bytesLeft() {
    return (this.bitCount >>> 3) + (this.end - this.pos);
  }
  bits(n) {
    while (this.bitCount < n) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? "bzip2 stream truncated" : "bzip2 block is larger than the format allows");
      }
      this.bitBuf = this.bitBuf << 8 | this.buf[this.pos++];
      this.bitCount += 8;
    }
    this.bitCount -= n;
    return this.bitBuf >>> this.bitCount & (1 << n) - 1;
  }
  bit() {
    if (this.bitCount === 0) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? "bzip2 stream truncated" : "bzip2 block is larger than the format allows");
      }
      this.bitBuf = this.buf[this.pos++];
      this.bitCount = 8;
    }
    this.bitCount--;
    return this.bitBuf >>> this.bitCount & 1;
  }
  /** The next n bits (n <= 24) without taking them. */
  peek(n) {
    while (this.bitCount < n) {
      if (this.pos >= this.end) {
        throw new PayloadFormatError(this.final ? "bzip2 stream truncated" : "bzip2 block is larger than the format allows");
      }
      this.bitBuf = this.bitBuf << 8 | this.buf[this.pos++];
      this.bitCount += 8;
    }
    return this.bitBuf >>> this.bitCount - n & (1 << n) - 1;
  }
  /** Take n bits already looked at with peek(). */
  consume(n) {
    this.bitCount -= n;
  }
  /** Drop the bits left in a partly read byte (streams end on a byte boundary). */
  alignToByte() {
    this.bitCount -= this.bitCount & 7;
  }
};

// src/rpm/bzip2/huffman.ts
var MAX_CODE_LEN = 20;
var LOOKUP_BITS = 10;
var HuffmanTable = class {
  limit = new Int32Array(MAX_CODE_LEN + 2);
  base = new Int32Array(MAX_CODE_LEN + 2);
  perm = new Uint16Array(258);
  lookup = new Uint16Array(1 << LOOKUP_BITS);
  minLen = 0;
  maxLen = 0;
  build(lengths, alphaSize) {
    let min = MAX_CODE_LEN;
    let max = 0;
    for (let i = 0; i < alphaSize; i++) {
      if (lengths[i] > max) max = lengths[i];
      if (lengths[i] < min) min = lengths[i];
    }
    this.minLen = min;
    this.maxLen = max;
    this.lookup.fill(0);
    let p = 0;
    let code = 0;
    for (let len = min; len <= max; len++) {
      const first = p;
      for (let s = 0; s < alphaSize; s++) {
        if (lengths[s] !== len) continue;
        this.perm[p++] = s;
        const c = code + (p - first - 1);
        if (len <= LOOKUP_BITS && c < 1 << len) {
          const shift = LOOKUP_BITS - len;
          this.lookup.fill(s << 5 | len, c << shift, c + 1 << shift);
        }
      }
      const count = p - first;
      this.base[len] = first - code;
      this.limit[len] = code + count - 1;
      code = (code + count) * 2;
    }
  }
  decode(r) {
    const e = this.lookup[r.peek(LOOKUP_BITS)];
    if (e !== 0) {
      r.consume(e & 31);
      return e >>> 5;
    }
    let len = this.minLen > LOOKUP_BITS ? this.minLen : LOOKUP_BITS + 1;
    let v = r.bits(len);
    while (v > this.limit[len]) {
      if (++len > this.maxLen) throw new PayloadFormatError("bzip2 data holds an invalid Huffman code");
      v = v << 1 | r.bit();
    }
    return this.perm[v + this.base[len]];
  }
};

// src/rpm/bzip2/bzip2.ts
var MAX_BLOCK_BYTES = 3 * 1024 * 1024;
var OUT_CHUNK2 = 256 * 1024;
var GROUP_SIZE = 50;
var MAX_GROUPS = 6;
var MAX_SELECTORS = 18002;
var CRC_TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 2147483648 ? c << 1 ^ 79764919 : c << 1;
  CRC_TABLE[i] = c >>> 0;
}
function* decodeBzip2(q) {
  const r = new BitReader();
  let tt = new Uint32Array(0);
  let streams = 0;
  for (; ; ) {
    yield* want(q, MAX_BLOCK_BYTES);
    viewAll(q, r);
    if (streams > 0 && r.bytesLeft < 4) return;
    const b0 = r.bits(8);
    const b1 = r.bits(8);
    const b2 = r.bits(8);
    const level = r.bits(8) - 48;
    if (b0 !== 66 || b1 !== 90 || b2 !== 104 || level < 1 || level > 9) {
      if (streams > 0) return;
      throw new PayloadFormatError("not a bzip2 stream (bad magic)");
    }
    streams++;
    const blockMax = level * 1e5;
    if (tt.length < blockMax + 1) tt = new Uint32Array(blockMax + 1);
    let combined = 0;
    for (; ; ) {
      const magicHi = r.bits(24);
      const magicLo = r.bits(24);
      if (magicHi === 1536581 && magicLo === 3690640) {
        const stored = (r.bits(16) << 16 | r.bits(16)) >>> 0;
        if (stored !== combined >>> 0) throw new PayloadFormatError("bzip2 stream CRC mismatch");
        r.alignToByte();
        commit(q, r);
        break;
      }
      if (magicHi !== 3227993 || magicLo !== 2511705) throw new PayloadFormatError("bzip2 block magic missing (corrupt data)");
      const blockCrc = (r.bits(16) << 16 | r.bits(16)) >>> 0;
      const nblock = readBlock(r, tt, blockMax);
      commit(q, r);
      let crc = 4294967295;
      let out = new Uint8Array(OUT_CHUNK2);
      let o = 0;
      let tPos = tt[tt[nblock]] >>> 8;
      let last = -1;
      let run = 0;
      for (let k = 0; k < nblock; k++) {
        tPos = tt[tPos];
        const ch = tPos & 255;
        tPos >>>= 8;
        let reps = 1;
        if (run === 4) {
          reps = ch;
          run = 0;
        } else if (ch === last) {
          run++;
        } else {
          last = ch;
          run = 1;
        }
        while (reps-- > 0) {
          if (o === OUT_CHUNK2) {
            crc = crcUpdate(crc, out, o);
            yield out;
            out = new Uint8Array(OUT_CHUNK2);
            o = 0;
          }
          out[o++] = last;
        }
      }
      crc = crcUpdate(crc, out, o);
      if (o > 0) yield out.subarray(0, o);
      if (~crc >>> 0 !== blockCrc) throw new PayloadFormatError("bzip2 block CRC mismatch (corrupt data)");
      combined = ((combined << 1 | combined >>> 31) ^ blockCrc) >>> 0;
      yield* want(q, MAX_BLOCK_BYTES);
      viewAll(q, r);
    }
  }
}
function viewAll(q, r) {
  const v = q.contiguous(q.available);
  r.setView(v.buf, v.pos, v.pos + Math.min(q.available, v.end - v.pos), q.ended);
}
function commit(q, r) {
  q.skip(r.pos - r.viewStart);
  r.viewStart = r.pos;
}
function crcUpdate(crc, data, n) {
  for (let i = 0; i < n; i++) crc = crc << 8 ^ CRC_TABLE[(crc >>> 24 ^ data[i]) & 255];
  return crc;
}
function readBlock(r, tt, blockMax) {
  if (r.bit()) throw new RpmUnsupportedError("bzip2 randomized blocks (bzip2 < 0.9.5) are not supported");
  const origPtr = r.bits(24);
  const seqToUnseq = new Uint8Array(256);
  let inUse = 0;
  const used16 = r.bits(16);
  for (let i = 0; i < 16; i++) {
    if (used16 & 32768 >>> i) {
      const m = r.bits(16);
      for (let j = 0; j < 16; j++) if (m & 32768 >>> j) seqToUnseq[inUse++] = i * 16 + j;
    }
  }
  if (inUse === 0) throw new PayloadFormatError("bzip2 block uses no symbols");
  const alphaSize = inUse + 2;
  const groups = r.bits(3);
  if (groups < 2 || groups > MAX_GROUPS) throw new PayloadFormatError(`bzip2 block has ${groups} Huffman groups`);
  const nSelectors = r.bits(15);
  if (nSelectors < 1) throw new PayloadFormatError("bzip2 block has no selectors");
  const order = [0, 1, 2, 3, 4, 5];
  const selectors = new Uint8Array(Math.min(nSelectors, MAX_SELECTORS));
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (r.bit()) if (++j >= groups) throw new PayloadFormatError("bzip2 selector out of range");
    const g = order[j];
    for (let k = j; k > 0; k--) order[k] = order[k - 1];
    order[0] = g;
    if (i < MAX_SELECTORS) selectors[i] = g;
  }
  const tables = [];
  const lengths = new Uint8Array(258);
  for (let t = 0; t < groups; t++) {
    let len = r.bits(5);
    for (let s = 0; s < alphaSize; s++) {
      for (; ; ) {
        if (len < 1 || len > MAX_CODE_LEN) throw new PayloadFormatError("bzip2 code length out of range");
        if (!r.bit()) break;
        len += r.bit() ? -1 : 1;
      }
      lengths[s] = len;
    }
    const table2 = new HuffmanTable();
    table2.build(lengths, alphaSize);
    tables.push(table2);
  }
  const eob = alphaSize - 1;
  const mtf = new Uint8Array(256);
  for (let i = 0; i < 256; i++) mtf[i] = i;
  const counts = new Int32Array(256);
  let n = 0;
  let group = -1;
  let left = 0;
  let table = tables[0];
  let run = 0;
  let weight = 1;
  for (; ; ) {
    if (left === 0) {
      if (++group >= selectors.length) throw new PayloadFormatError("bzip2 block runs past its selectors");
      table = tables[selectors[group]];
      left = GROUP_SIZE;
    }
    left--;
    const sym = table.decode(r);
    if (sym <= 1) {
      run += (sym + 1) * weight;
      weight *= 2;
      if (run > blockMax) throw new PayloadFormatError("bzip2 run exceeds the block size");
      continue;
    }
    if (run > 0) {
      if (n + run > blockMax) throw new PayloadFormatError("bzip2 block exceeds its declared size");
      const b2 = seqToUnseq[mtf[0]];
      counts[b2] += run;
      tt.fill(b2, n, n + run);
      n += run;
      run = 0;
      weight = 1;
    }
    if (sym === eob) break;
    if (n >= blockMax) throw new PayloadFormatError("bzip2 block exceeds its declared size");
    const idx = sym - 1;
    const v = mtf[idx];
    for (let k = idx; k > 0; k--) mtf[k] = mtf[k - 1];
    mtf[0] = v;
    const b = seqToUnseq[v];
    counts[b]++;
    tt[n++] = b;
  }
  if (origPtr >= n) throw new PayloadFormatError("bzip2 block origin pointer out of range");
  const cftab = new Int32Array(256);
  for (let i = 0, sum = 0; i < 256; i++) {
    cftab[i] = sum;
    sum += counts[i];
  }
  for (let i = 0; i < n; i++) {
    const b = tt[i] & 255;
    tt[cftab[b]++] |= i << 8;
  }
  tt[n] = origPtr;
  return n;
}

// src/rpm/decompress.ts
var ZLIB_CHUNK = 256 * 1024;
function createDecompressor(compressor, opts = {}) {
  if (opts.external && (compressor === "xz" || compressor === "lzma" || compressor === "bzip2")) {
    const external = externalDecompressor(compressor);
    if (external) return external;
  }
  switch (compressor) {
    case "gzip":
      return wrapZlibErrors(zlib.createGunzip({ chunkSize: ZLIB_CHUNK }), "gzip");
    case "zstd":
      return wrapZlibErrors(zlib.createZstdDecompress({ chunkSize: ZLIB_CHUNK }), "zstd");
    case "xz":
      return new GeneratorTransform(decodeXz, "xz");
    case "lzma":
      return new GeneratorTransform(decodeLzmaAlone, "lzma");
    case "bzip2":
      return new GeneratorTransform(decodeBzip2, "bzip2");
    case "":
    case "none":
    case "identity":
    case "ufdio":
      return new PassThrough();
    default:
      throw new RpmUnsupportedError(`payload compressor '${compressor}' is not supported (gzip, zstd, xz, lzma, bzip2)`);
  }
}
function wrapZlibErrors(t, format) {
  const originalDestroy = t.destroy.bind(t);
  t.destroy = (err) => {
    if (err && !(err instanceof PayloadFormatError)) {
      err = new PayloadFormatError(`${format} decompression failed: ${err.message}`, { cause: err });
    }
    return originalDestroy(err);
  };
  return t;
}
function detectCompression(first) {
  if (first.length >= 2 && first[0] === 31 && first[1] === 139) return "gzip";
  if (first.length >= 4 && first[0] === 40 && first[1] === 181 && first[2] === 47 && first[3] === 253) return "zstd";
  if (first.length >= 6 && first[0] === 253 && first[1] === 55 && first[2] === 122 && first[3] === 88 && first[4] === 90 && first[5] === 0) return "xz";
  if (first.length >= 4 && first[0] === 66 && first[1] === 90 && first[2] === 104 && first[3] >= 49 && first[3] <= 57) return "bzip2";
  if (first.length >= 5 && first[0] === 93 && first[1] === 0) {
    const dict = first[1] + first[2] * 256 + first[3] * 65536 + first[4] * 16777216;
    if (dict >= 4096 && dict <= 1536 * 1024 * 1024) return "lzma";
  }
  return "none";
}
function createCompressor(kind, level) {
  if (kind === "gzip") return zlib.createGzip(level === void 0 ? {} : { level });
  if (kind === "zstd") {
    const params = {};
    if (level !== void 0) params[zlib.constants.ZSTD_c_compressionLevel] = level;
    return zlib.createZstdCompress({ params });
  }
  throw new RpmUnsupportedError(`cannot compress with '${String(kind)}' (gzip or zstd)`);
}

export {
  createDecompressor,
  detectCompression,
  createCompressor
};
