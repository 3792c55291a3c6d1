// /vault/NAME/<package> from a remote blob store (no local path): the blob's stream is released as soon as
// the client goes away, so a hung-up download does not hold an S3 connection until its body timeout.
import { once } from 'node:events';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { afterEach, expect, test } from 'vitest';
import { createVaultRouter } from '../../proxy/vault/router.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { Catalog, PackageVersion } from '../../src/store/catalog.ts';

const BLOB = 'ab'.repeat(32);
const SIZE = 64 * 1024 * 1024;
let server: Server | undefined;
afterEach(() => server?.close());

test('a client hanging up mid-download destroys the remote blob stream', async () => {
  let stream: Readable | undefined;
  const blobs = {
    stat: async () => ({ size: SIZE }),
    // An endless slow source: only a destroy ends it.
    get: async () => (stream = new Readable({ read() { setTimeout(() => this.push(Buffer.alloc(64 * 1024)), 5); } })),
  } as unknown as BlobStore;
  const pkg = { location: 'Packages/a.rpm', blobSha256: BLOB, upstream: true, retained: false } as PackageVersion;
  const catalog = { findByLocation: async () => pkg } as unknown as Catalog;
  const app = express();
  app.use(createVaultRouter({ catalog, blobs, dataDir: '/nonexistent' }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const req = request({ host: '127.0.0.1', port, path: '/vault/base/Packages/a.rpm' });
  req.end();
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-length']).toBe(String(SIZE));
  await once(res, 'data');
  req.destroy();
  const closed = once(stream!, 'close').then(() => 'destroyed');
  const timeout = new Promise((r) => setTimeout(() => r('still open'), 2000));
  expect(await Promise.race([closed, timeout])).toBe('destroyed');
});
