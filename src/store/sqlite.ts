// SqlDatabase on node:sqlite (no native addon): WAL so readers never block the writer, a busy timeout so
// `serve` and `monitor --once` can share one file, BEGIN IMMEDIATE so two writers never deadlock.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StorageError } from '../errors.ts';
import { isLiveWriter, PROCESS_TOKEN } from './pid.ts';
import { AsyncMutex, type RunResult, type SqlDatabase, type SqlRow, type SqlValue } from './sql.ts';

type Runner = Pick<SqlDatabase, 'exec' | 'run' | 'get' | 'all'>;

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly mutex = new AsyncMutex();
  private readonly direct: Runner;

  private constructor(db: DatabaseSync) {
    this.db = db;
    this.direct = directRunner(db);
  }

  /** Opens (creating) the database file; ':memory:' works for tests. */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 10_000)}`);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA foreign_keys = ON');
    } catch (e) {
      throw new StorageError(`cannot open SQLite catalog ${path}: ${(e as Error).message}`, { cause: e });
    }
    return new SqliteDatabase(db);
  }

  async exec(sql: string): Promise<void> {
    const release = await this.mutex.lock();
    try {
      return await this.direct.exec(sql);
    } finally {
      release();
    }
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const release = await this.mutex.lock();
    try {
      return await this.direct.run(sql, params);
    } finally {
      release();
    }
  }

  async get<T = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const release = await this.mutex.lock();
    try {
      return await this.direct.get<T>(sql, params);
    } finally {
      release();
    }
  }

  async all<T = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const release = await this.mutex.lock();
    try {
      return await this.direct.all<T>(sql, params);
    } finally {
      release();
    }
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const release = await this.mutex.lock();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const tx: SqlDatabase = {
        ...this.direct,
        dialect: 'sqlite',
        transaction: (inner) => inner(tx),
        tryLock: () => Promise.reject(new StorageError('tryLock inside a transaction')),
        close: () => Promise.reject(new StorageError('close inside a transaction')),
      };
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }

  async tryLock(name: string): Promise<(() => Promise<void>) | null> {
    const host = hostname();
    await this.exec(
      'CREATE TABLE IF NOT EXISTS yv_locks (name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, token TEXT NOT NULL, acquired_at INTEGER NOT NULL)',
    );
    const got = await this.transaction(async (tx) => {
      const row = await tx.get<{ host: string; pid: number; token: string }>('SELECT host, pid, token FROM yv_locks WHERE name = ?', [name]);
      // A holder on this host that no longer runs was killed: its lock is void. Another host's lock stands.
      if (row && (row.host !== host || isLiveWriter(row.pid, row.token))) return false;
      await tx.run(
        `INSERT INTO yv_locks (name, host, pid, token, acquired_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, token = excluded.token, acquired_at = excluded.acquired_at`,
        [name, host, process.pid, PROCESS_TOKEN, Date.now()],
      );
      return true;
    });
    if (!got) return null;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.run('DELETE FROM yv_locks WHERE name = ? AND host = ? AND pid = ? AND token = ?', [name, host, process.pid, PROCESS_TOKEN]);
    };
  }

  async close(): Promise<void> {
    const release = await this.mutex.lock();
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      release();
    }
  }
}

function directRunner(db: DatabaseSync): Runner {
  // Prepared statements are reused: the monitor runs the same few statements tens of thousands of times.
  const cache = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let st = cache.get(sql);
    if (!st) {
      if (cache.size > 256) cache.clear();
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
  const wrap = <T>(sql: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new StorageError(`SQLite: ${(e as Error).message} (in: ${sql.slice(0, 120)})`, { cause: e });
    }
  };
  return {
    exec: async (sql) => wrap(sql, () => db.exec(sql)),
    run: async (sql, params = []) =>
      wrap(sql, () => ({ changes: Number(prepare(sql).run(...(params as SQLInputValue[])).changes) })),
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      wrap(sql, () => prepare(sql).get(...(params as SQLInputValue[])) as T | undefined),
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      wrap(sql, () => prepare(sql).all(...(params as SQLInputValue[])) as T[]),
  };
}
