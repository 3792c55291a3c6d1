// Opening the stores from configuration: the embedded defaults live under DATA (catalog.sqlite, blobs/);
// a PostgreSQL URL moves the catalog out for several replicas.
import { join } from 'node:path';
import type { BlobStore } from './blobStore.ts';
import type { Catalog } from './catalog.ts';
import { FsBlobStore } from './fsBlobStore.ts';
import { openSqlDatabase } from './sql.ts';
import { SqlCatalog } from './sqlCatalog.ts';

export interface StoreOptions {
  /** The data directory (--data). */
  dataDir: string;
  /** `postgres://…` for PostgreSQL; default: DATA/catalog.sqlite. */
  catalogUrl?: string;
}

export interface Stores {
  catalog: Catalog;
  blobs: BlobStore;
  close(): Promise<void>;
}

export async function openStores(options: StoreOptions): Promise<Stores> {
  const blobs = await FsBlobStore.open(join(options.dataDir, 'blobs'));
  const db = await openSqlDatabase(options.catalogUrl ?? join(options.dataDir, 'catalog.sqlite'));
  const catalog = await SqlCatalog.open(db);
  return { catalog, blobs, close: () => catalog.close() };
}

export type { BlobStore } from './blobStore.ts';
export type { Catalog } from './catalog.ts';
