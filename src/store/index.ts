// Opening the stores from configuration: the embedded defaults live under DATA (catalog.sqlite, blobs/);
// a PostgreSQL URL moves the catalog out for several replicas.
import { join } from 'node:path';
import type { BlobStore } from './blobStore.ts';
import type { Catalog } from './catalog.ts';
import { ConfigError } from '../errors.ts';
import { FsBlobStore } from './fsBlobStore.ts';
import { S3BlobStore } from './s3BlobStore.ts';
import { openSqlDatabase } from './sql.ts';
import { SqlCatalog } from './sqlCatalog.ts';

export interface StoreOptions {
  /** The data directory (--data). */
  dataDir: string;
  /** `postgres://…` for PostgreSQL; default: DATA/catalog.sqlite. */
  catalogUrl?: string;
  /**
   * `s3://BUCKET/PREFIX/?endpoint=http(s)://HOST:PORT&region=R` for S3-compatible storage (credentials from
   * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); default: DATA/blobs on the file system.
   */
  blobsUrl?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Stores {
  catalog: Catalog;
  blobs: BlobStore;
  close(): Promise<void>;
}

export async function openStores(options: StoreOptions): Promise<Stores> {
  const blobs = options.blobsUrl ? await openS3(options.blobsUrl, options.dataDir, options.env ?? process.env) : await FsBlobStore.open(join(options.dataDir, 'blobs'));
  const db = await openSqlDatabase(options.catalogUrl ?? join(options.dataDir, 'catalog.sqlite'));
  const catalog = await SqlCatalog.open(db);
  return { catalog, blobs, close: () => catalog.close() };
}

async function openS3(location: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<BlobStore> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new ConfigError(`blobs must be s3://BUCKET/PREFIX/?endpoint=URL; got ${JSON.stringify(location)}`);
  }
  if (url.protocol !== 's3:') throw new ConfigError(`blobs must be s3://BUCKET/PREFIX/?endpoint=URL; got ${JSON.stringify(location)}`);
  const endpoint = url.searchParams.get('endpoint');
  if (!endpoint) throw new ConfigError('blobs: s3:// needs ?endpoint=http(s)://HOST:PORT');
  const prefix = url.pathname.replace(/^\/+/, '');
  return S3BlobStore.open({
    endpoint,
    bucket: url.hostname,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix || 'blobs/' : `${prefix}/`,
    region: url.searchParams.get('region') ?? env.AWS_REGION ?? 'us-east-1',
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    tmpDir: join(dataDir, 'blobs-tmp'),
  });
}

export type { BlobStore } from './blobStore.ts';
export type { Catalog } from './catalog.ts';
