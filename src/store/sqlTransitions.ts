// The catalog's state transitions of one package version (superseded, advisory, held, skipped, lost):
// each updates the row and records its retention event in the same transaction, so the history never
// disagrees with the state.
import { NotFoundError } from '../errors.ts';
import { formatNevra } from '../rpm/nevra.ts';
import { chunks, insertEvent, insertEvents, reasonsOf, toPackage } from './catalogRows.ts';
import type { SqlDatabase } from './sql.ts';

export async function markSupersededMany(db: SqlDatabase, items: readonly { id: number; by: string }[], at: number): Promise<void> {
  if (items.length === 0) return;
  await db.transaction(async (tx) => {
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

export async function setAdvisory(db: SqlDatabase, id: number, advisoryId: string, severity: string | null, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await tx.get('SELECT * FROM packages WHERE id = ?', [id]);
    if (!row) throw new NotFoundError(`package version ${id} is not in the catalog`);
    const pv = toPackage(row);
    if (pv.advisoryId === advisoryId) return;
    await tx.run('UPDATE packages SET advisory_id = ?, advisory_severity = ? WHERE id = ?', [advisoryId, severity, id]);
    await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'advisory', detail: severity ? `${advisoryId} (${severity})` : advisoryId });
  });
}

export async function markHeld(db: SqlDatabase, id: number, blobSha256: string, retained: boolean, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await tx.get('SELECT * FROM packages WHERE id = ?', [id]);
    if (!row) throw new NotFoundError(`package version ${id} is not in the catalog`);
    const pv = toPackage(row);
    await tx.run('UPDATE packages SET blob_sha256 = ?, retained = ?, lost_at = NULL WHERE id = ?', [blobSha256, retained ? 1 : 0, id]);
    if (retained && !pv.retained) {
      await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'retained', detail: reasonsOf(pv).join(',') || null });
    }
  });
}

export async function markSkipped(db: SqlDatabase, id: number, reason: string, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await tx.get('SELECT * FROM packages WHERE id = ? AND skip_reason IS NULL', [id]);
    if (!row) return;
    const pv = toPackage(row);
    await tx.run('UPDATE packages SET skip_reason = ?, retained = 0 WHERE id = ?', [reason, id]);
    await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'skipped', detail: reason });
  });
}

export async function markLost(db: SqlDatabase, id: number, detail: string, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await tx.get('SELECT * FROM packages WHERE id = ? AND lost_at IS NULL', [id]);
    if (!row) return;
    const pv = toPackage(row);
    await tx.run('UPDATE packages SET lost_at = ? WHERE id = ?', [at, id]);
    await insertEvent(tx, { at, repo: pv.repo, nevra: formatNevra(pv), pkgid: pv.pkgid, kind: 'lost', detail });
  });
}
