// Catalog over SqlDatabase (SQLite or PostgreSQL); the same statements run on both.
import { NotFoundError } from '../errors.ts';
import {
  formatNevra,
  type Catalog,
  type EventKind,
  type ListedPackage,
  type ManifestBuild,
  type ManifestRecord,
  type Page,
  type PackageFilter,
  type PackageVersion,
  type RecordDownloadInput,
  type RepoRecord,
  type RepoSummary,
  type RetainReason,
  type RetentionEvent,
} from './catalog.ts';
import { migrate } from './migrations.ts';
import type { SqlDatabase, SqlRow } from './sql.ts';

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
    return this.markSupersededMany([{ id, by }], at);
  }

  async markSupersededMany(items: readonly { id: number; by: string }[], at: number): Promise<void> {
    if (items.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(items, 200)) {
        const rows = await tx.all(`SELECT * FROM packages WHERE superseded_at IS NULL AND id IN (${chunk.map(() => '?').join(', ')})`, chunk.map((i) => i.id));
        const open = new Map(rows.map((r) => [Number(r.id), toPackage(r)]));
        const todo = chunk.filter((i) => open.has(i.id));
        // One UPDATE per successor: the builds one newer version supersedes go together.
        const bySuccessor = new Map<string, number[]>();
        for (const i of todo) bySuccessor.set(i.by, [...(bySuccessor.get(i.by) ?? []), i.id]);
        for (const [by, ids] of bySuccessor) {
          await tx.run(`UPDATE packages SET superseded_at = ?, superseded_by = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [at, by, ...ids]);
        }
        await insertEvents(tx, todo.map((i) => {
          const pv = open.get(i.id)!;
          return { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'superseded' as const, detail: `by ${i.by}` };
        }));
      }
    });
  }

  async setAdvisory(id: number, advisoryId: string, severity: string | null, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT * FROM packages WHERE id = ?', [id]);
      if (!row) throw new NotFoundError(`package version ${id} is not in the catalog`);
      const pv = toPackage(row);
      if (pv.advisoryId === advisoryId) return;
      await tx.run('UPDATE packages SET advisory_id = ?, advisory_severity = ? WHERE id = ?', [advisoryId, severity, id]);
      await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'advisory', detail: severity ? `${advisoryId} (${severity})` : advisoryId });
    });
  }

  async recordAdvisory(repo: string, advisory: { id: string; type: string; severity: string | null }, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO advisories (repo, id, type, severity, body, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo, id) DO UPDATE SET type = excluded.type, severity = excluded.severity, body = excluded.body`,
      [repo, advisory.id, advisory.type, advisory.severity, JSON.stringify(advisory), at],
    );
  }

  async listAdvisories(repo: string, limit: number, afterId: string): Promise<unknown[]> {
    const rows = await this.db.all<{ body: string }>('SELECT body FROM advisories WHERE repo = ? AND id > ? ORDER BY id LIMIT ?', [repo, afterId, limit]);
    return rows.map((r) => JSON.parse(r.body) as unknown);
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

  async markHeld(id: number, blobSha256: string, retained: boolean, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT * FROM packages WHERE id = ?', [id]);
      if (!row) throw new NotFoundError(`package version ${id} is not in the catalog`);
      const pv = toPackage(row);
      await tx.run('UPDATE packages SET blob_sha256 = ?, retained = ?, lost_at = NULL WHERE id = ?', [blobSha256, retained ? 1 : 0, id]);
      if (retained && !pv.retained) {
        await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'retained', detail: reasonsOf(pv).join(',') || null });
      }
    });
  }

  async markSkipped(id: number, reason: string, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT * FROM packages WHERE id = ? AND skip_reason IS NULL', [id]);
      if (!row) return;
      const pv = toPackage(row);
      await tx.run('UPDATE packages SET skip_reason = ?, retained = 0 WHERE id = ?', [reason, id]);
      await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'skipped', detail: reason });
    });
  }

  async markLost(id: number, detail: string, at: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT * FROM packages WHERE id = ? AND lost_at IS NULL', [id]);
      if (!row) return;
      const pv = toPackage(row);
      await tx.run('UPDATE packages SET lost_at = ? WHERE id = ?', [at, id]);
      await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'lost', detail });
    });
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

  async addEvent(event: Omit<RetentionEvent, 'id'>): Promise<void> {
    await insertEvent(this.db, event);
  }

  async listEvents(filter: { repo?: string; kind?: EventKind; afterId?: number; limit?: number }): Promise<RetentionEvent[]> {
    const where: string[] = ['id > ?'];
    const params: (string | number)[] = [filter.afterId ?? 0];
    if (filter.repo) {
      where.push('repo = ?');
      params.push(filter.repo);
    }
    if (filter.kind) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    params.push(filter.limit ?? 1000);
    const rows = await this.db.all(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, params);
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      repo: String(r.repo),
      nevra: String(r.nevra),
      pkgid: (r.pkgid as string | null) ?? null,
      kind: r.kind as EventKind,
      detail: (r.detail as string | null) ?? null,
    }));
  }

  async registerManifest(
    input: { imageSha256: string; imageName: string | null; body: unknown; builds: readonly ManifestBuild[] },
    at: number,
  ): Promise<{ id: number; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.get<{ id: number }>(
        'INSERT INTO manifests (image_sha256, image_name, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (image_sha256) DO NOTHING RETURNING id',
        [input.imageSha256, input.imageName, JSON.stringify(input.body), at],
      );
      if (!inserted) {
        const existing = await tx.get<{ id: number }>('SELECT id FROM manifests WHERE image_sha256 = ?', [input.imageSha256]);
        return { id: Number(existing!.id), created: false };
      }
      const id = Number(inserted.id);
      let idx = 0;
      for (const b of input.builds) {
        await tx.run(
          'INSERT INTO manifest_builds (manifest_id, idx, name, epoch, version, release, arch, pkgid, repo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [id, idx++, b.name, b.epoch, b.version, b.release, b.arch, b.pkgid, b.repo],
        );
        await tx.run('UPDATE packages SET referenced = 1 WHERE pkgid = ? AND referenced = 0', [b.pkgid]);
      }
      return { id, created: true };
    });
  }

  async getManifest(id: number): Promise<ManifestRecord | null> {
    const row = await this.db.get('SELECT * FROM manifests WHERE id = ?', [id]);
    if (!row) return null;
    return { ...toManifestHead(row), body: JSON.parse(String(row.body)) as unknown };
  }

  async listManifests(page: Page = {}): Promise<Omit<ManifestRecord, 'body'>[]> {
    const rows = await this.db.all('SELECT id, image_sha256, image_name, created_at FROM manifests ORDER BY id LIMIT ? OFFSET ?', [
      page.limit ?? 1000,
      page.offset ?? 0,
    ]);
    return rows.map(toManifestHead);
  }

  async manifestBuilds(id: number): Promise<ManifestBuild[]> {
    const rows = await this.db.all('SELECT * FROM manifest_builds WHERE manifest_id = ? ORDER BY idx', [id]);
    return rows.map((r) => ({
      name: String(r.name),
      epoch: Number(r.epoch),
      version: String(r.version),
      release: String(r.release),
      arch: String(r.arch),
      pkgid: String(r.pkgid),
      repo: (r.repo as string | null) ?? null,
    }));
  }

  async manifestsReferencing(pkgid: string): Promise<number[]> {
    const rows = await this.db.all<{ manifest_id: number }>('SELECT DISTINCT manifest_id FROM manifest_builds WHERE pkgid = ? ORDER BY manifest_id', [pkgid]);
    return rows.map((r) => Number(r.manifest_id));
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

/** SQL for "the policy keeps this row". */
export function keepCondition(policy: readonly RetainReason[]): string | null {
  if (policy.includes('all')) return '1 = 1';
  const parts: string[] = [];
  if (policy.includes('referenced')) parts.push('referenced = 1');
  if (policy.includes('downloaded')) parts.push('downloaded = 1');
  return parts.length ? parts.join(' OR ') : null;
}

function reasonsOf(pv: PackageVersion): RetainReason[] {
  const r: RetainReason[] = [];
  if (pv.referenced) r.push('referenced');
  if (pv.downloaded) r.push('downloaded');
  return r;
}

async function insertEvents(db: Pick<SqlDatabase, 'run'>, events: readonly Omit<RetentionEvent, 'id'>[]): Promise<void> {
  for (const chunk of chunks(events, 200)) {
    await db.run(
      `INSERT INTO events (at, repo, nevra, pkgid, kind, detail) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((e) => [e.at, e.repo, e.nevra, e.pkgid, e.kind, e.detail]),
    );
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertEvent(db: Pick<SqlDatabase, 'run'>, e: Omit<RetentionEvent, 'id'>): Promise<void> {
  await db.run('INSERT INTO events (at, repo, nevra, pkgid, kind, detail) VALUES (?, ?, ?, ?, ?, ?)', [e.at, e.repo, e.nevra, e.pkgid, e.kind, e.detail]);
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRepo(r: SqlRow): RepoRecord {
  return {
    name: String(r.name),
    upstreamUrl: String(r.upstream_url),
    revision: strOrNull(r.upstream_revision),
    scanState: strOrNull(r.revision),
    revisionAt: numOrNull(r.revision_at),
    lastPassAt: numOrNull(r.last_pass_at),
    lastPassError: strOrNull(r.last_pass_error),
  };
}

function toPackage(r: SqlRow): PackageVersion {
  return {
    id: Number(r.id),
    repo: String(r.repo),
    name: String(r.name),
    epoch: Number(r.epoch),
    version: String(r.version),
    release: String(r.release),
    arch: String(r.arch),
    pkgid: String(r.pkgid),
    checksumType: String(r.checksum_type),
    location: String(r.location),
    locationBase: strOrNull(r.location_base),
    size: Number(r.size),
    firstSeenAt: Number(r.first_seen_at),
    lastSeenAt: Number(r.last_seen_at),
    upstream: Number(r.upstream) === 1,
    goneAt: numOrNull(r.gone_at),
    supersededAt: numOrNull(r.superseded_at),
    supersededBy: strOrNull(r.superseded_by),
    blobSha256: strOrNull(r.blob_sha256),
    retained: Number(r.retained) === 1,
    referenced: Number(r.referenced) === 1,
    downloaded: Number(r.downloaded) === 1,
    skipReason: strOrNull(r.skip_reason),
    lostAt: numOrNull(r.lost_at),
    advisoryId: strOrNull(r.advisory_id),
    advisorySeverity: strOrNull(r.advisory_severity),
  };
}

function toManifestHead(r: SqlRow): Omit<ManifestRecord, 'body'> {
  return { id: Number(r.id), imageSha256: String(r.image_sha256), imageName: strOrNull(r.image_name), createdAt: Number(r.created_at) };
}
