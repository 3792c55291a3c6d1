// From an rpm's signature and main header to what repodata says about it, by createrepo_c's rules
// (src/parsehdr.c cr_package_from_header, 0.17+): which dependencies are listed and how, the file types,
// the sizes, and the changelog subset. Following them exactly is what makes our vault's repodata read the
// same to dnf as createrepo_c's.

import { stat } from 'node:fs/promises';
import { hashFile } from '../util/hashFile.ts';
import type { RpmHeader } from '../rpm/header.ts';
import { readRpmPackage } from '../rpm/package.ts';
import { rpmvercmp } from '../rpm/vercmp.ts';
import { Tag, SigTag } from '../rpm/tags.ts';
import { FileFlags, type Nevra } from '../rpm/types.ts';
import { RpmFormatError } from '../errors.ts';
import type { Dependency, DependencyKind, DepFlag, PackageTexts, PrimaryFile, PrimaryFileType } from './primary.ts';

export interface Changelog {
  author: string;
  /** Seconds since the epoch. */
  date: number;
  text: string;
}

/** Everything primary, filelists and other say about one package. */
export interface RepodataPackage extends Nevra, PackageTexts {
  /** sha256 of the .rpm, lowercase hex. */
  pkgid: string;
  time: { file: number; build: number };
  size: { package: number; installed: number; archive: number };
  location: { href: string; base?: string };
  headerRange: { start: number; end: number };
  dependencies: Record<DependencyKind, Dependency[]>;
  /** Every file in header order (primary lists the subset cr_is_primary picks). */
  files: PrimaryFile[];
  /** In other.xml order (oldest first), at most the changelog limit. */
  changelogs: Changelog[];
}

export interface PackageFacts {
  pkgid: string;
  /** Size of the .rpm in bytes. */
  size: number;
  location: { href: string; base?: string };
  /** mtime of the .rpm (seconds): primary's time file=. */
  fileTime: number;
  headerRange: { start: number; end: number };
}

/** createrepo_c's default --changelog-limit. */
export const DEFAULT_CHANGELOG_LIMIT = 10;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
// RPMSENSE_* bits createrepo_c looks at (rpmds.h).
const SENSE_PREREQ = 1 << 6;
const SENSE_SCRIPT_PRE = 1 << 9;
const SENSE_SCRIPT_POST = 1 << 10;
const SENSE_POSTTRANS = 1 << 5;
const SENSE_PRETRANS = 1 << 7;
const SENSE_MISSINGOK = 1 << 19;
const SENSE_STRONG = 1 << 27;

const FLAG_NAMES: Record<number, DepFlag> = { 2: 'LT', 4: 'GT', 8: 'EQ', 10: 'LE', 12: 'GE' };

/** primary.xml's file subset (createrepo_c misc.h cr_is_primary; yum expects exactly this). */
export function isPrimaryFile(path: string): boolean {
  return path.startsWith('/etc/') || path === '/usr/lib/sendmail' || path.includes('bin/');
}

/** Builds the repodata view of a package from its parsed headers and the facts about the file. */
export function repodataPackageFromHeaders(sig: RpmHeader, main: RpmHeader, facts: PackageFacts, changelogLimit = DEFAULT_CHANGELOG_LIMIT): RepodataPackage {
  const str = (t: number) => main.getString(t) ?? '';
  const name = str(Tag.NAME);
  if (!name) throw new RpmFormatError(`${facts.location.href}: header has no NAME`);
  const isSource = main.has(Tag.SOURCEPACKAGE);
  const files = headerFiles(main);
  return {
    name,
    epoch: main.getNumber(Tag.EPOCH) ?? 0,
    version: str(Tag.VERSION),
    release: str(Tag.RELEASE),
    arch: isSource ? 'src' : str(Tag.ARCH),
    pkgid: facts.pkgid,
    summary: str(Tag.SUMMARY),
    description: str(Tag.DESCRIPTION),
    packager: str(Tag.PACKAGER),
    url: str(Tag.URL),
    license: str(Tag.LICENSE),
    vendor: str(Tag.VENDOR),
    group: str(Tag.GROUP),
    buildHost: str(Tag.BUILDHOST),
    sourceRpm: str(Tag.SOURCERPM),
    time: { file: facts.fileTime, build: main.getNumber(Tag.BUILDTIME) ?? 0 },
    size: {
      package: facts.size,
      installed: main.getNumber(Tag.LONGSIZE) ?? main.getNumber(Tag.SIZE) ?? 0,
      // rpm merges the signature's payload size into the header as (LONG)ARCHIVESIZE.
      archive: main.getNumber(Tag.LONGARCHIVESIZE) ?? main.getNumber(Tag.ARCHIVESIZE) ?? sig.getNumber(SigTag.LONGARCHIVESIZE) ?? sig.getNumber(SigTag.PAYLOADSIZE) ?? 0,
    },
    location: facts.location,
    headerRange: facts.headerRange,
    dependencies: dependencies(main, new Set(files.map((f) => f.path))),
    files,
    changelogs: changelogs(main, changelogLimit),
  };
}

function headerFiles(h: RpmHeader): Array<{ path: string; type: PrimaryFileType }> {
  const basenames = h.getStringArray(Tag.BASENAMES);
  const dirnames = h.getStringArray(Tag.DIRNAMES);
  const dirIndexes = h.getNumberArray(Tag.DIRINDEXES);
  const flags = h.getNumberArray(Tag.FILEFLAGS);
  const modes = h.getNumberArray(Tag.FILEMODES);
  const out: Array<{ path: string; type: PrimaryFileType }> = [];
  if (basenames.length === 0) return out;
  for (let i = 0; i < basenames.length; i++) {
    const di = dirIndexes[i] ?? -1;
    const dir = di >= 0 && di < dirnames.length ? dirnames[di]! : '';
    const mode = modes[i] ?? 0;
    const type: PrimaryFileType = (mode & S_IFMT) === S_IFDIR ? 'dir' : (flags[i] ?? 0) & FileFlags.GHOST ? 'ghost' : 'file';
    out.push({ path: dir + basenames[i]!, type });
  }
  return out;
}

/** "E:V-R" → parts as createrepo_c's cr_str_to_evr splits them; null for a non-numeric epoch. */
function splitEvr(s: string): { epoch?: string; version?: string; release?: string } | null {
  if (!s) return {};
  let rest = s;
  let epoch = '0';
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const m = /^[+-]?\d+/.exec(s);
    if (!m || m[0].length !== colon) return null;
    if (colon > 0) epoch = s.slice(0, colon);
    rest = s.slice(colon + 1);
  }
  const dash = rest.indexOf('-');
  const out: { epoch?: string; version?: string; release?: string } = { epoch };
  if (dash >= 0) {
    out.version = rest.slice(0, dash);
    const rel = rest.slice(dash + 1);
    if (rel) out.release = rel;
  } else out.version = rest;
  return out;
}

/** createrepo_c misc.c cr_compare_dependency for libc.so.6(...) names: is `b` newer than `a`? */
function libcNewer(a: string, b: string): boolean {
  const ver = (d: string): string | null | undefined => {
    const open = d.indexOf('(');
    if (open < 0) return undefined;
    const close = d.indexOf(')', open);
    if (close < 0) return null;
    const inner = d.slice(open + 1, close);
    const digit = inner.search(/\d/);
    return digit < 0 ? '' : inner.slice(digit);
  };
  const va = ver(a);
  const vb = ver(b);
  if (va === undefined && vb === undefined) return false;
  if (va === undefined) return true;
  if (vb === undefined) return false;
  if (!va && !vb) return false;
  if (!va) return true;
  if (!vb) return false;
  return rpmvercmp(va, vb) < 0;
}

const DEP_TAGS: Array<{ kind: DependencyKind | 'oldsuggests' | 'oldenhances'; name: number; flags: number; version: number }> = [
  { kind: 'provides', name: Tag.PROVIDENAME, flags: Tag.PROVIDEFLAGS, version: Tag.PROVIDEVERSION },
  { kind: 'conflicts', name: Tag.CONFLICTNAME, flags: Tag.CONFLICTFLAGS, version: Tag.CONFLICTVERSION },
  { kind: 'obsoletes', name: Tag.OBSOLETENAME, flags: Tag.OBSOLETEFLAGS, version: Tag.OBSOLETEVERSION },
  { kind: 'requires', name: Tag.REQUIRENAME, flags: Tag.REQUIREFLAGS, version: Tag.REQUIREVERSION },
  { kind: 'suggests', name: Tag.SUGGESTNAME, flags: Tag.SUGGESTFLAGS, version: Tag.SUGGESTVERSION },
  { kind: 'enhances', name: Tag.ENHANCENAME, flags: Tag.ENHANCEFLAGS, version: Tag.ENHANCEVERSION },
  { kind: 'recommends', name: Tag.RECOMMENDNAME, flags: Tag.RECOMMENDFLAGS, version: Tag.RECOMMENDVERSION },
  { kind: 'supplements', name: Tag.SUPPLEMENTNAME, flags: Tag.SUPPLEMENTFLAGS, version: Tag.SUPPLEMENTVERSION },
  // createrepo_c built with legacy weak deps (Debian's and Fedora's are) maps these too.
  { kind: 'oldsuggests', name: Tag.OLDSUGGESTSNAME, flags: Tag.OLDSUGGESTSFLAGS, version: Tag.OLDSUGGESTSVERSION },
  { kind: 'oldenhances', name: Tag.OLDENHANCESNAME, flags: Tag.OLDENHANCESFLAGS, version: Tag.OLDENHANCESVERSION },
];

function dependencies(h: RpmHeader, ownFiles: Set<string>): Record<DependencyKind, Dependency[]> {
  const out: Record<DependencyKind, Dependency[]> = { provides: [], requires: [], conflicts: [], obsoletes: [], suggests: [], enhances: [], recommends: [], supplements: [] };
  const provided = new Set<string>();
  const lastRequire = new Map<string, { flags: string; version: string; pre: boolean }>();
  for (const t of DEP_TAGS) {
    const names = h.getStringArray(t.name);
    const flagsArr = h.getNumberArray(t.flags);
    const versions = h.getStringArray(t.version);
    // createrepo_c reads the three arrays in step and stops at the shortest.
    const n = Math.min(names.length, flagsArr.length, versions.length);
    let libc: Dependency | undefined;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const num = flagsArr[i]!;
      const flag = FLAG_NAMES[num & 0xf];
      const full = versions[i] ?? '';
      const nfv = name + (flag ?? '') + full;
      let pre = false;
      if (t.kind === 'requires') {
        if (name.startsWith('rpmlib(')) continue;
        if (name.startsWith('/') && ownFiles.has(name) && isPrimaryFile(name)) continue;
        if (provided.has(nfv)) continue;
        pre = (num & (SENSE_PREREQ | SENSE_SCRIPT_PRE | SENSE_POSTTRANS | SENSE_PRETRANS | SENSE_SCRIPT_POST)) !== 0;
        const last = lastRequire.get(name);
        if (last && last.flags === (flag ?? '') && last.version === full && last.pre === pre) continue;
      }
      const evr = splitEvr(full);
      if (evr === null) continue; // bad epoch: createrepo_c warns and skips
      const dep: Dependency = { name };
      if (flag) {
        dep.flags = flag;
        if (evr.epoch) dep.epoch = evr.epoch;
        if (evr.version) dep.version = evr.version;
        if (evr.release) dep.release = evr.release;
      }
      switch (t.kind) {
        case 'provides':
          provided.add(nfv);
          out.provides.push(dep);
          break;
        case 'requires':
          if (num & SENSE_MISSINGOK) {
            out.recommends.push(dep);
            break;
          }
          if (pre) dep.pre = true;
          if (name.startsWith('libc.so.6')) {
            if (!libc || libcNewer(libc.name, name)) libc = dep;
            break;
          }
          out.requires.push(dep);
          lastRequire.set(name, { flags: flag ?? '', version: full, pre });
          break;
        case 'oldsuggests':
          (num & SENSE_STRONG ? out.recommends : out.suggests).push(dep);
          break;
        case 'oldenhances':
          (num & SENSE_STRONG ? out.supplements : out.enhances).push(dep);
          break;
        default:
          out[t.kind].push(dep);
      }
    }
    if (t.kind === 'requires' && libc) out.requires.push(libc);
  }
  return out;
}

function changelogs(h: RpmHeader, limit: number): Changelog[] {
  const times = h.getNumberArray(Tag.CHANGELOGTIME);
  const names = h.getStringArray(Tag.CHANGELOGNAME);
  const texts = h.getStringArray(Tag.CHANGELOGTEXT);
  const n = Math.min(times.length, names.length, texts.length, limit < 0 ? Infinity : limit);
  // createrepo_c prepends each entry (so other.xml runs oldest first) and, when two entries share a
  // time, bumps the later-listed (newer) ones by a second each so that dates stay distinct.
  const out: Changelog[] = [];
  let lastTime = 0;
  for (let i = 0; i < n; i++) {
    const date = times[i]!;
    out.unshift({ author: names[i]!.replace(/(?<=.) +$/, ''), date, text: texts[i]! });
    if (lastTime === date) {
      let t = date;
      for (let j = 1; j < out.length && out[j]!.date === t; j++) {
        out[j]!.date++;
        t++;
      }
    } else lastTime = date;
  }
  return out;
}

/**
 * Reads a package file: its headers (only the leading bytes), sha256 and size (one streaming pass) and
 * mtime, and returns its repodata view with `location` as given.
 */
export async function readRepodataPackage(path: string, location: { href: string; base?: string }, changelogLimit = DEFAULT_CHANGELOG_LIMIT): Promise<RepodataPackage> {
  const st = await stat(path);
  const pkg = await readRpmPackage(path);
  const { digest: pkgid } = await hashFile(path);
  return repodataPackageFromHeaders(
    pkg.signature,
    pkg.header,
    { pkgid, size: st.size, location, fileTime: Math.floor(st.mtimeMs / 1000), headerRange: { start: pkg.headerStart, end: pkg.headerEnd } },
    changelogLimit,
  );
}
