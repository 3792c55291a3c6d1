#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  PathTraversalError,
  UpstreamError,
  isYumvaultError
} from "./chunk-JAH4FOK6.js";

// src/repo/transport.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
var undici;
var loadUndici = () => undici ??= import("./undici-77HKZ4BK.js").then((m) => m.Agent ? m : m.default);
var USER_AGENT = "yumvault/0.1";
var RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
function createTransport(base, http = {}) {
  if (/^https?:\/\//i.test(base)) return new HttpTransport(base, http);
  const dir = /^file:/i.test(base) ? fileURLToPath(base) : resolve(base);
  return new FileTransport(dir);
}
function normaliseBase(base) {
  return base.endsWith("/") ? base : `${base}/`;
}
var HttpTransport = class {
  base;
  given;
  dispatcher;
  ownAgent;
  opts;
  constructor(base, o) {
    this.base = normaliseBase(base);
    this.opts = {
      connectTimeoutMs: o.connectTimeoutMs ?? 1e4,
      headersTimeoutMs: o.headersTimeoutMs ?? 3e4,
      bodyIdleTimeoutMs: o.bodyIdleTimeoutMs ?? 3e4,
      retries: o.retries ?? 3,
      retryBackoffMs: o.retryBackoffMs ?? 250,
      userAgent: o.userAgent ?? USER_AGENT,
      headers: o.headers ?? {}
    };
    this.given = o.dispatcher;
  }
  dispatch() {
    this.dispatcher ??= this.given ? Promise.resolve(this.given) : loadUndici().then(({ Agent, interceptors }) => {
      this.ownAgent = new Agent({ connect: { timeout: this.opts.connectTimeoutMs } });
      return this.ownAgent.compose(interceptors.redirect({ maxRedirections: 5 }));
    });
    return this.dispatcher;
  }
  get description() {
    return this.base;
  }
  async open(location, range) {
    const url = new URL(location, this.base).href;
    let attempt = 0;
    for (; ; ) {
      try {
        return await this.once(url, range);
      } catch (e) {
        const retryable = !(e instanceof UpstreamError) || e.status === void 0 || RETRYABLE_STATUS.has(e.status);
        if (!retryable || attempt >= this.opts.retries || isNotFound(e)) throw e;
        const wait = this.opts.retryBackoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        attempt++;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
  async once(url, range) {
    const headers = { "user-agent": this.opts.userAgent, ...this.opts.headers };
    const wantsRange = range !== void 0 && (range.start > 0 || range.end !== void 0);
    if (wantsRange) headers.range = `bytes=${range.start}-${range.end === void 0 ? "" : range.end - 1}`;
    let res;
    try {
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.dispatch()]);
      res = await request(url, {
        method: "GET",
        headers,
        dispatcher,
        headersTimeout: this.opts.headersTimeoutMs,
        bodyTimeout: this.opts.bodyIdleTimeoutMs
      });
    } catch (e) {
      throw new UpstreamError(`GET ${url} failed: ${describe(e)}`, { cause: e });
    }
    const status = res.statusCode;
    if (status === 404 || status === 410) {
      discard(res.body);
      throw new UpstreamError(`GET ${url}: HTTP ${status} (not found)`, { status });
    }
    if (status !== 200 && status !== 206) {
      discard(res.body);
      if (status === 416 && range && range.end === void 0) {
        return { body: (async function* () {
        })(), length: 0, abort() {
        } };
      }
      throw new UpstreamError(`GET ${url}: HTTP ${status}`, { status });
    }
    const contentLength = numberHeader(res.headers["content-length"]);
    let skip = 0;
    let length = contentLength;
    let totalSize = status === 200 ? contentLength : totalFromContentRange(res.headers["content-range"]);
    if (wantsRange && status === 200) {
      skip = range.start;
      length = range.end === void 0 ? contentLength === void 0 ? void 0 : Math.max(0, contentLength - skip) : range.end - range.start;
    } else if (wantsRange && status === 206) {
      const cr = /^bytes (\d+)-(\d+)\//.exec(String(res.headers["content-range"] ?? ""));
      if (!cr || Number(cr[1]) !== range.start) {
        discard(res.body);
        throw new UpstreamError(`GET ${url}: asked for bytes from ${range.start}, got Content-Range '${String(res.headers["content-range"])}'`, { status });
      }
    }
    const body = res.body;
    const expected = length;
    const abort = () => {
      discard(body);
    };
    async function* sliced() {
      let toSkip = skip;
      let remaining = expected;
      let got = 0;
      try {
        for await (const raw of body) {
          let chunk = raw;
          if (toSkip > 0) {
            if (chunk.length <= toSkip) {
              toSkip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(toSkip);
            toSkip = 0;
          }
          if (remaining !== void 0 && chunk.length >= remaining) {
            if (remaining > 0) yield chunk.subarray(0, remaining);
            got += remaining;
            remaining = 0;
            break;
          }
          if (remaining !== void 0) remaining -= chunk.length;
          got += chunk.length;
          yield chunk;
        }
      } catch (e) {
        if (isYumvaultError(e)) throw e;
        throw new UpstreamError(`GET ${url}: body failed after ${got} bytes: ${describe(e)}`, { cause: e, status });
      } finally {
        discard(body);
      }
      if (remaining !== void 0 && remaining > 0) {
        throw new UpstreamError(`GET ${url}: body ended after ${got} of ${expected} bytes`, { status });
      }
    }
    return { body: sliced(), ...length !== void 0 ? { length } : {}, ...totalSize !== void 0 ? { totalSize } : {}, abort };
  }
  async close() {
    await this.dispatcher?.catch(() => void 0);
    await this.ownAgent?.close();
  }
};
var FileTransport = class {
  // A plain field, not a parameter property: Node runs .ts by stripping types only (no parameter properties).
  dir;
  constructor(dir) {
    this.dir = dir;
  }
  get description() {
    return this.dir;
  }
  async open(location, range) {
    const path = this.resolve(location);
    const st = await stat(path).catch((e) => {
      if (e.code === "ENOENT" || e.code === "ENOTDIR") throw new UpstreamError(`${path} does not exist`, { status: 404 });
      throw new UpstreamError(`cannot read ${path}: ${e.message}`, { cause: e });
    });
    if (!st.isFile()) throw new UpstreamError(`${path} is not a file`, { status: 404 });
    const start = Math.min(range?.start ?? 0, st.size);
    const end = Math.min(range?.end ?? st.size, st.size);
    if (end <= start) return { body: (async function* () {
    })(), length: 0, totalSize: st.size, abort() {
    } };
    const stream = createReadStream(path, { start, end: end - 1 });
    return { body: stream, length: end - start, totalSize: st.size, abort: () => stream.destroy() };
  }
  resolve(location) {
    if (/^file:/i.test(location)) return fileURLToPath(location);
    if (/^[a-z][a-z0-9+.-]*:/i.test(location)) throw new UpstreamError(`cannot read '${location}' from a local repository ${this.dir}`);
    const decoded = location.split("/").map((p) => decodeURIComponent(p));
    if (isAbsolute(location) || decoded.includes("..") || location.includes("\\")) {
      throw new PathTraversalError(`location '${location}' escapes the repository ${this.dir}`);
    }
    const path = join(this.dir, ...decoded);
    if (!path.startsWith(this.dir.endsWith(sep) ? this.dir : this.dir + sep)) throw new PathTraversalError(`location '${location}' escapes the repository ${this.dir}`);
    return path;
  }
  async close() {
  }
};
function isNotFound(e) {
  return e instanceof UpstreamError ? e.status === 404 || e.status === 410 : e.code === "YV_NOT_FOUND";
}
function discard(body) {
  if (body.destroyed) return;
  body.on("error", () => {
  });
  body.destroy();
}
function numberHeader(v) {
  if (typeof v !== "string") return void 0;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : void 0;
}
function totalFromContentRange(v) {
  const m = typeof v === "string" ? /\/(\d+)\s*$/.exec(v) : null;
  return m ? Number(m[1]) : void 0;
}
function describe(e) {
  if (e instanceof Error) {
    const code = e.code;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

export {
  loadUndici,
  createTransport,
  normaliseBase,
  isNotFound
};
