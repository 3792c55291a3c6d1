// Builds real test packages with the real rpmbuild: a description (or raw spec text) in, an .rpm out.
// Files are staged in a temp directory with Node (contents, modes, symlinks, hardlinks, sparse sizes) and
// copied into the buildroot by %install with `cp -a`, so rpmbuild sees exactly what the test asked for.
// Built packages are cached by a hash of everything that goes into them (content-addressed, so sharing
// the cache between test files, workers and runs is safe); set YUMVAULT_RPMBUILD_CACHE to move it.
//
// Usage:
//   const rpm = await buildRpm({ name: 'demo', files: [{ path: '/etc/demo.conf', content: 'x', config: true }],
//                                compression: 'zstd', digestAlgo: 'sha256' });
//   const rpm2 = await buildRpmFromSpec(specText, { stage: dirWithFiles, defines: { foo: 'bar' } });

import { execFile } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readlinkSync, readFileSync, statSync } from 'node:fs';
import { chmod, link, lutimes, mkdir, mkdtemp, readdir, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

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

export interface BuildOptions {
  /** Files copied into the buildroot by %install (cp -a DIR/. %{buildroot}/). */
  stage?: string;
  defines?: Record<string, string>;
  /** Arch the package is built for (rpmbuild --target); default none. */
  target?: string;
}

/** Defines every build gets: no post-install scripts that would strip, compress man pages or add build-id links. */
const BASE_DEFINES: Record<string, string> = {
  __os_install_post: '%{nil}',
  _build_id_links: 'none',
  debug_package: '%{nil}',
  _source_payload: 'w9.gzdio',
  // Debian's rpm defaults _dbpath to ~/.rpmdb; a build must not touch it.
  _dbpath: '/nonexistent-yumvault-rpmdb',
};

const FIXED_MTIME = 1_700_000_000;

/**
 * Deterministic bytes that do not compress (AES-CTR of zeros keyed by `seed`): file contents for packages
 * that must be large or slow to fetch, yet the same on every run so the build cache hits.
 */
export function noiseBytes(size: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

export function cacheDir(): string {
  return process.env.YUMVAULT_RPMBUILD_CACHE ?? join(tmpdir(), `yumvault-rpmbuild-cache-${process.getuid?.() ?? 0}`);
}

/** Build from a description; resolves to the path of the cached .rpm (do not modify it: copy first). */
export async function buildRpm(spec: PackageSpec): Promise<string> {
  const stageParent = await mkdtemp(join(tmpdir(), 'yv-stage-'));
  try {
    const stage = join(stageParent, 'root');
    await mkdir(stage);
    await stageFiles(stage, spec.files ?? []);
    const defines: Record<string, string> = { ...spec.defines };
    defines._binary_payload = spec.payloadMode ?? PAYLOAD_MODES[spec.compression ?? 'gzip'];
    if (spec.digestAlgo) defines._binary_filedigest_algorithm = String(DIGEST_ALGO_NUMBERS[spec.digestAlgo]);
    return await buildRpmFromSpec(specText(spec), { stage, defines, target: spec.arch && spec.arch !== 'noarch' ? spec.arch : undefined });
  } finally {
    await rm(stageParent, { recursive: true, force: true });
  }
}

/** Build from raw spec text; `%install` may copy from %{yv_stage} (set when options.stage is given). */
export async function buildRpmFromSpec(spec: string, options: BuildOptions = {}): Promise<string> {
  const defines = { ...BASE_DEFINES, ...options.defines };
  if (options.stage) defines.yv_stage = options.stage;
  const key = createHash('sha256');
  key.update(spec).update('\0').update(JSON.stringify(Object.entries(defines).filter(([k]) => k !== 'yv_stage').sort()));
  key.update('\0').update(options.target ?? '');
  if (options.stage) hashTree(key, options.stage, '');
  const digest = key.digest('hex').slice(0, 32);
  const dir = join(cacheDir(), digest);
  const found = existingRpm(dir);
  if (found) return found;

  await mkdir(cacheDir(), { recursive: true });
  // Test files run in parallel workers that often want the same package: one builds, the others wait.
  const release = await lockBuild(`${dir}.lock`, () => existingRpm(dir) !== null);
  if (!release) return existingRpm(dir)!;
  const builtMeanwhile = existingRpm(dir);
  if (builtMeanwhile) {
    await release();
    return builtMeanwhile;
  }
  const work = await mkdtemp(join(cacheDir(), `.build-${digest}-`));
  try {
    const specPath = join(work, 'package.spec');
    await writeFile(specPath, spec);
    const args = ['-bb', '--quiet', '--nodeps', '--define', `_topdir ${join(work, 'top')}`];
    for (const [k, v] of Object.entries(defines)) args.push('--define', `${k} ${v}`);
    if (options.target) args.push('--target', options.target);
    args.push(specPath);
    try {
      await execFileP('rpmbuild', args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`rpmbuild failed: ${err.stderr || err.message}\n--- spec ---\n${spec}`);
    }
    const rpms = await findRpms(join(work, 'top', 'RPMS'));
    if (rpms.length !== 1) throw new Error(`rpmbuild produced ${rpms.length} packages, expected 1`);
    const out = join(work, 'out');
    await mkdir(out);
    const name = rpms[0]!.split('/').pop()!;
    await rename(rpms[0]!, join(out, name));
    try {
      await rename(out, dir);
    } catch (e) {
      // Another worker built the same package first: use theirs.
      if (!existingRpm(dir)) throw e;
    }
    return existingRpm(dir)!;
  } finally {
    await rm(work, { recursive: true, force: true });
    await release();
  }
}

/**
 * A cross-process build lock (mkdir is atomic). Resolves to a release function, or to null when
 * `done()` turned true while waiting (another process built it). A lock older than 10 minutes is
 * taken to be left by a killed run and broken.
 */
async function lockBuild(lock: string, done: () => boolean): Promise<(() => Promise<void>) | null> {
  for (;;) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (done()) return null;
    try {
      if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) await rm(lock, { recursive: true, force: true });
    } catch {
      // The lock went away between the calls: try again.
    }
    await new Promise((r) => setTimeout(r, 150));
    if (done()) return null;
  }
}

function existingRpm(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((f) => f.endsWith('.rpm'));
  return name ? join(dir, name) : null;
}

async function findRpms(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findRpms(p)));
    else if (e.name.endsWith('.rpm')) out.push(p);
  }
  return out;
}

/** Hash names, types, modes, mtimes, link targets, inode sharing and contents of a staged tree. */
function hashTree(h: ReturnType<typeof createHash>, root: string, rel: string): void {
  const inodes = new Map<number, string>();
  const walk = (r: string): void => {
    for (const name of readdirSync(join(root, r)).sort()) {
      const p = join(r, name);
      const full = join(root, p);
      const st = lstatSync(full);
      h.update(`${p}\0${st.mode}\0${Math.floor(st.mtimeMs / 1000)}\0`);
      if (st.isSymbolicLink()) h.update(`L${readlinkSync(full)}\0`);
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const first = inodes.get(st.ino);
        if (first) h.update(`H${first}\0`);
        else {
          inodes.set(st.ino, p);
          // Sparse giants are described by size only (their bytes are zeros).
          if (st.size > 64 * 1024 * 1024) h.update(`S${st.size}\0`);
          else h.update(readFileSync(full));
        }
      }
    }
  };
  walk(rel);
}

async function stageFiles(stage: string, files: readonly SpecFile[]): Promise<void> {
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
