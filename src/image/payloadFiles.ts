// A build's payload entries as restore needs them: every entry that carries data (the carrier of a
// hardlink set stands for all its members). The decompressor is chosen from the payload's first bytes
// (src/rpm/payload.ts chooseCompressor: a w0.ufdio package whose header says gzip holds a bare cpio
// archive); xz/lzma/bzip2 are decoded by the system's program on another core when there is one.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { ChecksumMismatchError, PayloadFormatError } from '../errors.ts';
import { open } from 'node:fs/promises';
import { readCpio, readCpioWhole } from '../rpm/cpio.ts';
import { payloadInfo } from '../rpm/info.ts';
import { parseRpmPackageBytes, readRpmPackage, type RpmPackage } from '../rpm/package.ts';
import { chooseCompressor } from '../rpm/payload.ts';
import type { Nevra, RpmFile } from '../rpm/types.ts';
import type { PayloadFile, WholeFile } from './builds.ts';
import { bulkDecompressor, inflateWholeInto } from './inflate.ts';
import { hashFile } from '../util/hashFile.ts';

export interface OpenedPayload {
  nevra: Nevra;
  files: RpmFile[];
  payload: AsyncIterable<PayloadFile>;
  /** The whole inflated payload when it was inflated in one piece (file bodies are views of it). */
  whole?: Buffer;
  /** With `whole`: the same entries as `payload`, walked without a promise per entry (use one or the other). */
  wholeFiles?: Iterable<WholeFile>;
  close(): void;
}

/** 1 MiB pieces: smaller ones cost more in per-chunk stream and cpio overhead than they save in GC (inflate.ts). */
const CHUNK = 1 << 20;

/** Payloads up to this size (uncompressed, as the header says) may be inflated whole (see `whole`). */
export const WHOLE_MAX = 64 << 20;

// The buffers packages are read and inflated into, reused from build to build, are made once at their
// largest size: memory is mapped on first touch, so an unused end costs address space only, while growing
// a buffer each time a larger payload came along cost a fresh page fault for every 4 KiB again (on the
// benchmark image, ~70,000 of restore's ~110,000 page faults).
let fileScratch: Buffer | undefined;

/** A package file of at most WHOLE_MAX bytes, read with one open into a reused buffer (valid until the next call). */
function readSmallFile(rpmPath: string): Buffer | undefined {
  const fd = openSync(rpmPath, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > WHOLE_MAX) return undefined;
    fileScratch ??= Buffer.allocUnsafeSlow(WHOLE_MAX);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, fileScratch, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return fileScratch.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Throws ChecksumMismatchError naming the .rpm unless `got`, its sha256, is the expected one. */
export function checkPkgid(rpmPath: string, got: string, expectSha256: string): void {
  if (got !== expectSha256) throw new ChecksumMismatchError(`${rpmPath}: sha256 ${got}, the repository's metadata (and the manifest's pkgid) say ${expectSha256}`);
}

let inflateScratch: Buffer | undefined;

/**
 * The payload inflated in one synchronous call, or undefined when it is not a small gzip/zstd/bare one.
 * `reuse`: into memory reused by the next call (the caller is done with this payload before then).
 */
function inflateWhole(rpmPath: string, packed: Buffer, compressor: string, archiveSize: number | null, reuse: boolean): Buffer | undefined {
  if (archiveSize === null || archiveSize > WHOLE_MAX || !['zstd', 'gzip', 'identity', 'none', ''].includes(compressor)) return undefined;
  // The header's size is a hint (room is left for a lying one: the cpio reader still checks every entry).
  // One output chunk as large as the payload: zlib then hands it back as is, not concatenated from pieces.
  const maxOutputLength = Math.min(2 * WHOLE_MAX, archiveSize + (1 << 20));
  const chunkSize = Math.max(64 << 10, archiveSize + (64 << 10));
  try {
    if (reuse && (compressor === 'zstd' || compressor === 'gzip')) {
      inflateScratch ??= Buffer.allocUnsafeSlow(WHOLE_MAX + (64 << 10));
      return inflateWholeInto(compressor, packed, inflateScratch, maxOutputLength);
    }
    if (reuse) return packed; // a bare archive: the file's own bytes, read for this call
    if (compressor === 'zstd') return zlib.zstdDecompressSync(packed, { maxOutputLength, chunkSize });
    if (compressor === 'gzip') return zlib.gunzipSync(packed, { maxOutputLength, chunkSize });
    const copy = Buffer.allocUnsafeSlow(packed.length);
    copy.set(packed);
    return copy;
  } catch (e) {
    throw new PayloadFormatError(`${rpmPath}: ${compressor} decompression failed: ${(e as Error).message}`, { cause: e });
  }
}

async function* single(buf: Uint8Array): AsyncGenerator<Uint8Array> {
  yield buf;
}

/** `buf` in CHUNK pieces (views). */
function* pieces(buf: Buffer): Generator<Buffer> {
  for (let at = 0; at < buf.length; at += CHUNK) yield buf.subarray(at, Math.min(buf.length, at + CHUNK));
}

/**
 * `whole`: inflate a small gzip/zstd payload in one synchronous call instead of streaming it (for worker
 * threads, which have nothing else to do: the stream machinery and its many chunks cost more CPU than the
 * decoding itself). Larger payloads and other compressors stream.
 * `reuse` (with `whole`): the inflated payload lives in memory the next call reuses (restore in place writes
 * each build out before it opens the next); not for a caller that keeps or transfers `whole`.
 * `bytes`: the .rpm's bytes, already in memory (read as with `whole`; not reused by a later call).
 * `expectSha256`: the .rpm must hash to this (ChecksumMismatchError otherwise), checked first.
 * `expectHeaderSha256` (with `expectSha256`): when the .rpm's main header hashes to this, the whole file is
 * not hashed here; the caller then owes the whole check itself (restore in place: the image's sha256 covers
 * every byte the build gives, and only when that or the build fails is the .rpm hashed, to name it).
 */
export async function openPayloadFiles(rpmPath: string, opts: { whole?: boolean; reuse?: boolean; expectSha256?: string; expectHeaderSha256?: string; bytes?: Buffer } = {}): Promise<OpenedPayload> {
  // Whole: one synchronous read of the file, headers parsed from it (copied out: the buffer is reused).
  // `bytes`: the file's bytes are at hand already (a download held in memory); `rpmPath` only names it.
  const bytes = opts.bytes ?? (opts.whole ? readSmallFile(rpmPath) : undefined);
  let pkg: RpmPackage | undefined;
  if (opts.expectSha256) {
    // The header (bounded parsing) may stand for the file; otherwise it is hashed whole before anything of it
    // is used, from the bytes just read when the file was read whole.
    let headerMatches = false;
    if (bytes && opts.expectHeaderSha256) {
      try {
        pkg = parseRpmPackageBytes(bytes, true);
        headerMatches = createHash('sha256').update(bytes.subarray(pkg.headerStart, pkg.headerEnd)).digest('hex') === opts.expectHeaderSha256.toLowerCase();
      } catch {
        // Not even a package: the whole file's sha256 says what it is.
      }
    }
    if (!headerMatches) checkPkgid(rpmPath, bytes ? createHash('sha256').update(bytes).digest('hex') : (await hashFile(rpmPath)).digest, opts.expectSha256);
  }
  pkg ??= bytes ? parseRpmPackageBytes(bytes, true) : await readRpmPackage(rpmPath);
  const info = payloadInfo(pkg.header, pkg.signature);
  let first: Buffer;
  if (bytes) first = bytes.subarray(pkg.payloadOffset, pkg.payloadOffset + 6);
  else {
    first = Buffer.alloc(6);
    const fh = await open(rpmPath, 'r');
    try {
      first = first.subarray(0, (await fh.read(first, 0, first.length, pkg.payloadOffset)).bytesRead);
    } finally {
      await fh.close();
    }
  }
  const compressor = chooseCompressor(info.payloadCompressor, first);
  const { name, epoch, version, release, arch } = info;
  const nevra = { name, epoch, version, release, arch };
  const files = info.files;
  const plain = bytes ? inflateWhole(rpmPath, bytes.subarray(pkg.payloadOffset), compressor, info.archiveSize, opts.reuse === true) : undefined;
  if (plain) {
    function* wholeFiles(): Generator<WholeFile> {
      for (const e of readCpioWhole(plain!, { files })) {
        if (e.fileIndex < 0 || (e.hardlink && !e.hardlink.carrier)) continue;
        yield { fileIndex: e.fileIndex, data: e.data };
      }
    }
    async function* fromWhole(): AsyncGenerator<PayloadFile> {
      for (const f of wholeFiles()) yield { fileIndex: f.fileIndex, body: single(f.data) };
    }
    return { nevra, files, payload: fromWhole(), wholeFiles: wholeFiles(), whole: plain, close: () => {} };
  }
  // Streamed: from the bytes given (a download held in memory: there is no file), else from the file.
  const held = opts.bytes?.subarray(pkg.payloadOffset);
  const raw: Readable = held ? Readable.from(pieces(held), { objectMode: false }) : createReadStream(rpmPath, { start: pkg.payloadOffset, highWaterMark: CHUNK });
  const inflated = raw.pipe(bulkDecompressor(compressor, CHUNK, true));
  raw.on('error', (e: Error) => inflated.destroy(e));
  async function* carriers(): AsyncGenerator<PayloadFile> {
    try {
      for await (const e of readCpio(inflated, { files })) {
        if (e.fileIndex < 0 || (e.hardlink && !e.hardlink.carrier)) continue;
        yield { fileIndex: e.fileIndex, body: e.body };
      }
    } finally {
      raw.destroy();
      inflated.destroy();
    }
  }
  return {
    nevra,
    files,
    payload: carriers(),
    close: () => {
      raw.destroy();
      inflated.destroy();
    },
  };
}
