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
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DIGEST_ALGO_NUMBERS, PAYLOAD_MODES, specText, stageFiles, type PackageSpec } from './rpmSpec.ts';

const execFileP = promisify(execFile);

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
