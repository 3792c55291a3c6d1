// One contract for every BlobStore implementation (filesystem now; S3 when it lands).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { BlobStore } from '../../src/store/blobStore.ts';

export interface BlobStoreFactory {
  open(): Promise<BlobStore>;
  cleanup(): Promise<void>;
  /** Temp objects currently present (a failed put must leave none). */
  temps(): Promise<string[]>;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts).toString('latin1');
}

export function blobStoreTests(label: string, factory: BlobStoreFactory): void {
  describe(`BlobStore contract: ${label}`, () => {
    let store: BlobStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(() => factory.cleanup());

    test('put hashes while streaming; get returns the bytes and ranges', async () => {
      const data = Buffer.from('0123456789'.repeat(10_000));
      const got = await store.put(Readable.from([data.subarray(0, 7), data.subarray(7, 70_000), data.subarray(70_000)]), {
        sha256: sha256(data),
        size: data.length,
      });
      expect(got).toEqual({ sha256: sha256(data), size: data.length });
      expect(await store.has(got.sha256)).toBe(true);
      expect(await store.stat(got.sha256)).toEqual({ size: data.length });
      expect(await text(await store.get(got.sha256))).toBe(data.toString('latin1'));
      expect(await text(await store.get(got.sha256, { start: 5, end: 14 }))).toBe('5678901234');
      expect(await text(await store.get(got.sha256, { start: data.length - 1, end: data.length - 1 }))).toBe('9');
      await expect(store.get(got.sha256, { start: 0, end: data.length })).rejects.toMatchObject({ code: 'YV_STORAGE' });
      // Same bytes again: no error, same name.
      expect(await store.put(Readable.from([data]))).toEqual(got);
      await store.delete(got.sha256);
      expect(await store.has(got.sha256)).toBe(false);
      expect(await store.stat(got.sha256)).toBeNull();
      await expect(store.get(got.sha256)).rejects.toMatchObject({ code: 'YV_NOT_FOUND' });
      await store.delete(got.sha256);
    });

    test('a checksum or size mismatch stores nothing and leaves no temp', async () => {
      const data = Buffer.from('hello blob');
      const wrong = sha256(Buffer.from('other'));
      await expect(store.put(Readable.from([data]), { sha256: wrong })).rejects.toMatchObject({ code: 'YV_CHECKSUM_MISMATCH' });
      await expect(store.put(Readable.from([data]), { size: 3 })).rejects.toMatchObject({ code: 'YV_CHECKSUM_MISMATCH' });
      await expect(store.put(Readable.from([data]), { size: 300 })).rejects.toMatchObject({ code: 'YV_CHECKSUM_MISMATCH' });
      expect(await store.has(sha256(data))).toBe(false);
      expect(await store.has(wrong)).toBe(false);
      expect(await factory.temps()).toEqual([]);
    });

    test('a source that fails mid-stream stores nothing', async () => {
      async function* broken(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('partial');
        throw new Error('connection reset');
      }
      await expect(store.put(broken())).rejects.toThrow('connection reset');
      expect(await store.has(sha256(Buffer.from('partial')))).toBe(false);
      expect(await factory.temps()).toEqual([]);
    });

    test('names that are not sha256 never reach storage', async () => {
      await expect(store.has('../../etc/passwd')).rejects.toMatchObject({ code: 'YV_STORAGE' });
      await expect(store.get('A'.repeat(64))).rejects.toMatchObject({ code: 'YV_STORAGE' });
      await expect(store.put(Readable.from([Buffer.from('x')]), { sha256: 'zz' })).rejects.toMatchObject({ code: 'YV_STORAGE' });
    });
  });
}
