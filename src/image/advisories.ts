// Security advisories that superseded a build, as the proxy records them (GET /api/v1/packages?repo=NAME:
// each version with advisoryId when a security update superseded it). Used by restore to refuse
// vulnerable builds unless --allow-vulnerable.

import type { Nevra } from '../rpm/types.ts';
import { nevraString, type ManifestPackage } from './manifest.ts';
import { getApiJson } from './register.ts';

interface PackageRow {
  nevra?: string;
  pkgid?: string | null;
  advisoryId?: string | null;
}

/** The proxy repo a manifest's `repo` names (…/repos/NAME/ or …/vault/NAME/), if any. */
export function proxyRepoName(repo: string): string | undefined {
  return /\/(?:repos|vault)\/([^/]+)\/?$/.exec(repo)?.[1];
}

/**
 * Advisory ids for a build from the proxy API. A proxy that cannot answer (down, an older version, not a
 * yumvault proxy at all) is reported through `warn` once and treated as knowing of no advisory.
 */
export function proxyAdvisoryLookup(proxyUrl: string, warn: (line: string) => void = () => {}): (pkg: ManifestPackage, nevra: Nevra) => Promise<string[]> {
  let warned = false;
  const lookup = inner(proxyUrl);
  return async (pkg, nevra) => {
    try {
      return await lookup(pkg, nevra);
    } catch (e) {
      if (!warned) warn(`warning: cannot read advisories from ${proxyUrl}: ${(e as Error).message}`);
      warned = true;
      return [];
    }
  };
}

function inner(proxyUrl: string): (pkg: ManifestPackage, nevra: Nevra) => Promise<string[]> {
  const cache = new Map<string, Promise<PackageRow[]>>();
  const rows = (repo: string) => {
    let p = cache.get(repo);
    if (!p) {
      p = getApiJson(proxyUrl, `packages?repo=${encodeURIComponent(repo)}&advisory=1&limit=10000`).then((b) => ((b as { packages?: PackageRow[] }).packages ?? []));
      cache.set(repo, p);
    }
    return p;
  };
  let repoNames: Promise<string[]> | undefined;
  return async (pkg, nevra) => {
    const named = proxyRepoName(pkg.repo);
    const names = named ? [named] : await (repoNames ??= getApiJson(proxyUrl, 'repos').then((b) => ((b as { repos?: { name: string }[] }).repos ?? []).map((r) => r.name)));
    const want = nevraString(nevra);
    const ids = new Set<string>();
    for (const name of names) {
      for (const r of await rows(name)) {
        if (r.advisoryId && (r.nevra === want || (nevraString(nevra) === nevraString(pkg) && r.pkgid === pkg.pkgid))) ids.add(r.advisoryId);
      }
    }
    return [...ids];
  };
}
