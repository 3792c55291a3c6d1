// Catalog over SqlDatabase (SQLite or PostgreSQL); the same statements run on both.
import { formatNevra } from '../rpm/nevra.ts';
import {
  type Catalog,
  type EventKind,
  type ListedPackage,
  type ManifestBuild,
  type ManifestRecord,
  type ManifestSummary,
  type Page,
  type PackageFilter,
  type PackageVersion,
  type RecordDownloadInput,
  type RepoRecord,
  type RepoSummary,
  type RetainReason,
  type RetentionEvent,
} from './catalog.ts';
import { chunks, insertEvent, insertEvents, keepCondition, toPackage, toRepo } from './catalogRows.ts';
import { migrate } from './migrations.ts';
import * as history from './sqlHistory.ts';
import * as manifests from './sqlManifests.ts';
import * as transitions from './sqlTransitions.ts';
import type { SqlDatabase } from './sql.ts';

const MONITOR_LOCK = 'yumvault-monitor';

export class SqlCatalog implements Catalog {
  readonly db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.db = db;
  }

  /** Opens a catalog on `db` and applies pending migrations. */
  static async open(db: SqlDatabase): Promise<SqlCatalog> {
    const c = new SqlCatalog(db);
    await c.migrate();
    return c;
  }

  migrate(): Promise<void> {
    return migrate(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async upsertRepo(name: string, upstreamUrl: string): Promise<void> {
    await this.db.run(
      'INSERT INTO repos (name, upstream_url) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET upstream_url = excluded.upstream_url',
      [name, upstreamUrl],
    );
  }

  async getRepo(name: string): Promise<RepoRecord | null> {
    const row = await this.db.get('SELECT * FROM repos WHERE name = ?', [name]);
    return row ? toRepo(row) : null;
  }

  async listRepos(): Promise<RepoSummary[]> {
    const repos = await this.db.all('SELECT * FROM repos ORDER BY name');
    const counts = await this.db.all<{ repo: string; versions: number; upstream: number; held: number; retained: number; lost: number }>(
      `SELECT repo, COUNT(*) AS versions,
              SUM(upstream) AS upstream,
              SUM(CASE WHEN blob_sha256 IS NULL THEN 0 ELSE 1 END) AS held,
              SUM(retained) AS retained,
              SUM(CASE WHEN lost_at IS NULL THEN 0 ELSE 1 END) AS lost
       FROM packages GROUP BY repo`,
    );
    const byRepo = new Map(counts.map((c) => [c.repo, c]));
    return repos.map((r) => {
      const repo = toRepo(r);
      const c = byRepo.get(repo.name);
      return {
        ...repo,
        counts: {
          versions: Number(c?.versions ?? 0),
          upstream: Number(c?.upstream ?? 0),
          held: Number(c?.held ?? 0),
          retained: Number(c?.retained ?? 0),
          lost: Number(c?.lost ?? 0),
        },
      };
    });
  }

  async setRepoRevision(name: string, scanState: string, revision: string, at: number): Promise<void> {
    await this.db.run('UPDATE repos SET revision = ?, upstream_revision = ?, revision_at = ? WHERE name = ?', [scanState, revision, at, name]);
  }

  async setRepoPass(name: string, at: number, error: string | null): Promise<void> {
    await this.db.run('UPDATE repos SET last_pass_at = ?, last_pass_error = ? WHERE name = ?', [at, error, name]);
  }

  async recordListed(repo: string, scanId: string, batch: readonly ListedPackage[], at: number): Promise<PackageVersion[]> {
    // A primary lists a build once; should one list it twice, the last listing counts.
    const byPkgid = new Map(batch.map((p) => [p.pkgid, p]));
    const listed = [...byPkgid.values()];
    return this.db.transaction(async (tx) => {
      const appeared: PackageVersion[] = [];
      // Set statements over chunks: a 70,000-package primary costs a few hundred statements, not 140,000.
      for (const chunk of chunks(listed, 200)) {
        const marks = chunk.map(() => '?').join(', ');
        const known = await tx.all<{ pkgid: string; location: string; location_base: string | null }>(
          `SELECT pkgid, location, location_base FROM packages WHERE repo = ? AND pkgid IN (${marks})`,
          [repo, ...chunk.map((p) => p.pkgid)],
        );
        if (known.length) {
          // A version back upstream (a mirror that lagged, a re-published build) is no longer lost: it can be held now.
          await tx.run(
            `UPDATE packages SET scan_id = ?, last_seen_at = ?, upstream = 1, gone_at = NULL, lost_at = NULL
             WHERE repo = ? AND pkgid IN (${known.map(() => '?').join(', ')})`,
            [scanId, at, repo, ...known.map((k) => k.pkgid)],
          );
          for (const k of known) {
            const p = byPkgid.get(k.pkgid)!;
            if (p.location === k.location && (p.locationBase ?? null) === k.location_base) continue;
            await tx.run('UPDATE packages SET location = ?, location_base = ? WHERE repo = ? AND pkgid = ?', [p.location, p.locationBase ?? null, repo, p.pkgid]);
          }
        }
        const knownIds = new Set(known.map((k) => k.pkgid));
        const fresh = chunk.filter((p) => !knownIds.has(p.pkgid));
        if (fresh.length === 0) continue;
        const rows = await tx.all(
          `INSERT INTO packages (repo, name, epoch, version, release, arch, pkgid, checksum_type, location, location_base, size,
                                 first_seen_at, last_seen_at, scan_id)
           VALUES ${fresh.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING *`,
          fresh.flatMap((p) => [repo, p.name, p.epoch, p.version, p.release, p.arch, p.pkgid, p.checksumType, p.location, p.locationBase ?? null, p.size, at, at, scanId]),
        );
        const added = rows.map(toPackage).sort((a, b) => a.id - b.id);
        appeared.push(...added);
        await insertEvents(tx, added.map((pv) => ({ at, repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'appeared' as const, detail: null })));
      }
      return appeared;
    });
  }

  async markGone(repo: string, scanId: string, at: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO events (at, repo, nevra, pkgid, kind, detail)
         SELECT ?, repo, name || '-' || CASE WHEN epoch = 0 THEN '' ELSE CAST(epoch AS TEXT) || ':' END || version || '-' || release || '.' || arch,
                pkgid, 'gone', NULL
         FROM packages WHERE repo = ? AND upstream = 1 AND scan_id <> ?`,
        [at, repo, scanId],
      );
      const res = await tx.run('UPDATE packages SET upstream = 0, gone_at = ? WHERE repo = ? AND upstream = 1 AND scan_id <> ?', [at, repo, scanId]);
      return res.changes;
    });
  }

  async namesWithUnsuperseded(repo: string, limit: number): Promise<{ name: string; arch: string }[]> {
    return this.db.all(
      'SELECT name, arch FROM packages WHERE repo = ? AND superseded_at IS NULL GROUP BY name, arch HAVING COUNT(*) > 1 ORDER BY name, arch LIMIT ?',
      [repo, limit],
    );
  }

  async versionsOf(repo: string, name: string, arch: string): Promise<PackageVersion[]> {
    const rows = await this.db.all('SELECT * FROM packages WHERE repo = ? AND name = ? AND arch = ? ORDER BY id', [repo, name, arch]);
    return rows.map(toPackage);
  }

  markSuperseded(id: number, by: string, at: number): Promise<void> {
    return transitions.markSupersededMany(this.db, [{ id, by }], at);
  }

  markSupersededMany(items: readonly { id: number; by: string }[], at: number): Promise<void> {
    return transitions.markSupersededMany(this.db, items, at);
  }

  setAdvisory(id: number, advisoryId: string, severity: string | null, at: number): Promise<void> {
    return transitions.setAdvisory(this.db, id, advisoryId, severity, at);
  }

  async refreshReasons(repo: string): Promise<void> {
    await this.db.run(
      `UPDATE packages SET referenced = 1 WHERE repo = ? AND referenced = 0
         AND EXISTS (SELECT 1 FROM manifest_builds b WHERE b.pkgid = packages.pkgid
                     OR (b.name = packages.name AND b.epoch = packages.epoch AND b.version = packages.version
                         AND b.release = packages.release AND b.arch = packages.arch AND (b.repo = packages.repo OR b.repo IS NULL)))`,
      [repo],
    );
    await this.db.run(
      `UPDATE packages SET downloaded = 1 WHERE repo = ? AND downloaded = 0
         AND EXISTS (SELECT 1 FROM downloads d WHERE d.repo = packages.repo
                     AND (d.pkgid = packages.pkgid OR (d.pkgid IS NULL AND d.location = packages.location)))`,
      [repo],
    );
    // A download recorded before the monitor listed its version names the blob that holds it.
    await this.db.run(
      `UPDATE packages SET blob_sha256 = (SELECT d.blob_sha256 FROM downloads d WHERE d.repo = packages.repo
                     AND (d.pkgid = packages.pkgid OR (d.pkgid IS NULL AND d.location = packages.location))
                     AND (packages.checksum_type <> 'sha256' OR d.blob_sha256 = packages.pkgid) ORDER BY d.at LIMIT 1)
       WHERE repo = ? AND blob_sha256 IS NULL AND downloaded = 1`,
      [repo],
    );
  }

  async pendingRetention(repo: string, policy: readonly RetainReason[], limit: number, afterId: number): Promise<PackageVersion[]> {
    const keep = keepCondition(policy);
    if (!keep) return [];
    const rows = await this.db.all(
      `SELECT * FROM packages WHERE repo = ? AND id > ? AND retained = 0 AND skip_reason IS NULL AND lost_at IS NULL AND (${keep})
       ORDER BY id LIMIT ?`,
      [repo, afterId, limit],
    );
    return rows.map(toPackage);
  }

  async listSuperseded(repo: string, limit: number, afterId: number): Promise<PackageVersion[]> {
    const rows = await this.db.all(
      `SELECT * FROM packages WHERE repo = ? AND id > ? AND superseded_at IS NOT NULL AND skip_reason IS NULL AND lost_at IS NULL
       ORDER BY id LIMIT ?`,
      [repo, afterId, limit],
    );
    return rows.map(toPackage);
  }

  markHeld(id: number, blobSha256: string, retained: boolean, at: number): Promise<void> {
    return transitions.markHeld(this.db, id, blobSha256, retained, at);
  }

  markSkipped(id: number, reason: string, at: number): Promise<void> {
    return transitions.markSkipped(this.db, id, reason, at);
  }

  markLost(id: number, detail: string, at: number): Promise<void> {
    return transitions.markLost(this.db, id, detail, at);
  }

  async listLost(repo?: string): Promise<PackageVersion[]> {
    const rows = repo
      ? await this.db.all('SELECT * FROM packages WHERE lost_at IS NOT NULL AND repo = ? ORDER BY lost_at DESC, id DESC', [repo])
      : await this.db.all('SELECT * FROM packages WHERE lost_at IS NOT NULL ORDER BY lost_at DESC, id DESC');
    return rows.map(toPackage);
  }

  async findByLocation(repo: string, location: string): Promise<PackageVersion | null> {
    // Prefer a held build, then the newest listing, when a location was reused by a rebuild.
    const row = await this.db.get(
      `SELECT * FROM packages WHERE repo = ? AND location = ?
       ORDER BY CASE WHEN blob_sha256 IS NULL THEN 1 ELSE 0 END, upstream DESC, id DESC LIMIT 1`,
      [repo, location],
    );
    return row ? toPackage(row) : null;
  }

  async findByPkgid(pkgid: string, repo?: string): Promise<PackageVersion[]> {
    const rows = repo
      ? await this.db.all('SELECT * FROM packages WHERE pkgid = ? AND repo = ? ORDER BY id', [pkgid, repo])
      : await this.db.all('SELECT * FROM packages WHERE pkgid = ? ORDER BY id', [pkgid]);
    return rows.map(toPackage);
  }

  async vaultPackages(repo: string, limit: number, afterId: number): Promise<PackageVersion[]> {
    const rows = await this.db.all(
      `SELECT * FROM packages WHERE repo = ? AND id > ? AND blob_sha256 IS NOT NULL AND (upstream = 1 OR retained = 1)
       ORDER BY id LIMIT ?`,
      [repo, afterId, limit],
    );
    return rows.map(toPackage);
  }

  async listPackages(repo: string, page: Page = {}, filter: PackageFilter = {}): Promise<PackageVersion[]> {
    const where = ['repo = ?'];
    const params: (string | number)[] = [repo];
    if (filter.name !== undefined) {
      where.push('name = ?');
      params.push(filter.name);
    }
    if (filter.pkgid !== undefined) {
      where.push('pkgid = ?');
      params.push(filter.pkgid);
    }
    if (filter.withAdvisory) where.push('advisory_id IS NOT NULL');
    if (filter.lost) where.push('lost_at IS NOT NULL');
    params.push(page.limit ?? 1000, page.offset ?? 0);
    const rows = await this.db.all(`SELECT * FROM packages WHERE ${where.join(' AND ')} ORDER BY name, arch, id LIMIT ? OFFSET ?`, params);
    return rows.map(toPackage);
  }

  async recordDownload(repo: string, input: RecordDownloadInput, at: number = Date.now()): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO downloads (repo, location, pkgid, blob_sha256, size, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [repo, input.location, input.pkgid ?? null, input.blob.sha256, input.blob.size, at],
      );
      // When the catalog already lists the version, it is held from now on; otherwise the next pass links it.
      const cond = input.pkgid ? 'pkgid = ?' : 'location = ?';
      await tx.run(`UPDATE packages SET downloaded = 1, blob_sha256 = COALESCE(blob_sha256, ?) WHERE repo = ? AND ${cond}`, [
        input.blob.sha256,
        repo,
        input.pkgid ?? input.location,
      ]);
    });
  }

  addEvent(event: Omit<RetentionEvent, 'id'>): Promise<void> {
    return insertEvent(this.db, event);
  }

  listEvents(filter: { repo?: string; kind?: EventKind; afterId?: number; limit?: number }): Promise<RetentionEvent[]> {
    return history.listEvents(this.db, filter);
  }

  latestEvents(limit: number, filter?: { repo?: string; kinds?: readonly EventKind[] }): Promise<RetentionEvent[]> {
    return history.latestEvents(this.db, limit, filter);
  }

  recordAdvisory(repo: string, advisory: { id: string; type: string; severity: string | null }, at: number): Promise<void> {
    return history.recordAdvisory(this.db, repo, advisory, at);
  }

  listAdvisories(repo: string, limit: number, afterId: string): Promise<unknown[]> {
    return history.listAdvisories(this.db, repo, limit, afterId);
  }

  registerManifest(input: { imageSha256: string; imageName: string | null; body: unknown; builds: readonly ManifestBuild[] }, at: number): Promise<{ id: number; created: boolean }> {
    return manifests.registerManifest(this.db, input, at);
  }

  getManifest(id: number): Promise<ManifestRecord | null> {
    return manifests.getManifest(this.db, id);
  }

  listManifests(page: Page = {}): Promise<Omit<ManifestRecord, 'body'>[]> {
    return manifests.listManifests(this.db, page);
  }

  manifestBuilds(id: number): Promise<ManifestBuild[]> {
    return manifests.manifestBuilds(this.db, id);
  }

  manifestBuildVersions(id: number): Promise<{ build: ManifestBuild; versions: PackageVersion[] }[]> {
    return manifests.manifestBuildVersions(this.db, id);
  }

  manifestSummaries(page: Page = {}): Promise<ManifestSummary[]> {
    return manifests.manifestSummaries(this.db, page);
  }

  manifestsReferencing(pkgid: string): Promise<number[]> {
    return manifests.manifestsReferencing(this.db, pkgid);
  }

  async totals(): Promise<{ retained: number; lost: number; held: number }> {
    const row = await this.db.get<{ retained: number | null; lost: number | null; held: number | null }>(
      `SELECT SUM(retained) AS retained, SUM(CASE WHEN lost_at IS NULL THEN 0 ELSE 1 END) AS lost,
              SUM(CASE WHEN blob_sha256 IS NULL THEN 0 ELSE 1 END) AS held FROM packages`,
    );
    return { retained: Number(row?.retained ?? 0), lost: Number(row?.lost ?? 0), held: Number(row?.held ?? 0) };
  }

  tryMonitorLock(): Promise<(() => Promise<void>) | null> {
    return this.db.tryLock(MONITOR_LOCK);
  }
}
