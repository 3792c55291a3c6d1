// SqlDatabase on PostgreSQL (`pg`), for several proxy replicas sharing one catalog.
import pg from 'pg';
import { StorageError } from '../errors.ts';
import { toPgPlaceholders, type RunResult, type SqlDatabase, type SqlRow, type SqlValue } from './sql.ts';

// BIGINT (int8, oid 20) arrives as a string by default; our BIGINTs are byte sizes and millisecond times,
// far below 2^53, so numbers are exact and keep both dialects' rows alike.
const INT8_OID = 20;
const typeParser = (oid: number, format?: string): ((value: string) => unknown) =>
  oid === INT8_OID ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown);

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  static async connect(connectionString: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types: { getTypeParser: typeParser } });
    // An idle client that errors (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => {});
      throw new StorageError(`cannot connect to PostgreSQL catalog: ${(e as Error).message}`, { cause: e });
    }
    return new PostgresDatabase(pool);
  }

  exec(sql: string): Promise<void> {
    return execOn(this.pool, sql);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return runOn(this.pool, sql, params);
  }
  get<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return allOn<T>(this.pool, sql, params).then((rows) => rows[0]);
  }
  all<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return allOn<T>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlDatabase = {
      dialect: 'postgres',
      exec: (sql) => execOn(client, sql),
      run: (sql, params) => runOn(client, sql, params),
      get: <R>(sql: string, params?: readonly SqlValue[]) => allOn<R>(client, sql, params).then((rows) => rows[0]),
      all: <R>(sql: string, params?: readonly SqlValue[]) => allOn<R>(client, sql, params),
      transaction: (inner) => inner(tx),
      tryLock: () => Promise.reject(new StorageError('tryLock inside a transaction')),
      close: () => Promise.reject(new StorageError('close inside a transaction')),
    };
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async tryLock(name: string): Promise<(() => Promise<void>) | null> {
    // A session-level advisory lock lives as long as its connection: a replica that dies releases it.
    const client = await this.pool.connect();
    try {
      const res = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [name]);
      if (res.rows[0]?.ok !== true) {
        client.release();
        return null;
      }
    } catch (e) {
      client.release(true);
      throw new StorageError(`PostgreSQL advisory lock failed: ${(e as Error).message}`, { cause: e });
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
        client.release();
      } catch {
        client.release(true);
      }
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function wrapError(e: unknown, sql: string): StorageError {
  return new StorageError(`PostgreSQL: ${(e as Error).message} (in: ${sql.slice(0, 120)})`, { cause: e });
}

async function execOn(q: Queryable, sql: string): Promise<void> {
  try {
    await q.query(sql);
  } catch (e) {
    throw wrapError(e, sql);
  }
}

async function runOn(q: Queryable, sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
  try {
    const res = await q.query(toPgPlaceholders(sql), toPgValues(params));
    return { changes: res.rowCount ?? 0 };
  } catch (e) {
    throw wrapError(e, sql);
  }
}

async function allOn<T>(q: Queryable, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  try {
    const res = await q.query(toPgPlaceholders(sql), toPgValues(params));
    return res.rows as T[];
  } catch (e) {
    throw wrapError(e, sql);
  }
}

function toPgValues(params: readonly SqlValue[]): unknown[] {
  return params.map((v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v) : v));
}
