// A package's payload as a stream of files: headers (src/rpm/package.ts) → decompressor (by magic, with
// the header's PAYLOADCOMPRESSOR as the fallback) → cpio (newc or stripped, by magic) → entries matched to
// the header's file list. One pass over the bytes, bounded memory, so multi-GB packages stream.

import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { PayloadFormatError, RpmUnsupportedError } from '../errors.ts';
import { readCpio, type CpioEntry } from './cpio.ts';
import { createDecompressor, detectCompression, type DecompressorOptions } from './decompress.ts';
import { packageInfo, type RpmPackageInfo } from './info.ts';
import { readRpmPackageStream, type RpmPackage } from './package.ts';
import { NODE_HASH_NAMES, type RpmFile } from './types.ts';

export interface PayloadEntry extends CpioEntry {
  /** The header's entry for this file (undefined when the archive names a path the header lacks). */
  file: RpmFile | undefined;
}

export interface RpmPayload {
  pkg: RpmPackage;
  info: RpmPackageInfo;
  /** The decompressor actually used (what the bytes are; rpm's own name for it). */
  compressor: string;
  /** Entries in archive order; each body must be read or left before asking for the next. */
  entries: AsyncIterable<PayloadEntry>;
  /** Release the source without reading the entries (iterating to the end, or breaking out, does it too). */
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const GHOST = 1 << 6;

/**
 * Open a package (a path, or a stream of its bytes) for payload reading. The returned entries iterate
 * once; breaking out of the loop closes the source.
 */
export type PayloadOptions = DecompressorOptions;

export async function openRpmPayload(source: string | Readable, opts: PayloadOptions = {}): Promise<RpmPayload> {
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  let pkg: RpmPackage & { payload: Readable };
  try {
    pkg = await readRpmPackageStream(stream);
  } catch (e) {
    stream.destroy();
    throw e;
  }
  const info = packageInfo(pkg.header, pkg.signature);
  const it = pkg.payload[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  // Look at the first bytes to pick the decompressor.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 6) {
    const next = await it.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  const compressor = chooseCompressor(info.payloadCompressor, first);
  let decompressor;
  try {
    decompressor = createDecompressor(compressor, opts);
  } catch (e) {
    await it.return?.();
    throw e;
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  // pipeline wires errors and teardown both ways (a consumer that stops early closes the file).
  const decompressed = pipeline(rest(), decompressor, () => {});
  const files = info.files;
  async function* entries(): AsyncGenerator<PayloadEntry> {
    for await (const e of readCpio(decompressed, { files })) {
      yield Object.assign(e, { file: e.fileIndex >= 0 ? files[e.fileIndex] : undefined });
    }
  }
  return { pkg, info, compressor, entries: entries(), close: () => decompressed.destroy() };
}

/**
 * What decodes these bytes: the magic when it is unambiguous, else the header's name. Packages without
 * PAYLOADCOMPRESSOR (w0.ufdio, some very old ones) may hold a bare cpio archive: rpm reads those through
 * zlib's transparent mode, we see the "0707" magic.
 */
export function chooseCompressor(declared: string, first: Uint8Array): string {
  const detected = detectCompression(first);
  if (detected !== 'none' && detected !== 'lzma') return detected;
  if (detected === 'lzma' && (declared === 'lzma' || declared === 'gzip')) return 'lzma';
  if (first.length >= 4 && first[0] === 0x30 && first[1] === 0x37 && first[2] === 0x30 && first[3] === 0x37) return 'identity';
  return declared;
}

export type PayloadFileHandler = (file: RpmFile, index: number, body: AsyncIterable<Uint8Array>, entry: PayloadEntry) => Promise<void> | void;

/**
 * Call onFile for every archive entry the header lists, in archive order. A hardlink set's data comes with
 * its last member (entry.hardlink.carrier, entry.hardlink.fileIndexes names the whole set); the other
 * members get an empty body. Returns the package info.
 */
export async function forEachPayloadFile(source: string | Readable, onFile: PayloadFileHandler, opts: PayloadOptions = {}): Promise<RpmPackageInfo> {
  const payload = await openRpmPayload(source, opts);
  for await (const entry of payload.entries) {
    if (!entry.file) throw new PayloadFormatError(`payload holds ${entry.path}, which the header does not list`);
    await onFile(entry.file, entry.fileIndex, entry.body, entry);
  }
  return payload.info;
}

export interface PayloadMismatch {
  fileIndex: number;
  path: string;
  /** What is wrong: the digest, the size, or the file is missing from the archive. */
  problem: 'digest' | 'size' | 'missing';
  expected: string;
  actual: string;
}

export interface PayloadVerification {
  info: RpmPackageInfo;
  /** Regular files whose bytes were hashed and compared. */
  checked: number;
  mismatches: PayloadMismatch[];
}


/**
 * Stream every regular file of the payload and compare its digest (FILEDIGESTALGO) and size with the
 * header, hashing while the bytes stream past. Every regular non-ghost file the header lists must appear.
 */
export async function verifyPayloadDigests(source: string | Readable, opts: PayloadOptions = {}): Promise<PayloadVerification> {
  const payload = await openRpmPayload(source, opts);
  const { info } = payload;
  const mismatches: PayloadMismatch[] = [];
  const seen = new Uint8Array(info.files.length);
  let checked = 0;
  for await (const entry of payload.entries) {
    const file = entry.file;
    if (!file) throw new PayloadFormatError(`payload holds ${entry.path}, which the header does not list`);
    if ((file.mode & S_IFMT) !== S_IFREG) {
      seen[entry.fileIndex] = 1;
      continue;
    }
    // A hardlink member's bytes come with the set's last member, which then marks the whole set seen:
    // an archive that ends before the carrier reports the members missing.
    if (entry.hardlink && !entry.hardlink.carrier) continue;
    const algo = NODE_HASH_NAMES[file.digestAlgo];
    if (!algo) throw new RpmUnsupportedError(`file digest algorithm ${file.digestAlgo} is not supported`);
    const hash = createHash(algo);
    let size = 0;
    for await (const piece of entry.body) {
      hash.update(piece);
      size += piece.length;
    }
    const digest = hash.digest('hex');
    checked++;
    for (const index of entry.hardlink ? entry.hardlink.fileIndexes : [entry.fileIndex]) {
      const f = info.files[index];
      if (!f) continue;
      seen[index] = 1;
      if (f.size !== size) mismatches.push({ fileIndex: index, path: f.path, problem: 'size', expected: String(f.size), actual: String(size) });
      else if (f.digest !== '' && f.digest !== digest) mismatches.push({ fileIndex: index, path: f.path, problem: 'digest', expected: f.digest, actual: digest });
    }
  }
  info.files.forEach((f, i) => {
    if (!seen[i] && (f.mode & S_IFMT) === S_IFREG && !(f.flags & GHOST)) {
      mismatches.push({ fileIndex: i, path: f.path, problem: 'missing', expected: f.digest, actual: '' });
    }
  });
  return { info, checked, mismatches };
}
