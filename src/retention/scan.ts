// The monitor's diff. Upstream's side arrives as a stream (primary.xml, never held whole); the catalog is
// the other side: each batch is recorded against a scan id, and what the scan did not touch is gone.
import type { Catalog, ListedPackage, PackageVersion } from '../store/catalog.ts';
import { formatNevra } from '../rpm/nevra.ts';
import { compareEvr } from '../rpm/vercmp.ts';
import type { UpstreamSnapshot, UpstreamSource } from './upstream.ts';

const BATCH = 500;

export interface ScanResult {
  appeared: number;
  gone: number;
  superseded: number;
}

/** Records one upstream primary: appeared and gone versions, then supersession. Safe to re-run. */
export async function scanPrimary(
  catalog: Catalog,
  repo: string,
  upstream: UpstreamSource,
  snap: UpstreamSnapshot,
  now: () => number,
  onListed: (count: number) => void = () => {},
): Promise<ScanResult> {
  let appeared = 0;
  let listed = 0;
  let batch: ListedPackage[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    appeared += (await catalog.recordListed(repo, snap.scanId, batch, now())).length;
    batch = [];
  };
  for await (const pkg of upstream.packages(snap)) {
    batch.push(pkg);
    if (batch.length >= BATCH) {
      await flush();
      onListed((listed += BATCH));
    }
  }
  await flush();
  const gone = await catalog.markGone(repo, snap.scanId, now());
  const superseded = await markSupersession(catalog, repo, now);
  return { appeared, gone, superseded };
}

/**
 * Every (name, arch) keeps exactly one unsuperseded version: its newest. Driven by the catalog's own
 * invariant rather than by this scan's appearances, so a pass killed half-way is completed by the next.
 */
export async function markSupersession(catalog: Catalog, repo: string, now: () => number): Promise<number> {
  let marked = 0;
  for (;;) {
    const names = await catalog.namesWithUnsuperseded(repo, 200);
    if (names.length === 0) return marked;
    const marks: { id: number; by: string }[] = [];
    for (const { name, arch } of names) {
      const versions = await catalog.versionsOf(repo, name, arch);
      const newest = newestOf(versions);
      for (const v of versions) {
        if (v.id === newest.id || v.supersededAt !== null) continue;
        marks.push({ id: v.id, by: formatNevra(successorOf(v, versions) ?? newest) });
      }
    }
    // Cannot happen (each batch leaves one open version per name), but a loop must never spin.
    if (marks.length === 0) return marked;
    await catalog.markSupersededMany(marks, now());
    marked += marks.length;
  }
}

/** Newest by EVR; among equal EVRs (a rebuild under one NEVRA), the one listed last. */
export function newestOf(versions: readonly PackageVersion[]): PackageVersion {
  let best = versions[0]!;
  for (const v of versions) if (compareEvr(v, best) > 0 || (compareEvr(v, best) === 0 && v.id > best.id)) best = v;
  return best;
}

/** The version that directly follows `v`: the oldest of those newer than it. */
export function successorOf(v: PackageVersion, versions: readonly PackageVersion[]): PackageVersion | null {
  let next: PackageVersion | null = null;
  for (const w of versions) {
    const c = compareEvr(w, v);
    if (c < 0 || (c === 0 && w.id <= v.id)) continue;
    if (!next || compareEvr(w, next) < 0) next = w;
  }
  return next;
}

/**
 * Security advisories: for each package a security update ships, every older version of that name and
 * arch has been superseded by a security fix; the advisory is recorded against it (restore refuses such
 * builds unless told). The first advisory recorded for a version stays.
 */
export async function recordAdvisories(catalog: Catalog, repo: string, upstream: UpstreamSource, snap: UpstreamSnapshot, now: () => number): Promise<number> {
  let recorded = 0;
  for await (const adv of upstream.advisories(snap)) {
    if (adv.type !== 'security') continue;
    let concerns = false;
    for (const fixed of adv.packages) {
      const versions = await catalog.versionsOf(repo, fixed.name, fixed.arch);
      if (versions.length) concerns = true;
      for (const v of versions) {
        if (v.advisoryId !== null || compareEvr(v, fixed) >= 0) continue;
        await catalog.setAdvisory(v.id, adv.id, adv.severity, now());
        recorded++;
      }
    }
    // Kept for the vault's updateinfo.xml: restore reads it from there to refuse vulnerable builds.
    if (concerns) await catalog.recordAdvisory(repo, adv, now());
  }
  return recorded;
}
