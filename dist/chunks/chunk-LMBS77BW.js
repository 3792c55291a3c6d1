#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  loadUndici
} from "./chunk-X4A4NOVL.js";
import {
  AuthError,
  UpstreamError
} from "./chunk-JAH4FOK6.js";

// src/image/builds.ts
function sameBuild(a, b) {
  if (a.sha256Header && b.sha256Header) return a.sha256Header.toLowerCase() === b.sha256Header.toLowerCase();
  if (a.sigmd5 && b.sigmd5) return a.sigmd5.toLowerCase() === b.sigmd5.toLowerCase();
  return false;
}
var MemoryBudget = class {
  used = 0;
  waiting = [];
  limit;
  constructor(limit) {
    this.limit = limit;
  }
  /** Resolves once `bytes` are held; answers the function that gives them back (once). */
  async claim(bytes) {
    if (this.waiting.length === 0 && this.fits(bytes)) this.used += bytes;
    else await new Promise((go) => this.waiting.push({ bytes, go }));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= bytes;
      while (this.waiting.length > 0 && this.fits(this.waiting[0].bytes)) {
        const next = this.waiting.shift();
        this.used += next.bytes;
        next.go();
      }
    };
  }
  fits(bytes) {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
};
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failure2 = settled.find((r) => r.status === "rejected");
  if (failure2) throw failure2.reason;
  return out;
}

// src/image/register.ts
function apiUrl(proxyUrl, path) {
  return `${proxyUrl.replace(/\/+$/, "")}/api/v1/${path}`;
}
function failure(status, body, what) {
  let detail = "";
  try {
    const json = JSON.parse(body);
    detail = typeof json.error === "string" ? json.error : json.error?.message ?? json.message ?? "";
  } catch {
  }
  if (status === 401 || status === 403) return new AuthError(`${what}: the proxy refused the token (HTTP ${status})${detail ? `: ${detail}` : ""}; pass --token`);
  return new UpstreamError(`${what}: HTTP ${status}${detail ? `: ${detail}` : ""}`, { status });
}
var REGISTER_TIMEOUT_MS = 30 * 6e4;
async function registerManifest(proxyUrl, manifestJson, token) {
  const url = apiUrl(proxyUrl, "manifests");
  const { Agent, request } = await loadUndici();
  const dispatcher = new Agent({ headersTimeout: REGISTER_TIMEOUT_MS, bodyTimeout: REGISTER_TIMEOUT_MS });
  try {
    const res = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...token ? { authorization: `Bearer ${token}` } : {} },
      body: manifestJson,
      dispatcher
    }).catch((e) => {
      throw new UpstreamError(`registering with ${url} failed: ${e.message}`, { cause: e });
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw failure(res.statusCode, text, `registering with ${url}`);
    const body = JSON.parse(text);
    return String(body.id ?? "");
  } finally {
    await dispatcher.close();
  }
}
async function getApiJson(proxyUrl, path) {
  const url = apiUrl(proxyUrl, path);
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new UpstreamError(`${url} failed: ${e.message}`, { cause: e });
  }
  if (!res.ok) throw failure(res.status, await res.text().catch(() => ""), url);
  return res.json();
}

export {
  sameBuild,
  MemoryBudget,
  mapLimit,
  apiUrl,
  registerManifest,
  getApiJson
};
