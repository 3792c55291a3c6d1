// Test packages described as data: the spec text rpmbuild is fed and the staged file tree %install copies
// from. test/fixtures-gen/rpmbuild.ts runs the build (and caches it).

import { chmod, link, lutimes, mkdir, readdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type PayloadCompression = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'lzma' | 'none';

/** rpm's _binary_payload io modes (lib/rpmio: w<level>.<name>dio). */
export const PAYLOAD_MODES: Record<PayloadCompression, string> = {
  gzip: 'w9.gzdio',
  xz: 'w6.xzdio',
  zstd: 'w19.zstdio',
  bzip2: 'w9.bzdio',
  lzma: 'w6.lzdio',
  none: 'w0.ufdio',
};

/** _binary_filedigest_algorithm values (PGPHASHALGO_*). */
export const DIGEST_ALGO_NUMBERS = { md5: 1, sha1: 2, sha256: 8, sha384: 9, sha512: 10, sha224: 11 } as const;
export type SpecDigestAlgo = keyof typeof DIGEST_ALGO_NUMBERS;

export interface SpecFile {
  /** Absolute path as installed. */
  path: string;
  /** Default 'file'; 'dir' is listed with %dir; 'device' is a %dev entry (nothing staged). */
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'device';
  /** For type 'device': character or block, major, minor (FILERDEVS). */
  device?: { kind: 'c' | 'b'; major: number; minor: number };
  /** Regular file contents (default empty). */
  content?: string | Uint8Array;
  /** A sparse regular file of this many bytes (no content): for files over 4 GiB. */
  sparseSize?: number;
  /** symlink: the link text; hardlink: the path (in this package) it is a link to. */
  target?: string;
  /** Permission bits (default 0o644 files, 0o755 dirs); listed with %attr so the header has exactly these. */
  mode?: number;
  user?: string;
  group?: string;
  /** mtime in seconds (default: a fixed time, so rebuilt packages agree). */
  mtime?: number;
  config?: boolean | 'noreplace' | 'missingok';
  ghost?: boolean;
  doc?: boolean;
  license?: boolean;
  /** File capabilities, as %caps takes them (e.g. 'cap_net_raw=ep'): FILECAPS. */
  caps?: string;
  /** %lang(xx): FILELANGS. */
  lang?: string;
  /** %verify(...) / %verify(not ...) text, e.g. 'not md5 size mtime': FILEVERIFYFLAGS. */
  verify?: string;
  /** Staged but not listed in %files (to test what rpmbuild does with unpackaged files: it fails). */
  unlisted?: boolean;
}

export interface PackageSpec {
  name: string;
  version?: string;
  release?: string;
  epoch?: number;
  /** Default 'noarch'. */
  arch?: string;
  summary?: string;
  description?: string;
  license?: string;
  url?: string;
  vendor?: string;
  group?: string;
  files?: SpecFile[];
  compression?: PayloadCompression;
  /** Overrides `compression` with a raw _binary_payload value such as 'w1.zstdio'. */
  payloadMode?: string;
  digestAlgo?: SpecDigestAlgo;
  requires?: string[];
  provides?: string[];
  conflicts?: string[];
  obsoletes?: string[];
  recommends?: string[];
  suggests?: string[];
  supplements?: string[];
  enhances?: string[];
  /** `* Mon Jan 01 2024 Someone <a@b> - 1.0-1` blocks, each followed by its text lines. */
  changelog?: { date: string; author: string; evr?: string; text: string }[];
  /** Raw preamble lines appended as is. */
  extraPreamble?: string[];
  /** Extra shell lines at the end of %install (after the staged files are copied in). */
  extraInstall?: string[];
  /** Scriptlets by section name ('pre', 'post', 'preun', 'postun', 'pretrans', 'posttrans'): body text. */
  scripts?: Record<string, string>;
  /** Extra rpmbuild --define NAME VALUE pairs. */
  defines?: Record<string, string>;
}

const FIXED_MTIME = 1_700_000_000;

/** Writes `files` under `stage` with their contents, modes, links and mtimes (what %install copies). */
export async function stageFiles(stage: string, files: readonly SpecFile[]): Promise<void> {
  // Directories first, then regular files and symlinks, then hardlinks (their targets must exist).
  const order = (f: SpecFile): number => (f.type === 'dir' ? 0 : f.type === 'hardlink' ? 2 : 1);
  for (const f of [...files].sort((a, b) => order(a) - order(b))) {
    if ((f.ghost && f.content === undefined && f.type !== 'dir') || f.type === 'device') continue;
    const p = join(stage, f.path);
    await mkdir(dirname(p), { recursive: true });
    switch (f.type ?? 'file') {
      case 'dir':
        await mkdir(p, { recursive: true });
        await chmod(p, f.mode ?? 0o755);
        break;
      case 'symlink':
        await symlink(f.target ?? 'missing', p);
        break;
      case 'hardlink':
        await link(join(stage, f.target ?? ''), p);
        break;
      default:
        if (f.sparseSize !== undefined) {
          await writeFile(p, '');
          await truncate(p, f.sparseSize);
        } else {
          await writeFile(p, f.content ?? '');
        }
        await chmod(p, f.mode ?? 0o644);
    }
  }
  // mtimes last (creating children changes a directory's mtime), deepest first, for every entry of
  // the tree: listed ones get theirs, the implicit parent directories a fixed time (so the cache key,
  // which hashes the tree, is the same on every run).
  const wanted = new Map(files.filter((f) => f.type !== 'device').map((f) => [join(stage, f.path), f.mtime ?? FIXED_MTIME]));
  const setTimes = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await setTimes(p);
      const t = wanted.get(p) ?? FIXED_MTIME;
      await lutimes(p, t, t);
    }
  };
  await setTimes(stage);
}

function fileLine(f: SpecFile): string {
  const mode = f.mode ?? (f.type === 'dir' ? 0o755 : 0o644);
  const attr = f.type === 'symlink' ? `%attr(-,${f.user ?? 'root'},${f.group ?? 'root'})` : `%attr(${mode.toString(8).padStart(4, '0')},${f.user ?? 'root'},${f.group ?? 'root'})`;
  const parts = [attr];
  if (f.type === 'dir') parts.push('%dir');
  if (f.type === 'device') {
    const d = f.device ?? { kind: 'c', major: 1, minor: 3 };
    parts.push(`%dev(${d.kind},${d.major},${d.minor})`);
  }
  if (f.config === true) parts.push('%config');
  else if (f.config) parts.push(`%config(${f.config})`);
  if (f.ghost) parts.push('%ghost');
  if (f.doc) parts.push('%doc');
  if (f.license) parts.push('%license');
  if (f.caps) parts.push(`%caps(${f.caps})`);
  if (f.lang) parts.push(`%lang(${f.lang})`);
  if (f.verify) parts.push(`%verify(${f.verify})`);
  // Paths with spaces or globs must be quoted for %files.
  parts.push(/[\s*?[\]{}]/.test(f.path) ? `"${f.path}"` : f.path);
  return parts.join(' ');
}

/** The spec text buildRpm feeds rpmbuild (exported for tests that want to tweak it). */
export function specText(s: PackageSpec): string {
  const deps = (tag: string, list?: string[]): string[] => (list ?? []).map((d) => `${tag}: ${d}`);
  const lines = [
    `Name: ${s.name}`,
    ...(s.epoch !== undefined ? [`Epoch: ${s.epoch}`] : []),
    `Version: ${s.version ?? '1.0'}`,
    `Release: ${s.release ?? '1'}`,
    `Summary: ${s.summary ?? `yumvault test package ${s.name}`}`,
    `License: ${s.license ?? 'MIT'}`,
    ...(s.url ? [`URL: ${s.url}`] : []),
    ...(s.vendor ? [`Vendor: ${s.vendor}`] : []),
    ...(s.group ? [`Group: ${s.group}`] : []),
    ...((s.arch ?? 'noarch') === 'noarch' ? ['BuildArch: noarch'] : []),
    'AutoReqProv: no',
    ...deps('Requires', s.requires),
    ...deps('Provides', s.provides),
    ...deps('Conflicts', s.conflicts),
    ...deps('Obsoletes', s.obsoletes),
    ...deps('Recommends', s.recommends),
    ...deps('Suggests', s.suggests),
    ...deps('Supplements', s.supplements),
    ...deps('Enhances', s.enhances),
    ...(s.extraPreamble ?? []),
    '',
    '%description',
    s.description ?? `Test package ${s.name}, built by yumvault's tests.`,
    '',
    '%install',
    'mkdir -p %{buildroot}',
    '%{?yv_stage:cp -a --sparse=always %{yv_stage}/. %{buildroot}/}',
    ...(s.extraInstall ?? []),
    '',
    ...Object.entries(s.scripts ?? {}).flatMap(([section, body]) => [`%${section}`, body, '']),
    '%files',
    ...(s.files ?? []).filter((f) => !f.unlisted).map(fileLine),
    '',
  ];
  if (s.changelog?.length) {
    lines.push('%changelog');
    for (const c of s.changelog) lines.push(`* ${c.date} ${c.author}${c.evr ? ` - ${c.evr}` : ''}`, c.text, '');
  }
  return lines.join('\n');
}

/**
 * One package with a sparse file over 4 GiB (LONGFILESIZES, and rpm 4.18 then writes the stripped
 * `07070X` cpio payload). rpmbuild needs ~10 s of CPU to read it twice, so every test that wants a
 * giant uses exactly this spec and shares the one cached build.
 */
export const HUGE_PACKAGE_SPEC: PackageSpec = {
  name: 'yvt-huge',
  payloadMode: 'w1.zstdio',
  digestAlgo: 'md5',
  files: [
    { path: '/var/lib/yvt/huge.img', sparseSize: 4 * 1024 ** 3 + 4097 },
    { path: '/var/lib/yvt/small', content: 'small' },
  ],
};
