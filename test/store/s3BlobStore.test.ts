// The S3 blob store against s3rver (an S3-compatible server from npm, on 127.0.0.1), with real SigV4.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { publishVault } from '../../proxy/vault/publish.ts';
import { createVaultRouter } from '../../proxy/vault/router.ts';
import { defaultRepodataWriter } from '../../src/cli/repodataWriter.ts';
import { openStores } from '../../src/store/index.ts';
import { buildRpms } from '../retention/rpmRepo.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BlobStore } from '../../src/store/blobStore.ts';
import { S3BlobStore } from '../../src/store/s3BlobStore.ts';
import { signS3Request } from '../../src/store/sigv4.ts';
import { blobStoreTests } from './blobStoreContract.ts';

let server: S3rver;
let endpoint = '';
let dir = '';
let n = 0;
let tmp = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yv-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 'server'), configureBuckets: [{ name: 'yumvault' }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };

blobStoreTests('S3 (s3rver)', {
  open: async () => {
    tmp = join(dir, `tmp-${++n}`);
    return S3BlobStore.open({ ...creds, endpoint, bucket: 'yumvault', prefix: `run${n}/`, tmpDir: tmp });
  },
  cleanup: async () => {},
  temps: async () => readdirSync(tmp),
});

test('SigV4 signing matches the published AWS example (GET Object with Range)', () => {
  // s3rver does not check v4 signatures, so the signer is checked against the S3 documentation's example:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html ("Example: GET Object").
  const headers = signS3Request(
    'GET',
    new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
    { Range: 'bytes=0-9' },
    new Date('2013-05-24T00:00:00Z'),
  );
  expect(headers.authorization).toBe(
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
});

test('S3: options are checked; a stored blob is found again by a second store', async () => {
  const a = await S3BlobStore.open({ ...creds, endpoint, bucket: 'yumvault', tmpDir: join(dir, 'tmp-a') });
  const b = await S3BlobStore.open({ ...creds, endpoint, bucket: 'yumvault', tmpDir: join(dir, 'tmp-b') });
  const { sha256 } = await a.put([Buffer.from('shared by replicas')]);
  expect(await b.stat(sha256)).toEqual({ size: 18 });
  expect((b as BlobStore).localPath).toBeUndefined();
  await expect(S3BlobStore.open({ ...creds, endpoint: 'ftp://x', bucket: 'yumvault', tmpDir: dir })).rejects.toThrow(/endpoint/);
  await expect(S3BlobStore.open({ ...creds, endpoint, bucket: 'Bad_Bucket', tmpDir: dir })).rejects.toThrow(/bucket/);
});

test('openStores with s3:// blobs: the vault publishes from S3 and serves packages with ranges', async () => {
  const data = join(dir, 'data');
  const stores = await openStores({ dataDir: data, blobsUrl: `s3://yumvault/vault-test?endpoint=${endpoint}`, env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } });
  const [rpm] = await buildRpms(join(dir, 'build'), [{ name: 'tiny', version: '1', release: '1' }]);
  const bytes = readFileSync(rpm!.path);
  try {
    const { catalog, blobs } = stores;
    await blobs.put([bytes], { sha256: rpm!.sha256 });
    await catalog.upsertRepo('base', 'http://127.0.0.1:9/');
    const [row] = await catalog.recordListed('base', 's1', [{ name: 'tiny', epoch: 0, version: '1', release: '1', arch: 'noarch', pkgid: rpm!.sha256, checksumType: 'sha256', location: 'Packages/t/tiny-1-1.noarch.rpm', size: bytes.length }], 1);
    await catalog.markHeld(row!.id, rpm!.sha256, true, 2);
    await publishVault({ catalog, blobs, dataDir: data, writeRepodata: await defaultRepodataWriter() }, 'base');
    expect(readFileSync(join(data, 'vault', 'base', 'repodata', 'repomd.xml'), 'utf8')).toContain('primary');
    expect(readFileSync(join(data, 'vault-cache', rpm!.sha256)).equals(bytes)).toBe(true);

    const app = express();
    app.use(createVaultRouter({ catalog, blobs, dataDir: data }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vault/base/Packages/t/tiny-1-1.noarch.rpm`;
      const whole = await fetch(url);
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
      const tail = await fetch(url, { headers: { range: 'bytes=100-' } });
      expect(tail.status).toBe(206);
      expect(tail.headers.get('content-range')).toBe(`bytes 100-${bytes.length - 1}/${bytes.length}`);
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(100))).toBe(true);
      expect((await fetch(url, { headers: { range: `bytes=${bytes.length}-` } })).status).toBe(416);
    } finally {
      await new Promise((r) => server.close(r));
    }
  } finally {
    await stores.close();
  }
});
