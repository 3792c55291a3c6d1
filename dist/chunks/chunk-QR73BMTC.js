#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/rpm/vercmp.ts
var isDigit = (c) => c >= 48 && c <= 57;
var isAlpha = (c) => c >= 65 && c <= 90 || c >= 97 && c <= 122;
var TILDE = 126;
var CARET = 94;
var at = (s, i) => i < s.length ? s.charCodeAt(i) : 0;
function rpmvercmp(a, b) {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isDigit(at(a, i)) && !isAlpha(at(a, i)) && at(a, i) !== TILDE && at(a, i) !== CARET) i++;
    while (j < b.length && !isDigit(at(b, j)) && !isAlpha(at(b, j)) && at(b, j) !== TILDE && at(b, j) !== CARET) j++;
    const ca = at(a, i);
    const cb = at(b, j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    let ei = i;
    let ej = j;
    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAlpha;
    while (ei < a.length && inSegment(at(a, ei))) ei++;
    while (ej < b.length && inSegment(at(b, ej))) ej++;
    if (ej === j) return numeric ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, "");
      sb = sb.replace(/^0+/, "");
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  if (!restA && !restB) return 0;
  return restA ? 1 : -1;
}
function parseEvr(evr) {
  let k = 0;
  while (k < evr.length && isDigit(evr.charCodeAt(k))) k++;
  let epoch = null;
  let rest = evr;
  if (evr.charCodeAt(k) === 58) {
    epoch = k === 0 ? 0 : Number(evr.slice(0, k));
    rest = evr.slice(k + 1);
  }
  const dash = rest.lastIndexOf("-");
  if (dash < 0) return { epoch, version: rest, release: null };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}
function compareEvr(a, b) {
  const ea = a.epoch === void 0 || a.epoch === null ? "0" : String(a.epoch);
  const eb = b.epoch === void 0 || b.epoch === null ? "0" : String(b.epoch);
  const e = rpmvercmp(ea, eb);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === void 0 || a.release === null || b.release === void 0 || b.release === null) return 0;
  return rpmvercmp(a.release, b.release);
}
function formatEvr(e) {
  return `${e.epoch ? `${e.epoch}:` : ""}${e.version}${e.release ? `-${e.release}` : ""}`;
}

export {
  rpmvercmp,
  parseEvr,
  compareEvr,
  formatEvr
};
