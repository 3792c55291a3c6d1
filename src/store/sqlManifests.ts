// Image manifests in the catalog: registration (idempotent by image sha256), reads, and which manifests a
// build breaks when it is lost.
import type { ManifestBuild, ManifestRecord, ManifestSummary, PackageVersion, Page } from './catalog.ts';
import { toManifestHead, toNevra, toPackage } from './catalogRows.ts';
import type { SqlDatabase } from './sql.ts';

export async function registerManifest(
  db: SqlDatabase,
  input: { imageSha256: string; imageName: string | null; body: unknown; builds: readonly ManifestBuild[] },
  at: number,
): Promise<{ id: number; created: boolean }> {
  return db.transaction(async (tx) => {
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

export async function getManifest(db: SqlDatabase, id: number): Promise<ManifestRecord | null> {
  const row = await db.get('SELECT * FROM manifests WHERE id = ?', [id]);
  if (!row) return null;
  return { ...toManifestHead(row), body: JSON.parse(String(row.body)) as unknown };
}

export async function listManifests(db: SqlDatabase, page: Page = {}): Promise<Omit<ManifestRecord, 'body'>[]> {
  const rows = await db.all('SELECT id, image_sha256, image_name, created_at FROM manifests ORDER BY id LIMIT ? OFFSET ?', [
    page.limit ?? 1000,
    page.offset ?? 0,
  ]);
  return rows.map(toManifestHead);
}

function toManifestBuild(r: Record<string, unknown>): ManifestBuild {
  return { ...toNevra(r), pkgid: String(r.pkgid), repo: (r.repo as string | null) ?? null };
}

export async function manifestBuilds(db: SqlDatabase, id: number): Promise<ManifestBuild[]> {
  const rows = await db.all('SELECT * FROM manifest_builds WHERE manifest_id = ? ORDER BY idx', [id]);
  return rows.map(toManifestBuild);
}

export async function manifestsReferencing(db: SqlDatabase, pkgid: string): Promise<number[]> {
  const rows = await db.all<{ manifest_id: number }>('SELECT DISTINCT manifest_id FROM manifest_builds WHERE pkgid = ? ORDER BY manifest_id', [pkgid]);
  return rows.map((r) => Number(r.manifest_id));
}


/**
 * The version rows that are a manifest's build: the same pkgid, or — in a repository whose metadata
 * checksums are not sha256 (sha1, sha512), where the pkgid a manifest records (the .rpm's sha256) cannot
 * match — the same NEVRA in the build's repo (in any repo when it names none). Retention takes builds the
 * same way (SqlCatalog.refreshReasons). Each way is its own indexed lookup (packages_pkgid, packages_name),
 * joined by UNION: an OR in one join condition would have the planner scan every package for every build.
 */
function buildMatches(builds: string): string {
  const sameNevra = `p.name = mb.name AND p.arch = mb.arch AND p.epoch = mb.epoch AND p.version = mb.version AND p.release = mb.release AND p.checksum_type <> 'sha256'`;
  return `SELECT mb.manifest_id, mb.idx, p.id AS package_id FROM ${builds} mb JOIN packages p ON p.pkgid = mb.pkgid
          UNION SELECT mb.manifest_id, mb.idx, p.id FROM ${builds} mb JOIN packages p ON p.repo = mb.repo AND ${sameNevra}
          UNION SELECT mb.manifest_id, mb.idx, p.id FROM ${builds} mb JOIN repos r ON mb.repo IS NULL JOIN packages p ON p.repo = r.name AND ${sameNevra}`;
}

/** A manifest's builds in order, each with its version rows in every repo (see buildMatches), oldest first. */
export async function manifestBuildVersions(db: SqlDatabase, manifestId: number): Promise<{ build: ManifestBuild; versions: PackageVersion[] }[]> {
  const builds = await db.all('SELECT * FROM manifest_builds WHERE manifest_id = ? ORDER BY idx', [manifestId]);
  const rows = await db.all(
    `WITH one AS (SELECT * FROM manifest_builds WHERE manifest_id = ?), hits AS (${buildMatches('one')})
     SELECT hits.idx AS build_idx, p.* FROM hits JOIN packages p ON p.id = hits.package_id ORDER BY hits.idx, p.id`,
    [manifestId],
  );
  const byIdx = new Map<number, PackageVersion[]>();
  for (const r of rows) {
    const idx = Number(r.build_idx);
    let list = byIdx.get(idx);
    if (!list) byIdx.set(idx, (list = []));
    list.push(toPackage(r));
  }
  return builds.map((r) => ({ build: toManifestBuild(r), versions: byIdx.get(Number(r.idx)) ?? [] }));
}

/**
 * Manifests newest first with their builds' states, in one statement: each build is matched to every
 * repo's version rows (buildMatches) and takes the first state that fits (upstream, retained, lost,
 * other), the same order GET /api/v1/manifests/ID reports.
 */
export async function manifestSummaries(db: SqlDatabase, page: Page = {}): Promise<ManifestSummary[]> {
  const rows = await db.all(
    `WITH m AS (SELECT id, image_sha256, image_name, created_at FROM manifests ORDER BY id DESC LIMIT ? OFFSET ?),
     mbm AS (SELECT mb.* FROM manifest_builds mb JOIN m ON m.id = mb.manifest_id),
     hits AS (${buildMatches('mbm')}),
     b AS (
       SELECT mb.manifest_id, mb.idx,
              MAX(p.upstream) AS up, MAX(p.retained) AS ret,
              MAX(CASE WHEN p.lost_at IS NULL THEN 0 ELSE 1 END) AS lost,
              MAX(CASE WHEN p.blob_sha256 IS NULL THEN 0 ELSE 1 END) AS held
       FROM mbm mb
       LEFT JOIN hits h ON h.manifest_id = mb.manifest_id AND h.idx = mb.idx
       LEFT JOIN packages p ON p.id = h.package_id
       GROUP BY mb.manifest_id, mb.idx
     )
     SELECT m.id, m.image_sha256, m.image_name, m.created_at,
            COUNT(b.idx) AS builds,
            SUM(CASE WHEN b.up = 1 THEN 1 ELSE 0 END) AS upstream,
            SUM(CASE WHEN b.up = 1 THEN 0 WHEN b.ret = 1 THEN 1 ELSE 0 END) AS retained,
            SUM(CASE WHEN b.up = 1 OR b.ret = 1 THEN 0 WHEN b.lost = 1 THEN 1 ELSE 0 END) AS lost,
            SUM(CASE WHEN b.held = 1 THEN 1 ELSE 0 END) AS held
     FROM m LEFT JOIN b ON b.manifest_id = m.id
     GROUP BY m.id, m.image_sha256, m.image_name, m.created_at
     ORDER BY m.id DESC`,
    [page.limit ?? 1000, page.offset ?? 0],
  );
  return rows.map((r) => {
    const n = (v: unknown): number => Number(v ?? 0);
    const counts = { builds: n(r.builds), upstream: n(r.upstream), retained: n(r.retained), lost: n(r.lost), held: n(r.held) };
    return { ...toManifestHead(r), ...counts, other: counts.builds - counts.upstream - counts.retained - counts.lost };
  });
}
