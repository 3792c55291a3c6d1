// Image manifests in the catalog: registration (idempotent by image sha256), reads, and which manifests a
// build breaks when it is lost.
import type { ManifestBuild, ManifestRecord, ManifestSummary, Page } from './catalog.ts';
import { toManifestHead, toNevra } from './catalogRows.ts';
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

export async function manifestBuilds(db: SqlDatabase, id: number): Promise<ManifestBuild[]> {
  const rows = await db.all('SELECT * FROM manifest_builds WHERE manifest_id = ? ORDER BY idx', [id]);
  return rows.map((r) => ({
    ...toNevra(r),
    pkgid: String(r.pkgid),
    repo: (r.repo as string | null) ?? null,
  }));
}

export async function manifestsReferencing(db: SqlDatabase, pkgid: string): Promise<number[]> {
  const rows = await db.all<{ manifest_id: number }>('SELECT DISTINCT manifest_id FROM manifest_builds WHERE pkgid = ? ORDER BY manifest_id', [pkgid]);
  return rows.map((r) => Number(r.manifest_id));
}


/**
 * Manifests newest first with their builds' states, in one statement: each build is matched by pkgid to
 * every repo's version rows and takes the first state that fits (upstream, retained, lost, other), the
 * same order GET /api/v1/manifests/ID reports.
 */
export async function manifestSummaries(db: SqlDatabase, page: Page = {}): Promise<ManifestSummary[]> {
  const rows = await db.all(
    `WITH m AS (SELECT id, image_sha256, image_name, created_at FROM manifests ORDER BY id DESC LIMIT ? OFFSET ?),
     b AS (
       SELECT mb.manifest_id, mb.idx,
              MAX(p.upstream) AS up, MAX(p.retained) AS ret,
              MAX(CASE WHEN p.lost_at IS NULL THEN 0 ELSE 1 END) AS lost,
              MAX(CASE WHEN p.blob_sha256 IS NULL THEN 0 ELSE 1 END) AS held
       FROM manifest_builds mb JOIN m ON m.id = mb.manifest_id
       LEFT JOIN packages p ON p.pkgid = mb.pkgid
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
