// The demo's upstream: every build of every demo package generated once into a pool, and a yum
// repository directory that "publishes" a chosen window of builds (Packages/ + repodata/), replaced
// wholesale when upstream moves on — old builds disappear, as on a real mirror that keeps the last few.

import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_BUILDS, DEMO_PACKAGE_NAMES, demoPackageSpec } from './demoPackages.ts';
import { buildRpm, type BuiltRpm, type RpmSpec } from './rpmWriter.ts';

export interface PoolBuild {
  spec: RpmSpec;
  rpm: BuiltRpm;
  /** Index into DEMO_BUILDS. */
  build: number;
}

/** Writes repodata/ for the packages found under `repoDir` (each given by its path relative to `repoDir`). */
export type RepodataWriter = (repoDir: string, packages: ReadonlyArray<{ relativePath: string; rpm: BuiltRpm }>) => Promise<void>;

/** Every build of every demo package, in memory (about 15 MB): packages[name][build]. */
export async function generatePool(opts: { names?: readonly string[]; builds?: number } = {}): Promise<Map<string, PoolBuild[]>> {
  const names = opts.names ?? DEMO_PACKAGE_NAMES;
  const count = opts.builds ?? DEMO_BUILDS.length;
  const pool = new Map<string, PoolBuild[]>();
  // Compression runs on libuv's thread pool: build a package's series concurrently.
  await Promise.all(
    names.map(async (name) => {
      const builds = await Promise.all(
        Array.from({ length: count }, async (_, build) => {
          const spec = demoPackageSpec(name, build);
          return { spec, rpm: await buildRpm(spec), build };
        }),
      );
      pool.set(name, builds);
    }),
  );
  return pool;
}

/** The pool entries of builds [from, to) of every package. */
export function window(pool: Map<string, PoolBuild[]>, from: number, to: number): PoolBuild[] {
  return [...pool.values()].flatMap((builds) => builds.filter((b) => b.build >= from && b.build < to));
}

/**
 * Makes `repoDir` a repository holding exactly `builds`: writes the new packages, then the new
 * repodata, then removes packages no longer listed (so the metadata never names a missing file).
 */
export async function publish(repoDir: string, builds: readonly PoolBuild[], writeRepodata: RepodataWriter): Promise<{ evicted: string[] }> {
  const pkgDir = join(repoDir, 'Packages');
  await mkdir(pkgDir, { recursive: true });
  const wanted = new Set(builds.map((b) => b.rpm.fileName));
  const present = new Set(await readdir(pkgDir));
  for (const b of builds) {
    if (!present.has(b.rpm.fileName)) await writeFile(join(pkgDir, b.rpm.fileName), b.rpm.bytes);
  }
  await writeRepodata(
    repoDir,
    builds.map((b) => ({ relativePath: `Packages/${b.rpm.fileName}`, rpm: b.rpm })),
  );
  const evicted = [...present].filter((f) => f.endsWith('.rpm') && !wanted.has(f)).sort();
  for (const f of evicted) await rm(join(pkgDir, f), { force: true });
  return { evicted };
}
