// Row shapes and small SQL helpers shared by the SQL catalog's modules: one place maps columns to the
// Catalog's types (both dialects return the same rows: BIGINTs arrive as numbers, see postgres.ts).
import type { ManifestRecord, PackageVersion, RepoRecord, RetainReason, RetentionEvent } from './catalog.ts';
import type { SqlDatabase, SqlRow } from './sql.ts';
import type { Nevra } from '../rpm/types.ts';

/** SQL for "the policy keeps this row". */
export function keepCondition(policy: readonly RetainReason[]): string | null {
  if (policy.includes('all')) return '1 = 1';
  const parts: string[] = [];
  if (policy.includes('referenced')) parts.push('referenced = 1');
  if (policy.includes('downloaded')) parts.push('downloaded = 1');
  return parts.length ? parts.join(' OR ') : null;
}

export function reasonsOf(pv: PackageVersion): RetainReason[] {
  const r: RetainReason[] = [];
  if (pv.referenced) r.push('referenced');
  if (pv.downloaded) r.push('downloaded');
  return r;
}

export async function insertEvents(db: Pick<SqlDatabase, 'run'>, events: readonly Omit<RetentionEvent, 'id'>[]): Promise<void> {
  for (const chunk of chunks(events, 200)) {
    await db.run(
      `INSERT INTO events (at, repo, nevra, pkgid, kind, detail) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((e) => [e.at, e.repo, e.nevra, e.pkgid, e.kind, e.detail]),
    );
  }
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function insertEvent(db: Pick<SqlDatabase, 'run'>, e: Omit<RetentionEvent, 'id'>): Promise<void> {
  await db.run('INSERT INTO events (at, repo, nevra, pkgid, kind, detail) VALUES (?, ?, ?, ?, ?, ?)', [e.at, e.repo, e.nevra, e.pkgid, e.kind, e.detail]);
}

export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toRepo(r: SqlRow): RepoRecord {
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

/** The name, epoch, version, release and arch columns every package-like table has. */
export function toNevra(r: SqlRow): Nevra {
  return { name: String(r.name), epoch: Number(r.epoch), version: String(r.version), release: String(r.release), arch: String(r.arch) };
}

export function toPackage(r: SqlRow): PackageVersion {
  return {
    id: Number(r.id),
    repo: String(r.repo),
    ...toNevra(r),
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

export function toManifestHead(r: SqlRow): Omit<ManifestRecord, 'body'> {
  return { id: Number(r.id), imageSha256: String(r.image_sha256), imageName: strOrNull(r.image_name), createdAt: Number(r.created_at) };
}
