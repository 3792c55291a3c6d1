// Blobs in S3-compatible object storage, for several proxy replicas sharing one store. Objects are
// PREFIX/ab/cd/<sha256>. A put spools to a local temp file first (hashed and verified there), then uploads
// with x-amz-content-sha256 set to the real digest, so the server checks the bytes too; a PUT is atomic:
// an object is either absent or whole.
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { ConfigError, NotFoundError, StorageError } from '../errors.ts';
import { assertBlobName, type BlobStat, type BlobStore, type ByteRange, type PutExpectation, type PutResult } from './blobStore.ts';
import { encodeS3Path, signS3Request, type S3Credentials } from './sigv4.ts';
import { removeStaleSpools, spoolVerified } from './spool.ts';

export interface S3BlobStoreOptions extends S3Credentials {
  /** http(s)://host[:port] of the S3 API (path-style requests). */
  endpoint: string;
  bucket: string;
  /** Key prefix, default "blobs/". */
  prefix?: string;
  /** Local directory for spooling puts (DATA/blobs-tmp). */
  tmpDir: string;
  dispatcher?: Dispatcher;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export class S3BlobStore implements BlobStore {
  private readonly opts: S3BlobStoreOptions & { prefix: string };

  private constructor(opts: S3BlobStoreOptions) {
    this.opts = { ...opts, prefix: opts.prefix ?? 'blobs/' };
  }

  static async open(opts: S3BlobStoreOptions): Promise<S3BlobStore> {
    if (!/^https?:\/\/[^/]+\/?$/.test(opts.endpoint)) throw new ConfigError(`options.endpoint must be http(s)://host[:port]; got ${JSON.stringify(opts.endpoint)}`);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(opts.bucket)) throw new ConfigError(`options.bucket is not a valid bucket name: ${JSON.stringify(opts.bucket)}`);
    if (!opts.accessKeyId || !opts.secretAccessKey) throw new ConfigError('options.accessKeyId and options.secretAccessKey are required for S3');
    await mkdir(opts.tmpDir, { recursive: true });
    await removeStaleSpools(opts.tmpDir);
    return new S3BlobStore(opts);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<BlobStat | null> {
    const res = await this.send('HEAD', sha256);
    res.body.resume();
    if (res.statusCode === 404) return null;
    if (res.statusCode !== 200) throw new StorageError(`S3 HEAD of blob ${sha256} answered ${res.statusCode}`);
    return { size: Number(res.headers['content-length']) };
  }

  async put(source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expect: PutExpectation = {}): Promise<PutResult> {
    if (expect.sha256 !== undefined) assertBlobName(expect.sha256);
    const spooled = await spoolVerified(source, expect, this.opts.tmpDir);
    try {
      if (!(await this.has(spooled.sha256))) {
        const res = await this.send('PUT', spooled.sha256, { 'content-length': String(spooled.size) }, spooled.sha256, createReadStream(spooled.path));
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new StorageError(`S3 PUT of blob ${spooled.sha256} answered ${res.statusCode}: ${text.slice(0, 200)}`);
      }
      return { sha256: spooled.sha256, size: spooled.size };
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const extra: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end}` } : {};
    if (range && (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start)) {
      throw new StorageError(`range ${range.start}-${range.end} is not a byte range`);
    }
    const res = await this.send('GET', sha256, extra);
    if (res.statusCode === 404) {
      res.body.resume();
      throw new NotFoundError(`blob ${sha256} is not stored`);
    }
    const ok = range ? res.statusCode === 206 : res.statusCode === 200;
    if (!ok) {
      res.body.resume();
      throw new StorageError(`S3 GET of blob ${sha256}${range ? ` bytes ${range.start}-${range.end}` : ''} answered ${res.statusCode}`);
    }
    if (range && Number(res.headers['content-length']) !== range.end - range.start + 1) {
      res.body.destroy();
      throw new StorageError(`range ${range.start}-${range.end} is outside blob ${sha256}`);
    }
    return res.body;
  }

  async delete(sha256: string): Promise<void> {
    const res = await this.send('DELETE', sha256);
    res.body.resume();
    if (res.statusCode !== 204 && res.statusCode !== 200 && res.statusCode !== 404) throw new StorageError(`S3 DELETE of blob ${sha256} answered ${res.statusCode}`);
  }

  private async send(method: 'HEAD' | 'GET' | 'PUT' | 'DELETE', sha256: string, extra: Record<string, string> = {}, payloadSha256 = EMPTY_SHA256, body?: Readable): Promise<Dispatcher.ResponseData> {
    assertBlobName(sha256);
    const key = `${this.opts.prefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
    const url = new URL(`${this.opts.endpoint.replace(/\/$/, '')}${encodeS3Path(`/${this.opts.bucket}/${key}`)}`);
    const headers = signS3Request(method, url, payloadSha256, this.opts, extra);
    try {
      return await request(url, { method, headers, body, dispatcher: this.opts.dispatcher });
    } catch (e) {
      throw new StorageError(`S3 ${method} ${url.pathname} failed: ${(e as Error).message}`, { cause: e });
    }
  }
}
