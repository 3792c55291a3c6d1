// Content-addressed storage for package files and immutable metadata: a blob is named by the sha256 of its
// bytes, so a name can never point at other bytes, and two copies of one package are one blob.
import type { Readable } from 'node:stream';
import { StorageError } from '../errors.ts';

/** A lowercase hex sha256: the only blob name there is. */
export type Sha256Hex = string;

/** Inclusive byte range, as HTTP's `bytes=start-end` (end < size). */
export interface ByteRange {
  start: number;
  end: number;
}

/** What the bytes must be; a put that does not match throws ChecksumMismatchError and stores nothing. */
export interface PutExpectation {
  sha256?: Sha256Hex;
  size?: number;
}

export interface PutResult {
  sha256: Sha256Hex;
  size: number;
}

export interface BlobStat {
  size: number;
}

/**
 * A blob store. Implementations: FsBlobStore (DATA/blobs); an S3 store is the scale-out plan.
 * Every implementation passes test/store/blobStoreContract.ts.
 */
export interface BlobStore {
  has(sha256: Sha256Hex): Promise<boolean>;
  /** Size of a stored blob, or null when absent. */
  stat(sha256: Sha256Hex): Promise<BlobStat | null>;
  /**
   * Streams `source` to a temp object while hashing; checks `expect` BEFORE the blob becomes visible
   * (ChecksumMismatchError, temp removed); then makes it durable (fsync) and visible (rename).
   * Storing bytes that are already there is a no-op that still verifies.
   * An error in `source` aborts the put: nothing becomes visible.
   */
  put(source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expect?: PutExpectation): Promise<PutResult>;
  /** The bytes (or one inclusive range of them). NotFoundError when absent; RangeError-like StorageError when out of bounds. */
  get(sha256: Sha256Hex, range?: ByteRange): Promise<Readable>;
  /** A path on the local file system, for sendfile-style serving; undefined for remote stores. */
  localPath?(sha256: Sha256Hex): string | undefined;
  /** Removes a blob; absent is fine. */
  delete(sha256: Sha256Hex): Promise<void>;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

export function isSha256Hex(s: unknown): s is Sha256Hex {
  return typeof s === 'string' && SHA256_RE.test(s);
}

/** Every store checks a name before use: it becomes a file path or an object key, so only 64 hex digits pass. */
export function assertBlobName(sha256: string): void {
  if (!isSha256Hex(sha256)) throw new StorageError(`not a sha256 blob name: ${JSON.stringify(sha256).slice(0, 80)}`);
}
