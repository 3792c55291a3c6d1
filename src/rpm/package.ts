// An .rpm file: a 96-byte lead, the signature header (padded to a multiple of 8 bytes), the main header,
// then the compressed payload.
// https://github.com/rpm-software-management/rpm/blob/master/docs/manual/format_v4.md (Package file format)
// This module reads only as many bytes as the headers occupy; the payload is left to src/rpm/payload.

import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RpmFormatError } from '../errors.ts';
import { type RpmHeader, headerSizeAt, parseHeader } from './header.ts';

export const LEAD_SIZE = 96;
const LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb];
/** RPMSIGTYPE_HEADERSIG: the only signature type rpm has written since 2.x (rpmlead.c). */
const SIGTYPE_HEADERSIG = 5;
const INTRO = 16;

export interface RpmLead {
  major: number;
  minor: number;
  /** 0 binary, 1 source. */
  type: number;
  archnum: number;
  /** The NVR rpmbuild wrote in the lead (informational; the header is authoritative). */
  name: string;
  osnum: number;
  signatureType: number;
}

export interface RpmPackage {
  lead: RpmLead;
  signature: RpmHeader;
  header: RpmHeader;
  /** Byte offset of the main header (its magic) in the file: createrepo_c's rpm:header-range start. */
  headerStart: number;
  /** Byte offset just past the main header: rpm:header-range end. */
  headerEnd: number;
  /** Where the compressed payload starts (= headerEnd). */
  payloadOffset: number;
}

/** Random access to a package's bytes (a file, an HTTP resource fetched with Range…). */
export interface RandomAccessReader {
  /** Up to `length` bytes at `offset`; fewer only at the end of the data. */
  read(offset: number, length: number): Promise<Uint8Array>;
  size?: number;
}

/** Parse and check the lead. */
export function parseLead(buf: Uint8Array): RpmLead {
  if (buf.length < LEAD_SIZE) throw new RpmFormatError(`not an rpm package: ${buf.length} bytes, shorter than the lead`);
  for (let i = 0; i < 4; i++) {
    if (buf[i] !== LEAD_MAGIC[i]) throw new RpmFormatError('not an rpm package (bad lead magic)');
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, LEAD_SIZE);
  const major = buf[4]!;
  // rpm 4.18 reads lead versions 3 and 4 only (lib/rpmlead.c).
  if (major < 3 || major > 4) throw new RpmFormatError(`unsupported rpm lead version ${major}`);
  const signatureType = dv.getUint16(78);
  if (signatureType !== SIGTYPE_HEADERSIG) throw new RpmFormatError(`unsupported rpm signature type ${signatureType}`);
  const nameBytes = buf.subarray(10, 76);
  const z = nameBytes.indexOf(0);
  return {
    major,
    minor: buf[5]!,
    type: dv.getUint16(6),
    archnum: dv.getUint16(8),
    name: new TextDecoder().decode(z < 0 ? nameBytes : nameBytes.subarray(0, z)),
    osnum: dv.getUint16(76),
    signatureType,
  };
}

/**
 * How many leading bytes of a package hold everything up to the end of the main header.
 * Call with what you have; the answer is either more than prefix.length (fetch at least that many
 * leading bytes and ask again: at most three rounds — lead + signature intro, signature + main intro,
 * main header) or ≤ prefix.length, and then it is exactly headerEnd.
 * Throws RpmFormatError as soon as the bytes seen are not an rpm.
 */
export function rpmHeaderNeededBytes(prefix: Uint8Array): number {
  if (prefix.length < LEAD_SIZE + INTRO) return LEAD_SIZE + INTRO;
  parseLead(prefix);
  const sigSize = headerSizeAt(prefix, LEAD_SIZE, 'signature header');
  const headerStart = LEAD_SIZE + sigSize + padTo8(sigSize);
  if (prefix.length < headerStart + INTRO) return headerStart + INTRO;
  return headerStart + headerSizeAt(prefix, headerStart, 'main header');
}

function padTo8(n: number): number {
  return (8 - (n % 8)) % 8;
}

/**
 * Parse lead, signature and main header from bytes that hold at least rpmHeaderNeededBytes of them.
 * The headers copy their bytes unless `copy` is false (for buffers the caller hands over for good).
 */
export function parseRpmPackageBytes(buf: Uint8Array, copy = true): RpmPackage {
  const needed = rpmHeaderNeededBytes(buf);
  if (needed > buf.length) throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, have ${buf.length}`);
  const lead = parseLead(buf);
  const signature = parseHeader(buf, LEAD_SIZE, 'signature header', copy);
  const headerStart = LEAD_SIZE + signature.byteLength + padTo8(signature.byteLength);
  const header = parseHeader(buf, headerStart, 'main header', copy);
  const headerEnd = headerStart + header.byteLength;
  return { lead, signature, header, headerStart, headerEnd, payloadOffset: headerEnd };
}

/** Read the headers of a package from a file path or a random-access reader (no payload bytes read). */
export async function readRpmPackage(source: string | RandomAccessReader): Promise<RpmPackage> {
  if (typeof source !== 'string') return readFromReader(source, true);
  // No stat: a short first read means end of file, and readFromReader reports a truncated package.
  const fh = await open(source, 'r');
  try {
    return await readFromReader({
      async read(offset, length) {
        const out = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(out, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return out.subarray(0, got);
      },
    }, false);
  } finally {
    await fh.close();
  }
}

/**
 * readRpmPackage for a file path with synchronous reads: for batch tools (a CLI listing hundreds of
 * packages), where each await on the thread pool costs more than the parse. Blocks the event loop
 * for the few reads of one package.
 */
export function readRpmPackageSync(path: string): RpmPackage {
  const fd = openSync(path, 'r');
  try {
    const readAt = (buf: Uint8Array, offset: number): number => {
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return got;
    };
    // The first read goes to a scratch buffer reused across calls (headers copy their bytes out), so a
    // batch of packages does not churn the garbage collector with one 64 KiB buffer each.
    let buf: Uint8Array = scratch.subarray(0, readAt(scratch, 0));
    let copy = true;
    for (let round = 0; round < 4; round++) {
      const needed = rpmHeaderNeededBytes(buf);
      if (needed <= buf.length) return parseRpmPackageBytes(buf, copy || wasteful(buf, needed));
      const more = Buffer.allocUnsafeSlow(needed);
      more.set(buf);
      const got = readAt(more.subarray(buf.length), buf.length);
      if (got < needed - buf.length) throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, file has ${buf.length + got}`);
      buf = more;
      copy = false;
    }
    throw new RpmFormatError('rpm package headers did not settle');
  } finally {
    closeSync(fd);
  }
}

const scratch = new Uint8Array(32 * 1024);

/** Keeping a view would pin much more memory than the headers need: copy them out instead. */
function wasteful(buf: Uint8Array, needed: number): boolean {
  return buf.buffer.byteLength > needed + (needed >> 2);
}

/** First read size: most packages' headers fit, so one read usually does. */
const FIRST_READ = 64 * 1024;

async function readFromReader(reader: RandomAccessReader, copy: boolean): Promise<RpmPackage> {
  const first = reader.size === undefined ? FIRST_READ : Math.min(FIRST_READ, reader.size);
  let buf = await reader.read(0, first);
  for (let round = 0; round < 4; round++) {
    const needed = rpmHeaderNeededBytes(buf);
    if (needed <= buf.length) return parseRpmPackageBytes(buf, copy || wasteful(buf, needed));
    if (reader.size !== undefined && needed > reader.size) {
      throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, file has ${reader.size}`);
    }
    const more = await reader.read(buf.length, needed - buf.length);
    if (more.length < needed - buf.length) {
      throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, got ${buf.length + more.length}`);
    }
    buf = concat(buf, more);
  }
  throw new RpmFormatError('rpm package headers did not settle');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export interface RpmPackageStream extends RpmPackage {
  /** The same stream, positioned at the first payload byte (the bytes read past the header are put back). */
  payload: Readable;
}

/**
 * Read the headers from a byte stream (a download, stdin) and hand back the stream positioned at the
 * payload. Consumes only header bytes plus at most one chunk, which is unshifted back.
 */
export async function readRpmPackageStream(stream: Readable): Promise<RpmPackageStream> {
  // The error listener stays on for the whole read: a source may fail synchronously inside read().
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const onError = (e: unknown): void => {
    failure = e instanceof Error ? e : new Error(String(e));
    wake?.();
  };
  const onEvent = (): void => wake?.();
  stream.on('error', onError);
  stream.on('readable', onEvent);
  stream.on('end', onEvent);
  stream.on('close', onEvent);
  try {
    const chunks: Uint8Array[] = [];
    let have = 0;
    let needed = LEAD_SIZE + INTRO;
    for (;;) {
      while (have < needed) {
        const chunk = stream.read() as Buffer | string | null;
        failure ??= stream.errored;
        if (failure) throw failure;
        if (chunk === null) {
          if (stream.readableEnded || stream.destroyed) {
            throw new RpmFormatError(`rpm package truncated: headers need ${needed} bytes, stream ended after ${have}`);
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          if (failure) throw failure;
          continue;
        }
        if (typeof chunk === 'string') throw new RpmFormatError('rpm stream must be binary (no encoding set)');
        chunks.push(chunk);
        have += chunk.length;
      }
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      chunks.length = 0;
      chunks.push(buf);
      const next = rpmHeaderNeededBytes(buf);
      if (next > have) {
        needed = next;
        continue;
      }
      const pkg = parseRpmPackageBytes(buf);
      if (buf.length > pkg.headerEnd) stream.unshift(Buffer.from(buf.buffer, buf.byteOffset + pkg.headerEnd, buf.length - pkg.headerEnd));
      // Only on success are our listeners removed: on failure the stream may still emit its 'error'
      // (destroy() emits on the next tick), and without a listener that would crash the process.
      stream.off('error', onError);
      stream.off('readable', onEvent);
      stream.off('end', onEvent);
      stream.off('close', onEvent);
      return { ...pkg, payload: stream };
    }
  } catch (e) {
    stream.off('readable', onEvent);
    stream.destroy();
    throw e;
  }
}
