// Which build restore uses for each manifest package, and getting it: the exact build (first repository
// that has it, verified against the manifest's pkgid), or the build an upgrade / an edited manifest names,
// or — with --substitute minor, only when the exact build is gone everywhere — the newest build of the
// same version. Builds superseded by a security advisory are refused unless allowed.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumMismatchError, NotFoundError, VulnerableBuildError } from '../errors.ts';
import type { Nevra } from '../rpm/types.ts';
import { compareEvr } from '../rpm/vercmp.ts';
import { mapLimit, type BuildRepo, type MemoryBudget, type RepoBuild } from './builds.ts';
import { evrString, nevraString, parseEvr, type ManifestPackage } from './manifest.ts';

export type BuildChoice = 'exact' | 'upgrade' | 'substitute';

export interface PlannedBuild {
  index: number;
  original: ManifestPackage;
  nevra: Nevra;
  choice: BuildChoice;
  repo: BuildRepo;
  build: RepoBuild;
  rpmPath: string;
  /** rpmPath is a temp download (removed after extraction), not a repository's own file. */
  temporary: boolean;
  /**
   * rpmPath is a repository's own file on this machine whose sha256 is not checked yet (PlanOptions
   * deferLocalCheck): `sha256` is what its metadata says; the caller must check the file against it
   * before using it.
   */
  unverified: boolean;
  /** The .rpm itself, downloaded into memory (PlanOptions memory): then nothing is at rpmPath. */
  bytes?: Buffer;
  /** Gives `bytes` back to the memory budget (planBuilds calls it once onReady is done with the build). */
  release?: () => void;
  sha256: string;
  advisories: string[];
}

export interface PlanOptions {
  upgrades: Map<string, string>;
  substitute?: 'minor';
  allowVulnerable?: boolean;
  log: (line: string) => void;
  /** Advisory ids superseding a build, from the proxy API (in addition to the repositories' updateinfo). */
  proxyAdvisories?: (pkg: ManifestPackage, nevra: Nevra) => Promise<string[]>;
  concurrency?: number;
  /**
   * A repository on this machine may hand over its file without hashing it, for the caller to check
   * (restore's workers hash each .rpm as they read it); only when its metadata states the manifest's pkgid.
   */
  deferLocalCheck?: boolean;
  /**
   * Downloads of the exact builds may be held in memory up to this budget (restore in place, which reads
   * each .rpm whole anyway): no temp file. What a build holds is given back once `onReady` is done with it.
   */
  memory?: MemoryBudget;
}

export interface Plan {
  builds: PlannedBuild[];
  substitutions: string[];
  upgrades: string[];
  advisories: string[];
}

/** True when no package is to be restored as another build than recorded (no --upgrade, no edited manifest entry). */
export function allExactTargets(packages: readonly ManifestPackage[], upgrades: Map<string, string>): boolean {
  return packages.every((p) => target(p, upgrades).choice === 'exact');
}

/** The NEVRA restore aims for: the manifest's, or another EVR by --upgrade or a manifest edited after decompose. */
function target(pkg: ManifestPackage, upgrades: Map<string, string>): { nevra: Nevra; choice: 'exact' | 'upgrade' } {
  const base: Nevra = { name: pkg.name, epoch: pkg.epoch, version: pkg.version, release: pkg.release, arch: pkg.arch };
  const evr = upgrades.get(pkg.name) ?? upgrades.get(`${pkg.name}.${pkg.arch}`);
  if (evr !== undefined) return { nevra: { ...base, ...parseEvr(evr) }, choice: 'upgrade' };
  if (pkg.decomposedAs && pkg.decomposedAs !== nevraString(base)) return { nevra: base, choice: 'upgrade' };
  return { nevra: base, choice: 'exact' };
}

async function download(repo: BuildRepo, build: RepoBuild, dest: string, defer = false, memory?: MemoryBudget): Promise<{ sha256: string; rpmPath: string; temporary: boolean; unverified: boolean; bytes?: Buffer; release?: () => void }> {
  const r = await repo.download(build, dest, { deferLocalCheck: defer, memory });
  if (r.bytes) return { sha256: r.sha256, rpmPath: dest, temporary: false, unverified: false, bytes: r.bytes, release: r.release };
  return { sha256: r.sha256, rpmPath: r.path ?? dest, temporary: r.path === undefined, unverified: r.unverified === true };
}

async function planOne(pkg: ManifestPackage, index: number, repos: BuildRepo[], tmp: string, opts: PlanOptions): Promise<PlannedBuild> {
  const { nevra, choice } = target(pkg, opts.upgrades);
  const rpmPath = join(tmp, `${index}.rpm`);
  const wrongBuilds: string[] = [];
  for (const repo of repos) {
    const build = await repo.find(nevra);
    if (!build) continue;
    if (choice === 'exact' && build.sha256 && build.sha256 !== pkg.pkgid) {
      wrongBuilds.push(`${repo.url} serves a different build of ${nevraString(nevra)} (sha256 ${build.sha256}, the manifest says ${pkg.pkgid})`);
      continue;
    }
    const got = await download(repo, build, rpmPath, opts.deferLocalCheck && choice === 'exact', choice === 'exact' ? opts.memory : undefined);
    if (choice === 'exact' && got.sha256 !== pkg.pkgid) {
      got.release?.();
      if (got.temporary) await rm(got.rpmPath, { force: true });
      wrongBuilds.push(`${repo.url} serves a different build of ${nevraString(nevra)} (sha256 ${got.sha256}, the manifest says ${pkg.pkgid})`);
      continue;
    }
    return { index, original: pkg, nevra, choice, repo, build, ...got, advisories: [] };
  }
  if (wrongBuilds.length > 0 && opts.substitute !== 'minor') throw new ChecksumMismatchError(wrongBuilds[0]!);
  if (choice === 'exact' && opts.substitute === 'minor') {
    // The newest build of the same (epoch, version) with a higher release, across all repositories.
    let best: { repo: BuildRepo; build: RepoBuild } | undefined;
    for (const repo of repos) {
      for (const b of await repo.versions(pkg.name, pkg.arch)) {
        if (b.nevra.epoch !== pkg.epoch || b.nevra.version !== pkg.version || compareEvr(b.nevra, pkg) <= 0) continue;
        if (!best || compareEvr(b.nevra, best.build.nevra) > 0) best = { repo, build: b };
      }
    }
    if (best) {
      const got = await download(best.repo, best.build, rpmPath);
      return { index, original: pkg, nevra: best.build.nevra, choice: 'substitute', repo: best.repo, build: best.build, ...got, advisories: [] };
    }
  }
  if (wrongBuilds.length > 0) throw new ChecksumMismatchError(wrongBuilds[0]!);
  const hint = choice === 'exact' ? (opts.substitute ? ' and no newer release of the same version either' : '; --substitute minor would accept a newer release of the same version') : '';
  throw new NotFoundError(`${nevraString(nevra)} is in no repository (${repos.map((r) => r.url).join(', ')})${hint}`);
}

/**
 * Decides and downloads every build into `tmp`, checks advisories, and hands each build to `onReady` as
 * soon as it is there (restore extracts it while the next ones download); throws naming the first build
 * that cannot be had or may not be used.
 */
export async function planBuilds(packages: readonly ManifestPackage[], needed: ReadonlySet<number>, repos: BuildRepo[], tmp: string, opts: PlanOptions, onReady?: (b: PlannedBuild) => Promise<void>): Promise<Plan> {
  // In the order of `needed` (restore gives each package's first reference in the image first).
  const wanted = [...needed].filter((i) => i < packages.length).map((i) => ({ p: packages[i]!, i }));
  const plan: Plan = { builds: [], substitutions: [], upgrades: [], advisories: [] };
  plan.builds = await mapLimit(wanted, opts.concurrency ?? 2, async ({ p, i }) => {
    const b = await planOne(p, i, repos, tmp, opts);
    try {
      await checkBuild(b, repos, opts, plan);
      await onReady?.(b);
    } finally {
      // A build held in memory is done with (written, or failed): its bytes go, and the budget with them.
      b.bytes = undefined;
      b.release?.();
      b.release = undefined;
    }
    return b;
  });
  // Builds finish in any order; reports come sorted.
  plan.substitutions.sort();
  plan.upgrades.sort();
  plan.advisories.sort();
  return plan;
}

/** Records what changed about a build and refuses one a security advisory superseded (unless allowed). */
async function checkBuild(b: PlannedBuild, repos: BuildRepo[], opts: PlanOptions, plan: Plan): Promise<void> {
  const from = b.original.decomposedAs ?? nevraString(b.original);
  if (b.choice === 'substitute') plan.substitutions.push(`${from} → ${evrString(b.nevra)}`);
  if (b.choice === 'upgrade') plan.upgrades.push(`${from} → ${evrString(b.nevra)}`);
  const ids = new Set<string>();
  for (const repo of repos) for (const id of (await repo.advisoriesSuperseding?.(b.nevra)) ?? []) ids.add(id);
  for (const id of (await opts.proxyAdvisories?.(b.original, b.nevra)) ?? []) ids.add(id);
  b.advisories = [...ids];
  for (const id of ids) {
    const line = `${nevraString(b.nevra)}: superseded by security advisory ${id}`;
    plan.advisories.push(line);
    if (!opts.allowVulnerable) throw new VulnerableBuildError(`${line}; restoring it needs --allow-vulnerable`);
    opts.log(`warning: ${line} (restored anyway: --allow-vulnerable)`);
  }
  if (b.choice !== 'exact') opts.log(`${b.choice}: ${from} → ${nevraString(b.nevra)}`);
}
