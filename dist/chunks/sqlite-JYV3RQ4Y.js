#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  PROCESS_TOKEN,
  isLiveWriter
} from "./chunk-J5JMZXTM.js";
import {
  AsyncMutex
} from "./chunk-YMQT7WPY.js";
import {
  StorageError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/store/sqlite.ts
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
var SqliteDatabase = class _SqliteDatabase {
  dialect = "sqlite";
  db;
  mutex = new AsyncMutex();
  direct;
  constructor(db) {
    this.db = db;
    this.direct = directRunner(db);
  }
  /** Opens (creating) the database file; ':memory:' works for tests. */
  static open(path, options = {}) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    let db;
    try {
      db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 1e4)}`);
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec("PRAGMA foreign_keys = ON");
    } catch (e) {
      throw new StorageError(`cannot open SQLite catalog ${path}: ${e.message}`, { cause: e });
    }
    return new _SqliteDatabase(db);
  }
  async exec(sql) {
    const release = await this.mutex.lock();
    try {
      return await this.direct.exec(sql);
    } finally {
      release();
    }
  }
  async run(sql, params = []) {
    const release = await this.mutex.lock();
    try {
      return await this.direct.run(sql, params);
    } finally {
      release();
    }
  }
  async get(sql, params = []) {
    const release = await this.mutex.lock();
    try {
      return await this.direct.get(sql, params);
    } finally {
      release();
    }
  }
  async all(sql, params = []) {
    const release = await this.mutex.lock();
    try {
      return await this.direct.all(sql, params);
    } finally {
      release();
    }
  }
  async transaction(fn) {
    const release = await this.mutex.lock();
    try {
      this.db.exec("BEGIN IMMEDIATE");
      const tx = {
        ...this.direct,
        dialect: "sqlite",
        transaction: (inner) => inner(tx),
        tryLock: () => Promise.reject(new StorageError("tryLock inside a transaction")),
        close: () => Promise.reject(new StorageError("close inside a transaction"))
      };
      try {
        const result = await fn(tx);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    } finally {
      release();
    }
  }
  async tryLock(name) {
    const host = hostname();
    await this.exec(
      "CREATE TABLE IF NOT EXISTS yv_locks (name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, token TEXT NOT NULL, acquired_at INTEGER NOT NULL)"
    );
    const got = await this.transaction(async (tx) => {
      const row = await tx.get("SELECT host, pid, token FROM yv_locks WHERE name = ?", [name]);
      if (row && (row.host !== host || isLiveWriter(row.pid, row.token))) return false;
      await tx.run(
        `INSERT INTO yv_locks (name, host, pid, token, acquired_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, token = excluded.token, acquired_at = excluded.acquired_at`,
        [name, host, process.pid, PROCESS_TOKEN, Date.now()]
      );
      return true;
    });
    if (!got) return null;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.run("DELETE FROM yv_locks WHERE name = ? AND host = ? AND pid = ? AND token = ?", [name, host, process.pid, PROCESS_TOKEN]);
    };
  }
  async close() {
    const release = await this.mutex.lock();
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      release();
    }
  }
};
function directRunner(db) {
  const cache = /* @__PURE__ */ new Map();
  const prepare = (sql) => {
    let st = cache.get(sql);
    if (!st) {
      if (cache.size > 256) cache.clear();
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
  const wrap = (sql, f) => {
    try {
      return f();
    } catch (e) {
      throw new StorageError(`SQLite: ${e.message} (in: ${sql.slice(0, 120)})`, { cause: e });
    }
  };
  return {
    exec: async (sql) => wrap(sql, () => db.exec(sql)),
    run: async (sql, params = []) => wrap(sql, () => ({ changes: Number(prepare(sql).run(...params).changes) })),
    get: async (sql, params = []) => wrap(sql, () => prepare(sql).get(...params)),
    all: async (sql, params = []) => wrap(sql, () => prepare(sql).all(...params))
  };
}
export {
  SqliteDatabase
};
