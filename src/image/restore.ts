// restore: manifest.json + residual.zst + the exact builds → the image, bit for bit, verified.
// The residual is checked against the manifest and scanned for the references it holds (residualScan.ts);
// every referenced build is chosen and fetched (restorePlan.ts) in the order the image first needs it, and
// its payload inflated once, on a worker thread or (in place) the main thread. Then one of two ways:
// - in place (an exact restore into a plain file, the usual case): the residual fixes every byte's offset,
//   so the temp file is made at full size, the residual's bytes are written during the scan, each build's
//   files at their offsets as it is inflated (place.ts, placeDispatch.ts), and a hasher reads behind
//   (placeResidual.ts, fileHasher.ts);
// - streaming (upgrades, substitutions, compressed output): files are spooled, then the tar is streamed out
//   in order (restoreWrite.ts), headers rewritten where a file changed size.
// Either way the temp file is verified, and only then renamed to the output path.

import { closeSync, fdatasync, ftruncateSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError, VerificationError } from '../errors.ts';
import { createCompressor } from '../rpm/decompress.ts';
import { createAtomicFile, ensureFreeSpace } from '../util/fs.ts';
import { removeIfInterrupted } from '../util/interrupt.ts';
import type { Progress } from '../util/progress.ts';
import { MemoryBudget, type BuildRepo, type ImageDeps } from './builds.ts';
import { createFileHasher, type FileHasher } from './fileHasher.ts';
import { checkWholeFile, placeBuild, placeContents } from './place.ts';
import { placeDispatch } from './placeDispatch.ts';
import { followImage, positionedWriter } from './placeResidual.ts';
import { referencedBytes, scanResidual } from './residualScan.ts';
import { RESIDUAL_FILE, readManifest, type Manifest } from './manifest.ts';
import { proxyAdvisoryLookup } from './advisories.ts';
import { allExactTargets, planBuilds, type Plan, type PlanOptions } from './restorePlan.ts';
import { spoolBuild, type SpooledFile, type SpoolIndex, type SpoolMemory } from './spool.ts';
import { writeImage } from './restoreWrite.ts';
import { restoreWorkerEntry, SpoolWorkers } from './spoolWorkers.ts';

export interface RestoreOptions {
  dir: string;
  repos: string[];
  out: string;
  /** NAME (or NAME.ARCH) → [EPOCH:]VERSION-RELEASE. */
  upgrades?: Map<string, string> | Record<string, string>;
  substitute?: 'minor';
  allowVulnerable?: boolean;
  /** The proxy whose API records advisories (GET /api/v1/packages). */
  proxyUrl?: string;
  progress?: Progress;
  log?: (line: string) => void;
  /** Builds inflated at once (default: restoreWorkerCount() for this machine). */
  concurrency?: number;
  /**
   * The worker threads' entry file (default: the one beside this code). bench/image.ts runs this module
   * from source but its workers from the bundle, as shipped: from source, each thread would first strip
   * the types of every module it loads, which no user's restore does.
   */
  workerEntry?: URL;
  tempDir?: string;
  /**
   * auto (default): an exact restore into a plain file is written in place (fastest); anything else, or
   * `stream`, goes through the spool. Tests use `stream` to exercise the spool with exact builds.
   */
  writeMode?: 'auto' | 'stream';
  /** Bytes of extracted files kept in memory before spilling to the disk spool (default: free memory / 4, ≤ 2 GiB). Streaming only. */
  spoolMemory?: number;
  deps?: ImageDeps;
}

export interface RestoreSummary {
  sha256: string;
  size: number;
  packages: number;
  /** exact: the sha256 of the original image; per-file: upgraded/substituted builds, every other file verified by digest. */
  verified: 'exact' | 'per-file';
  substitutions: string[];
  upgrades: string[];
  advisories: string[];
}

function upgradeMap(u: RestoreOptions['upgrades'], manifest: Manifest): Map<string, string> {
  const m = u instanceof Map ? new Map(u) : new Map(Object.entries(u ?? {}));
  for (const name of m.keys()) {
    if (!manifest.packages.some((p) => p.name === name || `${p.name}.${p.arch}` === name)) {
      throw new UsageError(`--upgrade ${name}: the image has no package named ${name}`);
    }
  }
  return m;
}

/** The compression an output path asks for by its name, if any. */
function outputKind(out: string): 'gzip' | 'zstd' | undefined {
  return out.endsWith('.gz') ? 'gzip' : out.endsWith('.zst') ? 'zstd' : undefined;
}

function outputStream(out: string, file: Writable): { feed: Writable; done: Promise<void> } {
  const kind = outputKind(out);
  if (!kind) return { feed: file, done: Promise.resolve() };
  const feed = new PassThrough({ highWaterMark: 1 << 20 });
  return { feed, done: pipeline(feed, createCompressor(kind), file, { end: false }) };
}

/** What both ways of writing the image share: the manifest, the residual's references, the repositories. */
interface RestoreContext {
  opts: RestoreOptions;
  deps: ImageDeps;
  manifest: Manifest;
  upgrades: Map<string, string>;
  repos: BuildRepo[];
  workers?: SpoolWorkers;
  concurrency: number;
  tmp: string;
  log: (line: string) => void;
}

/**
 * Worker threads of a streaming restore on a machine with `cores` cores: one per core but one (the main
 * thread reads the residual and writes the image), at least 2, at most 4 (each holds its largest package
 * and payload in memory). Measured on 2 cores: 2 beat 3.
 */
export function restoreWorkerCount(cores = availableParallelism()): number {
  return Math.max(2, Math.min(cores - 1, 4));
}

/**
 * Worker threads of a restore in place: one per core but one, 1 to 3. The main thread writes builds too
 * (placeDispatch.ts) and hashes the image: once the residual is scanned it has nothing else to do. On 2
 * cores, one worker and the main thread took 5–10% less CPU than two workers and a hashing thread
 * (threads cost tens of milliseconds of CPU each to start), and no more time.
 */
export function placeWorkerCount(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, 3));
}

export async function restoreImage(opts: RestoreOptions): Promise<RestoreSummary> {
  // The real package reader runs on worker threads when their entry is at hand; injected deps run here.
  // The threads start first: loading their code takes a while, the manifest and residual are read meanwhile.
  const workerEntry = opts.deps ? undefined : (opts.workerEntry ?? restoreWorkerEntry());
  const concurrency = opts.concurrency ?? restoreWorkerCount();
  const workers = workerEntry ? new SpoolWorkers(workerEntry, concurrency) : undefined;
  // As many as a restore in place takes (the usual case); a streaming restore starts more as it needs them.
  workers?.warm(opts.concurrency === undefined ? placeWorkerCount() : Math.max(1, concurrency - 1));
  let tmp: string | undefined;
  let forgetTmp = () => {};
  let repos: BuildRepo[] = [];
  try {
    const deps = opts.deps ?? (await import('./sources.ts')).defaultDeps();
    const log = opts.log ?? (() => {});
    const manifest = await readManifest(opts.dir);
    const upgrades = upgradeMap(opts.upgrades, manifest);
    if ((await stat(opts.out).catch(() => undefined))?.isDirectory()) throw new UsageError(`--out ${opts.out} is a directory: give the path of the image file to write`);
    // A plain tar takes the image's size (a compressed one less, by an amount unknown before).
    if (outputKind(opts.out) === undefined) await ensureFreeSpace(opts.out, manifest.image.size, `restoring ${opts.out}`);
    tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'yumvault-restore-'));
    forgetTmp = removeIfInterrupted(tmp);
    repos = opts.repos.map((url) => deps.openRepo(url));
    const ctx: RestoreContext = { opts, deps, manifest, upgrades, repos, workers, concurrency, tmp, log };
    // In place when every byte's offset is known beforehand: the exact builds (no upgrade, no substitution
    // to allow for) into a plain file. Otherwise files may change size, or the output is a compressed stream.
    const inPlace = (opts.writeMode ?? 'auto') === 'auto' && !opts.substitute && outputKind(opts.out) === undefined && allExactTargets(manifest.packages, upgrades);
    return inPlace ? await restoreInPlace(ctx) : await restoreStreaming(ctx);
  } finally {
    await workers?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    forgetTmp();
    await Promise.all(repos.map((r) => r.close?.()));
  }
}

function planOptions(ctx: RestoreContext): PlanOptions {
  const { opts, log } = ctx;
  return {
    upgrades: ctx.upgrades,
    substitute: opts.substitute,
    allowVulnerable: opts.allowVulnerable,
    log,
    proxyAdvisories: opts.proxyUrl ? proxyAdvisoryLookup(opts.proxyUrl, log) : undefined,
    // With workers, builds are fetched well ahead of the threads that write them, which queue: otherwise
    // a thread idles while its next build downloads (or, from a local repository, while the main thread,
    // busy writing a build of its own, gets to the next one).
    concurrency: ctx.workers ? 16 : ctx.concurrency,
  };
}

function summary(ctx: RestoreContext, plan: Plan, written: { sha256: string; size: number }, exact: boolean): RestoreSummary {
  return {
    sha256: written.sha256,
    size: written.size,
    packages: ctx.manifest.packages.length,
    verified: exact ? 'exact' : 'per-file',
    substitutions: plan.substitutions,
    upgrades: plan.upgrades,
    advisories: plan.advisories,
  };
}

/** A promise settled from outside; never an unhandled rejection (whoever needs it awaits it). */
function deferred(): PromiseWithResolvers<void> {
  const d = Promise.withResolvers<void>();
  d.promise.catch(() => {});
  return d;
}

/** The restored image is not the manifest's: what it is, and that nothing was kept. */
function imageMismatch(got: { sha256: string; size: number }, manifest: Manifest, out: string): VerificationError {
  return new VerificationError(`the restored image has sha256 ${got.sha256} (${got.size} bytes), the manifest says ${manifest.image.sha256} (${manifest.image.size} bytes); nothing was written to ${out}`);
}

/**
 * The exact image into a plain file, in place (place.ts): the file is made at its full size, the main
 * thread writes the residual's bytes as it reads them, then the workers and the main thread write each
 * build's files at their offsets as soon as it is fetched, and a hasher reads behind them; fetching,
 * inflating, writing and hashing overlap.
 */
async function restoreInPlace(ctx: RestoreContext): Promise<RestoreSummary> {
  const { opts, manifest, workers, log } = ctx;
  const target = await createAtomicFile(opts.out);
  let fd: number | undefined;
  let hasher: FileHasher | undefined;
  let flushing: Promise<void> | undefined;
  try {
    fd = openSync(target.tempPath, 'r+');
    ftruncateSync(fd, manifest.image.size);
    const out = fd;
    let verifying = false;
    hasher = createFileHasher(target.tempPath, (n) => verifying && opts.progress?.update(n));
    // The residual's own bytes go in as it is read; package files follow, each build on a worker or here.
    const writer = positionedWriter(out);
    const { needs, spans } = await scanResidual(opts.dir, manifest, writer.put);
    writer.flush();
    // Progress: bytes written (the residual's are, once scanned; each build's as it is placed), then the
    // hashing that verifies them, most of which can only run once nearly every build is written.
    let written = manifest.image.size - [...needs.values()].reduce((n, need) => n + referencedBytes(need), 0);
    opts.progress?.start('writing', manifest.image.size, 'bytes');
    opts.progress?.update(written);
    const built = new Map([...needs.keys()].map((k) => [k, deferred()]));
    const stopped = new Error('restore stopped'); // thrown at builds not started once following the image failed
    let stopping = false;
    const unverified: { rpmPath: string; sha256: string }[] = [];
    const place = workers ? placeDispatch(workers, (job) => placeBuild(job, out)) : undefined;
    const planning = planBuilds(manifest.packages, new Set(needs.keys()), ctx.repos, ctx.tmp, { ...planOptions(ctx), deferLocalCheck: workers !== undefined, memory: workers ? new MemoryBudget(DOWNLOADS_IN_MEMORY) : undefined }, async (b) => {
      if (stopping) throw stopped;
      const job = { index: b.index, choice: b.choice, nevra: b.nevra };
      const need = needs.get(b.index) ?? [];
      try {
        // A repository's file read in place is checked by the thread that writes it, which reads it whole
        // anyway: when its header is the manifest's, the image's sha256 checks the rest (each byte the build
        // gives is in the image), and the .rpm is hashed whole only if that fails (to name it); otherwise
        // it is hashed whole before it is used.
        if (b.unverified) unverified.push({ rpmPath: b.rpmPath, sha256: b.sha256 });
        const expect = b.unverified ? { expectSha256: b.sha256, expectHeaderSha256: b.original.headerSha256 || undefined } : {};
        if (place) await place({ job, rpmPath: b.rpmPath, rpmBytes: b.bytes?.buffer as ArrayBuffer | undefined, needs: need, outPath: target.tempPath, ...expect });
        else {
          const pkg = await ctx.deps.openPackage(b.rpmPath);
          try {
            await placeContents(job, pkg.files, pkg.payload, need, out);
          } finally {
            await pkg.close();
          }
        }
      } finally {
        if (b.temporary) await rm(b.rpmPath, { force: true });
      }
      built.get(b.index)?.resolve();
      written += referencedBytes(need);
      if (!verifying) opts.progress?.update(written);
    });
    planning.catch((e: unknown) => {
      for (const d of built.values()) d.reject(e);
    });
    const following = followImage(spans, manifest.image.size, (pkg) => built.get(pkg)?.promise ?? Promise.resolve(), hasher);
    following.catch(() => (stopping = true));
    const [planned, followed] = await Promise.allSettled([planning, following]);
    // A build that could not be had is the cause; the follower's failure is then only its echo.
    if (planned.status === 'rejected' && planned.reason !== stopped) throw planned.reason;
    if (followed.status === 'rejected') throw followed.reason;
    if (planned.status === 'rejected') throw planned.reason;
    const plan = planned.value;
    log(`${plan.builds.length} builds fetched and written in place`);
    verifying = true;
    opts.progress?.start('verifying sha256', manifest.image.size, 'bytes');
    // The last flush to disk runs while the hasher finishes (it has the most left to do once all is written).
    flushing = flushToDisk(fd);
    const [result] = await Promise.all([hasher.digest(), flushing]);
    closeSync(fd);
    fd = undefined;
    opts.progress?.done();
    if (result.sha256 !== manifest.image.sha256 || result.size !== manifest.image.size) {
      // A repository file that is not its build (only its header was checked) is the cause to name.
      for (const u of unverified) await checkWholeFile(u.rpmPath, u.sha256);
      throw imageMismatch(result, manifest, opts.out);
    }
    await target.commit();
    return summary(ctx, plan, result, true);
  } catch (e) {
    opts.progress?.done();
    await flushing; // the fd stays open until its flush is done
    if (fd !== undefined) closeSync(fd);
    await hasher?.close();
    await target.abort();
    throw e;
  }
}

/**
 * Downloaded builds restore in place may hold in memory at once (each up to 64 MiB; a larger one is
 * downloaded to a temp file): they are read whole anyway, and a temp file costs writing, reading back and
 * removing it.
 */
const DOWNLOADS_IN_MEMORY = 256 << 20;

/**
 * fdatasync on libuv's thread pool. Restore in place starts it once everything is written, while the hasher
 * finishes (then one core is otherwise idle): the fsync before the rename finds little left to do. (Flushing
 * every 64 MiB during the writing was measured slower: the kernel's writeback then competes with inflating.)
 */
function flushToDisk(fd: number): Promise<void> {
  // A failure here is not the restore's: the fsync before the rename reports what matters.
  return new Promise<void>((resolve) => fdatasync(fd, () => resolve()));
}

/**
 * Any restore, through a spool: each build's referenced files are extracted first (in memory up to a
 * budget, then to disk), then the tar is streamed out in order (restoreWrite.ts), rewriting the headers of
 * files that changed size; the output may be compressed.
 */
async function restoreStreaming(ctx: RestoreContext): Promise<RestoreSummary> {
  const { opts, deps, manifest, workers, tmp, log } = ctx;
  const { needs } = await scanResidual(opts.dir, manifest);
  await mkdir(join(tmp, 'spool'));
  let spooled = 0;
  const spoolIndex: SpoolIndex = new Map();
  // Extracted files stay in memory up to this budget (then go to the disk spool): a quarter of the free
  // memory, at most 2 GiB.
  const memory: SpoolMemory = { budget: opts.spoolMemory ?? Math.min(2 * 1024 ** 3, Math.floor(freemem() / 4)), used: 0 };
  const parts: Map<string, SpooledFile>[] = [];
  opts.progress?.start('fetching and extracting builds', needs.size, 'items');
  const plan = await planBuilds(manifest.packages, new Set(needs.keys()), ctx.repos, tmp, planOptions(ctx), async (b) => {
    const need = needs.get(b.index) ?? [];
    if (workers) {
      // The budget is reserved up front from the sizes the residual records (a worker cannot ask).
      const sizes = new Map(need.map((n) => [n.digest, n.size]));
      const estimate = [...sizes.values()].reduce((a, n) => a + n, 0);
      const inMemory = memory.used + estimate <= memory.budget;
      if (inMemory) memory.used += estimate;
      const job = { index: b.index, choice: b.choice, nevra: b.nevra };
      parts.push(await workers.run({ job, rpmPath: b.rpmPath, needs: need, inMemory, spoolFile: join(tmp, 'spool', `${b.index}.spool`) }, log));
    } else {
      parts.push(await spoolBuild(deps, b, need, join(tmp, 'spool'), spoolIndex, memory, log));
    }
    if (b.temporary) await rm(b.rpmPath, { force: true });
    opts.progress?.update(++spooled);
  });
  opts.progress?.done();
  log(`${plan.builds.length} builds fetched and extracted`);
  const spool = new Map<string, SpooledFile>(parts.flatMap((m) => [...m]));
  const exact = plan.builds.every((b) => b.choice === 'exact');
  const target = await createAtomicFile(opts.out);
  try {
    const { feed, done } = outputStream(opts.out, target.stream);
    const written = await writeImage(join(opts.dir, RESIDUAL_FILE), spool, feed, opts.progress, manifest.image.size, feed === target.stream);
    if (feed !== target.stream) {
      feed.end();
      await done;
    }
    if (exact && (written.sha256 !== manifest.image.sha256 || written.size !== manifest.image.size)) throw imageMismatch(written, manifest, opts.out);
    await target.commit();
    if (!exact) log(`restored with other builds: new image sha256 ${written.sha256} (the original was ${manifest.image.sha256})`);
    return summary(ctx, plan, written, exact);
  } catch (e) {
    await target.abort();
    throw e;
  }
}
