// The small SQL surface the catalog needs, so one catalog runs on SQLite (embedded default) and
// PostgreSQL (scale-out). Statements use `?` placeholders; the PostgreSQL driver rewrites them to $n.
// Keep to the SQL both understand: INTEGER/BIGINT/TEXT, ON CONFLICT upserts, RETURNING.

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, unknown>;

export interface RunResult {
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  changes: number;
}

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  get<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Statements must
   * go through `tx`; other callers wait meanwhile (SQLite) or use other connections (PostgreSQL).
   * A nested call joins the outer transaction.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /**
   * A named lock held across processes (and replicas): null when someone else holds it. PostgreSQL: a
   * session advisory lock (released when the holder dies). SQLite: a lock row naming the holder's pid,
   * taken over when that pid no longer runs (a SIGKILLed monitor does not block the next one).
   */
  tryLock(name: string): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2…`, leaving quoted strings and identifiers alone. */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** One awaiter at a time (SQLite's single connection serialises transactions with this). */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

/**
 * Opens a catalog database from a location: `postgres://…`/`postgresql://…` → PostgreSQL (pg loaded only
 * then), anything else → a SQLite file path.
 */
export async function openSqlDatabase(location: string): Promise<SqlDatabase> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { PostgresDatabase } = await import('./postgres.ts');
    return PostgresDatabase.connect(location);
  }
  const { SqliteDatabase } = await import('./sqlite.ts');
  return SqliteDatabase.open(location);
}
