// restore: manifest.json + residual.zst + the exact builds → the image, bit for bit, verified.
// 1. the residual is checked against the manifest and read once for the references it holds; 2. every
// referenced build is chosen and downloaded (restorePlan.ts); 3. each payload is inflated once and the
// referenced files spooled, several builds at once; 4. the tar is streamed out in the original order
// (restoreWrite.ts) into a temp file, verified, and only then renamed to the output path.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ManifestError, ResidualFormatError, UsageError, VerificationError } from '../errors.ts';
import { createCompressor } from '../rpm/decompress.ts';
import { createAtomicFile } from '../util/fs.ts';
import type { Progress } from '../util/progress.ts';
import type { ImageDeps } from './builds.ts';
import { RESIDUAL_FILE, readManifest, type Manifest } from './manifest.ts';
import { proxyAdvisoryLookup } from './advisories.ts';
import { hashFile, readResidual } from './residualReader.ts';
import { planBuilds } from './restorePlan.ts';
import { spoolBuild, type RefNeed, type SpooledFile, type SpoolIndex, type SpoolMemory } from './spool.ts';
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
  /** Builds inflated at once (default 2: both cores). */
  concurrency?: number;
  tempDir?: string;
  /** Bytes of extracted files kept in memory before spilling to the disk spool (default: free memory / 4, ≤ 2 GiB). */
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

/** Checks residual.zst against the manifest and collects its references per package. */
async function readNeeds(dir: string, manifest: Manifest): Promise<Map<number, RefNeed[]>> {
  const residualPath = join(dir, RESIDUAL_FILE);
  const { digest, size } = await hashFile(residualPath).catch((e: Error) => {
    throw new ResidualFormatError(`cannot read ${residualPath}: ${e.message}`);
  });
  if (digest !== manifest.residual.sha256 || size !== manifest.residual.size) {
    throw new ResidualFormatError(`${residualPath} does not match the manifest (sha256 ${digest}, ${size} bytes; the manifest says ${manifest.residual.sha256}, ${manifest.residual.size} bytes)`);
  }
  const needs = new Map<number, Map<string, RefNeed>>();
  for await (const rec of readResidual(residualPath)) {
    if (rec.op === 'ref') {
      if (rec.pkg >= manifest.packages.length) throw new ResidualFormatError(`residual references package #${rec.pkg}; the manifest lists ${manifest.packages.length}`);
      const m = needs.get(rec.pkg) ?? new Map<string, RefNeed>();
      if (!m.has(rec.digest)) m.set(rec.digest, { digest: rec.digest, size: rec.size, path: rec.path });
      needs.set(rec.pkg, m);
    } else if (rec.op === 'end' && (rec.sha256 !== manifest.image.sha256 || rec.size !== manifest.image.size)) {
      throw new ManifestError(`${join(dir, 'manifest.json')} belongs to another image than the residual (image sha256 ${manifest.image.sha256}, the residual's is ${rec.sha256})`);
    }
  }
  return new Map([...needs].map(([k, v]) => [k, [...v.values()]]));
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

function outputStream(out: string, file: Writable): { feed: Writable; done: Promise<void> } {
  const kind = out.endsWith('.gz') ? 'gzip' : out.endsWith('.zst') ? 'zstd' : undefined;
  if (!kind) return { feed: file, done: Promise.resolve() };
  const feed = new PassThrough({ highWaterMark: 1 << 20 });
  return { feed, done: pipeline(feed, createCompressor(kind), file, { end: false }) };
}

export async function restoreImage(opts: RestoreOptions): Promise<RestoreSummary> {
  const deps = opts.deps ?? (await import('./sources.ts')).defaultDeps();
  // The real package reader runs on worker threads when their entry is at hand; injected deps run here.
  const workerEntry = opts.deps ? undefined : restoreWorkerEntry();
  const concurrency = opts.concurrency ?? 2;
  const log = opts.log ?? (() => {});
  const manifest = await readManifest(opts.dir);
  const workers = workerEntry ? new SpoolWorkers(workerEntry, concurrency) : undefined;
  const upgrades = upgradeMap(opts.upgrades, manifest);
  workers?.warm();
  let needs: Map<number, RefNeed[]>;
  let tmp: string;
  try {
    needs = await readNeeds(opts.dir, manifest);
    tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'yumvault-restore-'));
  } catch (e) {
    await workers?.close();
    throw e;
  }
  const repos = opts.repos.map((url) => deps.openRepo(url));
  try {
    await mkdir(join(tmp, 'spool'));
    let spooled = 0;
    const spoolIndex: SpoolIndex = new Map();
    // Extracted files stay in memory up to this budget (then go to the disk spool): a quarter of the free
    // memory, at most 2 GiB.
    const memory: SpoolMemory = { budget: opts.spoolMemory ?? Math.min(2 * 1024 ** 3, Math.floor(freemem() / 4)), used: 0 };
    const parts: Map<string, SpooledFile>[] = [];
    opts.progress?.start('fetching and extracting builds', needs.size, 'items');
    const plan = await planBuilds(
      manifest.packages,
      new Set(needs.keys()),
      repos,
      tmp,
      {
        upgrades,
        substitute: opts.substitute,
        allowVulnerable: opts.allowVulnerable,
        log,
        proxyAdvisories: opts.proxyUrl ? proxyAdvisoryLookup(opts.proxyUrl, log) : undefined,
        // With workers, builds are fetched and checked (sha256 of each .rpm) ahead of the workers, which
        // queue: otherwise a worker idles while its next build is hashed (measured: half the time).
        concurrency: workers ? concurrency * 4 : concurrency,
      },
      async (b) => {
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
      },
    );
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
      if (exact && (written.sha256 !== manifest.image.sha256 || written.size !== manifest.image.size)) {
        throw new VerificationError(`the restored image has sha256 ${written.sha256} (${written.size} bytes), the manifest says ${manifest.image.sha256} (${manifest.image.size} bytes); nothing was written to ${opts.out}`);
      }
      await target.commit();
      if (!exact) log(`restored with other builds: new image sha256 ${written.sha256} (the original was ${manifest.image.sha256})`);
      return {
        sha256: written.sha256,
        size: written.size,
        packages: manifest.packages.length,
        verified: exact ? 'exact' : 'per-file',
        substitutions: plan.substitutions,
        upgrades: plan.upgrades,
        advisories: plan.advisories,
      };
    } catch (e) {
      await target.abort();
      throw e;
    }
  } finally {
    await workers?.close();
    await rm(tmp, { recursive: true, force: true });
    await Promise.all(repos.map((r) => r.close?.()));
  }
}
