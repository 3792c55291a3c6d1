import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { PostgresDatabase } from '../../src/store/postgres.ts';
import { SqlCatalog } from '../../src/store/sqlCatalog.ts';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { catalogTests } from './catalogContract.ts';
import { pgUnavailableReason, startPgCluster, type PgCluster } from './pgCluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let sqlitePath = join(dir, 'catalog-0.sqlite');
catalogTests('SQLite', {
  open: async () => SqlCatalog.open(SqliteDatabase.open(sqlitePath)),
  reset: async () => {
    sqlitePath = join(dir, `catalog-${++n}.sqlite`);
  },
});

const pgReason = pgUnavailableReason();
if (pgReason) {
  console.warn(`SKIPPING PostgreSQL catalog tests: ${pgReason}`);
  describe('Catalog contract: PostgreSQL', () => test.skip(`skipped: ${pgReason}`, () => {}));
} else {
  let cluster: PgCluster | null = null;
  beforeAll(() => {
    cluster = startPgCluster();
  });
  afterAll(() => cluster?.stop());
  catalogTests('PostgreSQL', {
    open: async () => SqlCatalog.open(await PostgresDatabase.connect(cluster!.url)),
    reset: async () => {
      const db = await PostgresDatabase.connect(cluster!.url);
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await db.close();
    },
  });
}
