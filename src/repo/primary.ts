// primary.xml: one <package> per build with its NEVRA, checksum, location, sizes, header range and
// dependencies. Parsed as a stream: each package is yielded as soon as its </package> is seen and
// forgotten by us afterwards, so a 70,000-package primary costs one package of memory (plus the
// parser's chunk). Schema: createrepo_c's src/xml_dump_primary.c (namespaces "common" and "rpm").

import type { Nevra } from '../rpm/types.ts';
import { RepoMetadataError } from '../errors.ts';
import { inflated, type ByteSource } from './compression.ts';
import { normaliseChecksumType, type Checksum } from './repomd.ts';
import { xmlEventBatches, parseCount } from './xmlEvents.ts';

/** Dependency comparison flags as repodata spells them. */
export type DepFlag = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE';

export interface Dependency {
  name: string;
  flags?: DepFlag;
  epoch?: string;
  version?: string;
  release?: string;
  /** Requires(pre)/(post)…: installed before this package's scriptlets run. */
  pre?: boolean;
}

export type PrimaryFileType = 'file' | 'dir' | 'ghost';

export interface PrimaryFile {
  path: string;
  type: PrimaryFileType;
}

export const DEPENDENCY_KINDS = ['provides', 'requires', 'conflicts', 'obsoletes', 'suggests', 'enhances', 'recommends', 'supplements'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/** A package's descriptive fields as repodata carries them (from its header; "" where rpm has none). */
export interface PackageTexts {
  sourceRpm: string;
  summary: string;
  description: string;
  packager: string;
  url: string;
  license: string;
  vendor: string;
  group: string;
  buildHost: string;
}

export interface PrimaryPackage extends Nevra, PackageTexts {
  checksum: Checksum;
  /** The package's sha256 (lowercase hex) when the checksum is sha256, as rpm and dnf call it. */
  pkgid?: string;
  location: { href: string; base?: string };
  size: { package: number; installed: number; archive: number };
  time: { file: number; build: number };
  /** Byte range of the signature+main header (start is after the lead and signature; end is exclusive). */
  headerRange?: { start: number; end: number };
  dependencies: Record<DependencyKind, Dependency[]>;
  /** primary's subset of files (/etc/*, *bin/*, /usr/lib/sendmail); filelists.xml has them all. */
  files: PrimaryFile[];
}

export interface StreamPrimaryOptions {
  /** Name used in error messages (default primary.xml). */
  fileName?: string;
  /** Called with <metadata packages="N"> before the first package. */
  onCount?: (count: number) => void;
}

const TEXT_FIELDS = new Set(['name', 'arch', 'checksum', 'summary', 'description', 'packager', 'url', 'license', 'vendor', 'group', 'buildhost', 'sourcerpm', 'file']);
const DEP_FLAGS = new Set<string>(['EQ', 'LT', 'LE', 'GT', 'GE']);
const DEPENDENCY_KIND_SET = new Set<string>(DEPENDENCY_KINDS);

function emptyPackage(): PrimaryPackage {
  return {
    name: '',
    epoch: 0,
    version: '',
    release: '',
    arch: '',
    checksum: { type: '', value: '' },
    location: { href: '' },
    size: { package: 0, installed: 0, archive: 0 },
    time: { file: 0, build: 0 },
    sourceRpm: '',
    summary: '',
    description: '',
    packager: '',
    url: '',
    license: '',
    vendor: '',
    group: '',
    buildHost: '',
    dependencies: { provides: [], requires: [], conflicts: [], obsoletes: [], suggests: [], enhances: [], recommends: [], supplements: [] },
    files: [],
  };
}

/**
 * Streams the packages of primary.xml from `source` (compressed with gzip, zstd, xz or bzip2, or plain;
 * detected by magic). Malformed XML or a package missing its name, version, checksum or location →
 * RepoMetadataError naming the file.
 */
export async function* streamPrimary(source: ByteSource, opts: StreamPrimaryOptions = {}): AsyncGenerator<PrimaryPackage> {
  const fileName = opts.fileName ?? 'primary.xml';
  let pkg: PrimaryPackage | undefined;
  let depKind: DependencyKind | undefined;
  let fileType: PrimaryFileType = 'file';
  let textOf: string | undefined;
  let text = '';
  let depth = 0;
  let sawRoot = false;

  for await (const batch of xmlEventBatches(inflated(source, fileName), fileName)) {
    const ready: PrimaryPackage[] = [];
    for (const ev of batch) {
      if (ev.kind === 'text') {
        if (textOf !== undefined) text += ev.text;
        continue;
      }
      if (ev.kind === 'open') {
        depth++;
        const a = ev.attrs;
        if (depth === 1) {
          if (ev.name !== 'metadata') throw new RepoMetadataError(`${fileName}: root element is <${ev.name}>, not <metadata>`);
          sawRoot = true;
          if (a.packages !== undefined) opts.onCount?.(parseCount(a.packages, 'packages count', fileName));
          continue;
        }
        if (depth === 2) {
          if (ev.name === 'package') pkg = emptyPackage();
          continue;
        }
        if (!pkg) continue;
        switch (ev.name) {
          case 'version':
            if (depth === 3) {
              pkg.epoch = parseCount(a.epoch, 'epoch', fileName);
              pkg.version = a.ver ?? '';
              pkg.release = a.rel ?? '';
            }
            break;
          case 'checksum':
            pkg.checksum.type = normaliseChecksumType(a.type ?? '');
            break;
          case 'time':
            pkg.time = { file: parseCount(a.file, 'time file', fileName), build: parseCount(a.build, 'time build', fileName) };
            break;
          case 'size':
            pkg.size = {
              package: parseCount(a.package, 'size package', fileName),
              installed: parseCount(a.installed, 'size installed', fileName),
              archive: parseCount(a.archive, 'size archive', fileName),
            };
            break;
          case 'location':
            pkg.location = a.base ? { href: a.href ?? '', base: a.base } : { href: a.href ?? '' };
            break;
          case 'header-range':
            pkg.headerRange = { start: parseCount(a.start, 'header-range start', fileName), end: parseCount(a.end, 'header-range end', fileName) };
            break;
          case 'entry':
            if (depKind) {
              const d: Dependency = { name: a.name ?? '' };
              if (a.flags !== undefined && DEP_FLAGS.has(a.flags)) d.flags = a.flags as DepFlag;
              if (a.epoch !== undefined) d.epoch = a.epoch;
              if (a.ver !== undefined) d.version = a.ver;
              if (a.rel !== undefined) d.release = a.rel;
              if (a.pre === '1' || a.pre === 'true') d.pre = true;
              pkg.dependencies[depKind].push(d);
            }
            break;
          case 'file':
            fileType = a.type === 'dir' || a.type === 'ghost' ? a.type : 'file';
            break;
          default:
            if (depth === 4 && DEPENDENCY_KIND_SET.has(ev.name)) depKind = ev.name as DependencyKind;
        }
        if (TEXT_FIELDS.has(ev.name)) {
          textOf = ev.name;
          text = '';
        }
        continue;
      }
      // close
      depth--;
      if (!pkg) continue;
      if (textOf !== undefined && ev.name === textOf) {
        assignText(pkg, textOf, text, fileType);
        textOf = undefined;
        text = '';
      } else if (depKind && ev.name === depKind) {
        depKind = undefined;
      } else if (depth === 1 && ev.name === 'package') {
        ready.push(finish(pkg, fileName));
        pkg = undefined;
      }
    }
    yield* ready;
  }
  if (!sawRoot) throw new RepoMetadataError(`${fileName}: no <metadata> element`);
}

function assignText(pkg: PrimaryPackage, field: string, text: string, fileType: PrimaryFileType): void {
  switch (field) {
    case 'name':
      pkg.name = text.trim();
      break;
    case 'arch':
      pkg.arch = text.trim();
      break;
    case 'checksum':
      pkg.checksum.value = text.trim().toLowerCase();
      if (pkg.checksum.type === 'sha256') pkg.pkgid = pkg.checksum.value;
      break;
    case 'summary':
      pkg.summary = text;
      break;
    case 'description':
      pkg.description = text;
      break;
    case 'packager':
      pkg.packager = text;
      break;
    case 'url':
      pkg.url = text;
      break;
    case 'license':
      pkg.license = text;
      break;
    case 'vendor':
      pkg.vendor = text;
      break;
    case 'group':
      pkg.group = text;
      break;
    case 'buildhost':
      pkg.buildHost = text;
      break;
    case 'sourcerpm':
      pkg.sourceRpm = text;
      break;
    case 'file':
      pkg.files.push({ path: text, type: fileType });
      break;
  }
}

function finish(pkg: PrimaryPackage, fileName: string): PrimaryPackage {
  const what = pkg.name || '(unnamed)';
  if (!pkg.name) throw new RepoMetadataError(`${fileName}: a <package> has no <name>`);
  if (!pkg.version) throw new RepoMetadataError(`${fileName}: package ${what} has no version`);
  if (!pkg.checksum.value) throw new RepoMetadataError(`${fileName}: package ${what} has no checksum`);
  if (!pkg.location.href) throw new RepoMetadataError(`${fileName}: package ${what} has no location`);
  if (!/^[0-9a-f]+$/.test(pkg.checksum.value)) throw new RepoMetadataError(`${fileName}: package ${what} checksum '${pkg.checksum.value}' is not hex`);
  return pkg;
}
