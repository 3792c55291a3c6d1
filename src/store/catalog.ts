// The catalog: what the proxy knows about each upstream repository, every package version it has seen
// there, which it holds and why, the image manifests registered with it, and the retention history.
// One interface, one SQL implementation (SqlCatalog) on SQLite or PostgreSQL.
import type { Nevra } from '../rpm/types.ts';

/** Why a version must be kept. `all` comes from the repo's policy, not from the row. */
export type RetainReason = 'referenced' | 'downloaded' | 'all';

export type EventKind = 'appeared' | 'superseded' | 'gone' | 'retained' | 'lost' | 'advisory' | 'skipped';

export interface RepoRecord {
  name: string;
  upstreamUrl: string;
  /** repomd.xml's <revision> of the last primary the catalog recorded. */
  revision: string | null;
  /** What the monitor compares to see a new upstream state (revision, primary and updateinfo checksums). */
  scanState: string | null;
  revisionAt: number | null;
  lastPassAt: number | null;
  lastPassError: string | null;
}

export interface RepoSummary extends RepoRecord {
  counts: { versions: number; upstream: number; held: number; retained: number; lost: number };
}

/** One package version as upstream's primary.xml lists it. */
export interface ListedPackage extends Nevra {
  /** The checksum primary.xml gives (`<checksum pkgid="YES">`), lowercase hex. */
  pkgid: string;
  /** Its algorithm as primary.xml names it: sha256 (usual), sha1, sha512… */
  checksumType: string;
  /** location href, relative to the repository base (or to `locationBase` when xml:base is set). */
  location: string;
  locationBase?: string | null;
  size: number;
}

export interface PackageVersion extends ListedPackage {
  id: number;
  repo: string;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Listed by upstream's current primary. */
  upstream: boolean;
  goneAt: number | null;
  supersededAt: number | null;
  /** "name-[epoch:]version-release.arch" of the newer build that superseded this one. */
  supersededBy: string | null;
  /** sha256 of the bytes we hold (a blob), null when not held. */
  blobSha256: string | null;
  /** Held and committed to keep (the vault serves it after upstream evicts it). */
  retained: boolean;
  referenced: boolean;
  downloaded: boolean;
  /** Set when policy chose not to keep it (skipMinor), with why. */
  skipReason: string | null;
  /** Kept but upstream evicted it before we held it. */
  lostAt: number | null;
  /** The security advisory whose update superseded this version. */
  advisoryId: string | null;
  advisorySeverity: string | null;
}

export interface RetentionEvent {
  id: number;
  at: number;
  repo: string;
  nevra: string;
  pkgid: string | null;
  kind: EventKind;
  detail: string | null;
}

export interface ManifestRecord {
  id: number;
  imageSha256: string;
  imageName: string | null;
  createdAt: number;
  body: unknown;
}

/**
 * A registered manifest with where its builds stand now. Each build counts once, in the first state that
 * fits: listed upstream, else retained (served by the vault), else lost, else `other` (gone unheld,
 * skipped by policy, or never seen in any repo); `held` counts builds the proxy holds bytes of.
 */
export interface ManifestSummary extends Omit<ManifestRecord, 'body'> {
  builds: number;
  upstream: number;
  retained: number;
  lost: number;
  other: number;
  held: number;
}

/** A build a manifest references, as registered. */
export interface ManifestBuild extends Nevra {
  pkgid: string;
  repo: string | null;
}

export interface RecordDownloadInput {
  /** location href inside the repository as the client fetched it (Packages/f/foo-1-1.x86_64.rpm). */
  location: string;
  /** The checksum from primary.xml when the caller knows it. */
  pkgid?: string | null;
  /** The blob now holding the bytes (already verified by the caller). */
  blob: { sha256: string; size: number };
}

export interface Page {
  limit?: number;
  offset?: number;
}

export interface PackageFilter {
  name?: string;
  pkgid?: string;
  /** Only versions a security advisory superseded. */
  withAdvisory?: boolean;
  /** Only versions recorded lost. */
  lost?: boolean;
}

export interface Catalog {
  migrate(): Promise<void>;
  close(): Promise<void>;

  // repos
  upsertRepo(name: string, upstreamUrl: string): Promise<void>;
  getRepo(name: string): Promise<RepoRecord | null>;
  listRepos(): Promise<RepoSummary[]>;
  setRepoRevision(name: string, scanState: string, revision: string, at: number): Promise<void>;
  setRepoPass(name: string, at: number, error: string | null): Promise<void>;

  // the monitor's diff: catalog side
  /**
   * Records a batch of listed versions for `scanId` (one upstream primary). Returns the versions new to
   * the catalog (an `appeared` event is recorded for each in the same transaction).
   */
  recordListed(repo: string, scanId: string, batch: readonly ListedPackage[], at: number): Promise<PackageVersion[]>;
  /** Versions listed before but not in `scanId`: upstream=false, gone_at set, `gone` events. Returns how many. */
  markGone(repo: string, scanId: string, at: number): Promise<number>;
  /** (name, arch) pairs with more than one version not yet marked superseded. */
  namesWithUnsuperseded(repo: string, limit: number): Promise<{ name: string; arch: string }[]>;
  versionsOf(repo: string, name: string, arch: string): Promise<PackageVersion[]>;
  markSuperseded(id: number, by: string, at: number): Promise<void>;
  /** Many at once, in one transaction (a big upstream revision supersedes thousands). */
  markSupersededMany(items: readonly { id: number; by: string }[], at: number): Promise<void>;
  setAdvisory(id: number, advisoryId: string, severity: string | null, at: number): Promise<void>;
  /** Stores an advisory (as updateinfo gave it) for the vault's updateinfo.xml; replaces one with the same id. */
  recordAdvisory(repo: string, advisory: { id: string; type: string; severity: string | null }, at: number): Promise<void>;
  /** The advisories recorded for `repo`, a page at a time, ordered by id. */
  listAdvisories(repo: string, limit: number, afterId: string): Promise<unknown[]>;
  /** Re-derives referenced/downloaded flags from manifests and download records (cheap; idempotent). */
  refreshReasons(repo: string): Promise<void>;

  // retention
  /** Versions the policy keeps that are not yet retained (and not skipped, not lost), a page at a time. */
  pendingRetention(repo: string, policy: readonly RetainReason[], limit: number, afterId: number): Promise<PackageVersion[]>;
  /** Superseded versions not skipped or lost (skipMinor re-evaluates them after a scan), a page at a time. */
  listSuperseded(repo: string, limit: number, afterId: number): Promise<PackageVersion[]>;
  markHeld(id: number, blobSha256: string, retained: boolean, at: number): Promise<void>;
  markSkipped(id: number, reason: string, at: number): Promise<void>;
  markLost(id: number, detail: string, at: number): Promise<void>;
  /** Lost versions (kept, gone upstream, not held), newest first. */
  listLost(repo?: string): Promise<PackageVersion[]>;

  // lookups for the proxy and the vault
  findByLocation(repo: string, location: string): Promise<PackageVersion | null>;
  findByPkgid(pkgid: string, repo?: string): Promise<PackageVersion[]>;
  /** Versions the vault of `repo` serves: held, and listed upstream or retained; ordered by id. */
  vaultPackages(repo: string, limit: number, afterId: number): Promise<PackageVersion[]>;
  listPackages(repo: string, page?: Page, filter?: PackageFilter): Promise<PackageVersion[]>;
  /** A client fetched this package whole through /repos (the caller verified and stored it). */
  recordDownload(repo: string, input: RecordDownloadInput, at?: number): Promise<void>;

  // events
  addEvent(event: Omit<RetentionEvent, 'id'>): Promise<void>;
  listEvents(filter: { repo?: string; kind?: EventKind; afterId?: number; limit?: number }): Promise<RetentionEvent[]>;
  /** The newest `limit` events, newest first (of one repo, or of the given kinds only, when asked). */
  latestEvents(limit: number, filter?: { repo?: string; kinds?: readonly EventKind[] }): Promise<RetentionEvent[]>;

  // manifests
  /** Idempotent by image sha256: the same image registered twice answers the first id, created=false. */
  registerManifest(input: { imageSha256: string; imageName: string | null; body: unknown; builds: readonly ManifestBuild[] }, at: number): Promise<{ id: number; created: boolean }>;
  getManifest(id: number): Promise<ManifestRecord | null>;
  listManifests(page?: Page): Promise<Omit<ManifestRecord, 'body'>[]>;
  manifestBuilds(id: number): Promise<ManifestBuild[]>;
  /**
   * A manifest's builds in order, each with its version rows in every repo: by pkgid, or by NEVRA in a
   * repo whose metadata checksums are not sha256 (there the manifest's pkgid, an .rpm's sha256, differs).
   */
  manifestBuildVersions(id: number): Promise<{ build: ManifestBuild; versions: PackageVersion[] }[]>;
  /** Manifests newest first, each with how its builds stand (one query, not one per build). */
  manifestSummaries(page?: Page): Promise<ManifestSummary[]>;
  /** Manifests that reference `pkgid` (to report what a lost version breaks). */
  manifestsReferencing(pkgid: string): Promise<number[]>;

  /** Totals for metrics. */
  totals(): Promise<{ retained: number; lost: number; held: number }>;

  /** One monitor at a time across processes and replicas; null when another holds it. */
  tryMonitorLock(): Promise<(() => Promise<void>) | null>;
}
