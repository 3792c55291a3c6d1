// The catalog's history: retention events and the security advisories kept for the vault's updateinfo.
import type { EventKind, RetentionEvent } from './catalog.ts';
import type { SqlDatabase, SqlRow } from './sql.ts';

export async function listEvents(db: SqlDatabase, filter: { repo?: string; kind?: EventKind; afterId?: number; limit?: number }): Promise<RetentionEvent[]> {
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
  const rows = await db.all(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, params);
  return rows.map(toEvent);
}

/** The newest events first, read from the end of the id index (not the whole history then sliced). */
export async function latestEvents(db: SqlDatabase, limit: number, filter: { repo?: string; kinds?: readonly EventKind[] } = {}): Promise<RetentionEvent[]> {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.repo) {
    where.push('repo = ?');
    params.push(filter.repo);
  }
  if (filter.kinds) {
    if (filter.kinds.length === 0) return [];
    where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
    params.push(...filter.kinds);
  }
  params.push(limit);
  const rows = await db.all(`SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, params);
  return rows.map(toEvent);
}

function toEvent(r: SqlRow): RetentionEvent {
  return {
    id: Number(r.id),
    at: Number(r.at),
    repo: String(r.repo),
    nevra: String(r.nevra),
    pkgid: (r.pkgid as string | null) ?? null,
    kind: r.kind as EventKind,
    detail: (r.detail as string | null) ?? null,
  };
}

export async function recordAdvisory(db: SqlDatabase, repo: string, advisory: { id: string; type: string; severity: string | null }, at: number): Promise<void> {
  await db.run(
    `INSERT INTO advisories (repo, id, type, severity, body, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo, id) DO UPDATE SET type = excluded.type, severity = excluded.severity, body = excluded.body`,
    [repo, advisory.id, advisory.type, advisory.severity, JSON.stringify(advisory), at],
  );
}

export async function listAdvisories(db: SqlDatabase, repo: string, limit: number, afterId: string): Promise<unknown[]> {
  const rows = await db.all<{ body: string }>('SELECT body FROM advisories WHERE repo = ? AND id > ? ORDER BY id LIMIT ?', [repo, afterId, limit]);
  return rows.map((r) => JSON.parse(r.body) as unknown);
}

