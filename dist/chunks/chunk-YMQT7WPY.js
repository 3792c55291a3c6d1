#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/store/sql.ts
function toPgPlaceholders(sql) {
  let out = "";
  let n = 0;
  let quote = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
var AsyncMutex = class {
  tail = Promise.resolve();
  async lock() {
    let release;
    const next = new Promise((resolve) => release = resolve);
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
};
async function openSqlDatabase(location) {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { PostgresDatabase } = await import("./postgres-4YNOENT7.js");
    return PostgresDatabase.connect(location);
  }
  const { SqliteDatabase } = await import("./sqlite-JYV3RQ4Y.js");
  return SqliteDatabase.open(location);
}

export {
  toPgPlaceholders,
  AsyncMutex,
  openSqlDatabase
};
