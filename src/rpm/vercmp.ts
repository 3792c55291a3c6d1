// rpm's version comparison, with its exact semantics (rpmio/rpmvercmp.c, lib/rpmver.c):
// - strings are split into maximal runs of ASCII digits or ASCII letters; everything else separates;
// - `~` sorts before anything, even the end of the string ("1.0~rc1" < "1.0");
// - `^` sorts after the end of the string but before any other segment ("1.0" < "1.0^git1" < "1.0.1");
// - a numeric segment beats an alpha one; numbers compare by value (leading zeros dropped, so any
//   length works), letters by byte order;
// - when all segments tie, the string with characters left over wins, but separators alone never
//   matter ("1.0" == "1_0", "1.0" < "1.0.").
// https://github.com/rpm-software-management/rpm/blob/master/rpmio/rpmvercmp.c

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const TILDE = 126;
const CARET = 94;
/** charCodeAt past the end gives NaN; 0 stands for rpm's NUL terminator. */
const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);

export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
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
    // A numeric segment against an alpha one (empty here): numbers are newer.
    if (ej === j) return numeric ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
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

export interface Evr {
  /** null when the string had no epoch (rpm then treats it as 0 when comparing). */
  epoch: number | null;
  version: string;
  /** null when the string had no release. */
  release: string | null;
}

/** rpmverParse: "[E:]V[-R]"; the epoch is the leading digits before ':', the release follows the last '-'. */
export function parseEvr(evr: string): Evr {
  let k = 0;
  while (k < evr.length && isDigit(evr.charCodeAt(k))) k++;
  let epoch: number | null = null;
  let rest = evr;
  if (evr.charCodeAt(k) === 58 /* : */) {
    epoch = k === 0 ? 0 : Number(evr.slice(0, k));
    rest = evr.slice(k + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: null };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

export interface EvrLike {
  epoch?: number | string | null;
  version: string;
  release?: string | null;
}

/** rpmverCmp: epoch (missing = 0), then version, then release when both have one. */
export function compareEvr(a: EvrLike, b: EvrLike): -1 | 0 | 1 {
  const ea = a.epoch === undefined || a.epoch === null ? '0' : String(a.epoch);
  const eb = b.epoch === undefined || b.epoch === null ? '0' : String(b.epoch);
  const e = rpmvercmp(ea, eb);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === undefined || a.release === null || b.release === undefined || b.release === null) return 0;
  return rpmvercmp(a.release, b.release);
}

/** [epoch:]version-release */
export function formatEvr(e: { epoch?: number | null; version: string; release?: string | null }): string {
  return `${e.epoch ? `${e.epoch}:` : ''}${e.version}${e.release ? `-${e.release}` : ''}`;
}
