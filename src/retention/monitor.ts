// The monitor: one retention pass reads each upstream's repomd.xml, records a new primary when the
// revision moved (scan.ts), records security advisories, then holds every version the policy keeps
// (retain.ts) and republishes the vault. A pass may be killed at any point: each step is idempotent and
// the revision is recorded only after its scan completed, so the next pass finishes the work.
import { AsyncMutex } from '../store/sql.ts';
import type { BlobStore } from '../store/blobStore.ts';
import type { Catalog } from '../store/catalog.ts';
import { silentProgress, type Progress } from '../util/progress.ts';
import type { Logger } from './logger.ts';
import type { RetentionPolicy } from './policy.ts';
import { retainPending, skipMinorSuperseded, type LostVersion } from './retain.ts';
import { markSupersession, recordAdvisories, scanPrimary } from './scan.ts';
import type { UpstreamSource } from './upstream.ts';

export interface MonitoredRepo {
  name: string;
  upstreamUrl: string;
  policy: RetentionPolicy;
  source: UpstreamSource;
}

export interface MonitorDeps {
  catalog: Catalog;
  blobs: BlobStore;
  repos: readonly MonitoredRepo[];
  logger: Logger;
  /** Milliseconds since the epoch (injected: tests move time). */
  now?: () => number;
  /** Regenerates the vault's repodata for a repo after it changed (proxy/vault's publisher). */
  publish?: (repo: string) => Promise<void>;
  /** Parallel package downloads per repo (default 4). */
  concurrency?: number;
  /** A progress bar for `monitor --once` on a terminal (silent by default). */
  progress?: Progress;
}

export interface RepoPassReport {
  repo: string;
  revision: string | null;
  scanned: boolean;
  appeared: number;
  gone: number;
  superseded: number;
  advisories: number;
  retained: number;
  downloaded: number;
  skipped: number;
  lost: LostVersion[];
  failed: { nevra: string; error: string }[];
  published: boolean;
  error: string | null;
}

export interface PassReport {
  /** False when another process (or replica) holds the monitor lock: nothing was done. */
  ran: boolean;
  repos: RepoPassReport[];
}

export class Monitor {
  private deps: MonitorDeps;
  private readonly now: () => number;
  private readonly running = new AsyncMutex();
  /** Versions recorded lost since this process started (for /metrics). */
  lostCount = 0;

  constructor(deps: MonitorDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  get repoNames(): string[] {
    return this.deps.repos.map((r) => r.name);
  }

  /** Shows passes on a progress bar (the CLI's, on a terminal). */
  setProgress(progress: Progress): void {
    this.deps = { ...this.deps, progress };
  }

  /** Closes the upstream sources' connections (after the last pass). */
  async close(): Promise<void> {
    await Promise.all(this.deps.repos.map((r) => r.source.close?.()));
  }

  /** One pass over all repos (or the named ones). Passes in one process run one after another. */
  async runPass(options: { repos?: readonly string[] } = {}): Promise<PassReport> {
    const unlock = await this.running.lock();
    try {
      const release = await this.deps.catalog.tryMonitorLock();
      if (!release) {
        this.deps.logger.warn('another monitor holds the lock; this pass does nothing');
        return { ran: false, repos: [] };
      }
      try {
        const repos = this.deps.repos.filter((r) => !options.repos || options.repos.includes(r.name));
        const reports: RepoPassReport[] = [];
        for (const repo of repos) reports.push(await this.passRepo(repo));
        return { ran: true, repos: reports };
      } finally {
        await release();
      }
    } finally {
      unlock();
    }
  }

  private async passRepo(repo: MonitoredRepo): Promise<RepoPassReport> {
    const { catalog, logger } = this.deps;
    const progress = this.deps.progress ?? silentProgress;
    const report: RepoPassReport = {
      repo: repo.name, revision: null, scanned: false, appeared: 0, gone: 0, superseded: 0, advisories: 0,
      retained: 0, downloaded: 0, skipped: 0, lost: [], failed: [], published: false, error: null,
    };
    try {
      await catalog.upsertRepo(repo.name, repo.upstreamUrl);
      const before = await catalog.getRepo(repo.name);
      const snap = await repo.source.snapshot();
      report.revision = snap.revision;
      const recorded = before?.scanState ?? null;
      const stateId = `${snap.scanId}|${snap.updateinfoId ?? ''}`;
      if (recorded !== stateId) {
        progress.start(`${repo.name}: reading primary`, 0, 'items');
        const scan = await scanPrimary(catalog, repo.name, repo.source, snap, this.now, (n) => progress.update(n));
        Object.assign(report, scan, { scanned: true });
        if (snap.updateinfoId) report.advisories = await recordAdvisories(catalog, repo.name, repo.source, snap, this.now);
        logger.info(`${repo.name}: revision ${snap.revision}: ${scan.appeared} appeared, ${scan.gone} gone, ${scan.superseded} superseded`, {
          repo: repo.name, revision: snap.revision, ...scan,
        });
      } else {
        // Supersession is re-checked cheaply: a pass killed after recording the revision left none open,
        // but a version held by a client since may still need the invariant.
        report.superseded = await markSupersession(catalog, repo.name, this.now);
      }
      await catalog.refreshReasons(repo.name);
      const skippedNow = repo.policy.skipMinor && report.scanned ? await skipMinorSuperseded({ catalog, now: this.now }, repo.name) : 0;
      progress.start(`${repo.name}: retaining`, 0, 'items');
      const kept = await retainPending(
        { catalog, blobs: this.deps.blobs, upstream: repo.source, logger, now: this.now, concurrency: this.deps.concurrency, onHandled: (n) => progress.update(n) },
        repo.name,
        repo.policy,
      );
      Object.assign(report, { retained: kept.retained, downloaded: kept.downloaded, skipped: kept.skipped + skippedNow, lost: kept.lost, failed: kept.failed });
      this.lostCount += kept.lost.length;
      if (kept.lost.length) logger.error(`${repo.name}: ${kept.lost.length} version(s) LOST before they could be held`, { repo: repo.name, lost: kept.lost });
      // The revision is recorded last: a kill before this line makes the next pass scan again.
      if (recorded !== stateId) await catalog.setRepoRevision(repo.name, stateId, snap.revision, this.now());
      if (this.deps.publish && (report.scanned || kept.retained || report.skipped || kept.lost.length || !before?.lastPassAt)) {
        await this.deps.publish(repo.name);
        report.published = true;
      }
      await catalog.setRepoPass(repo.name, this.now(), null);
      progress.done();
    } catch (e) {
      progress.done();
      report.error = (e as Error).message;
      logger.error(`${repo.name}: monitor pass failed: ${report.error}`, { repo: repo.name });
      await catalog.setRepoPass(repo.name, this.now(), report.error).catch(() => {});
    }
    return report;
  }
}
