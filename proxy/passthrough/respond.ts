// Answering a client from the cache (a blob) or from a download in flight (the growing temp file): 200,
// 206 for one range, 206 multipart/byteranges for several, 416, HEAD; exact Content-Length and never a
// content-encoding. Blobs on the local file system are streamed straight from their file.
import { read as fsRead } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse, IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { Download } from './download.ts';
import { parseRangeHeader, planMultipart, type Range } from './ranges.ts';

export type BodySource =
  | { kind: 'blob'; sha256: string; size: number }
  | { kind: 'memory'; buffer: Buffer }
  | { kind: 'download'; download: Download };

export interface SendOptions {
  contentType: string;
  /** Extra response headers (Warning, Last-Modified…). */
  headers?: Record<string, string>;
  /** Honour Range (default true). */
  ranges?: boolean;
}

export interface SendOutcome {
  /** The client now has the whole file: a 200 GET that finished, or a resumed `bytes=N-` that did. */
  whole: boolean;
  bytes: number;
}

const CHUNK = 256 * 1024;
const MEMORY_SLICE = 256 * 1024;

/** The cache entry named a blob that is not there (deleted under us): the caller treats it as a miss. */
export class BlobMissingError extends Error {}

export async function sendBody(req: IncomingMessage, res: ServerResponse, blobs: BlobStore, source: BodySource, options: SendOptions): Promise<SendOutcome> {
  // A local blob is opened before anything is answered: a missing one is still a clean miss, and the
  // open handle serves every range of this request.
  let fh: FileHandle | null = null;
  const local = source.kind === 'blob' ? blobs.localPath?.(source.sha256) : undefined;
  if (local) {
    try {
      fh = await open(local, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobMissingError(`blob ${local} is gone`);
      throw e;
    }
  }
  try {
    return await sendOpened(req, res, blobs, source, options, fh);
  } finally {
    await fh?.close().catch(() => {});
  }
}

async function sendOpened(req: IncomingMessage, res: ServerResponse, blobs: BlobStore, source: BodySource, options: SendOptions, fh: FileHandle | null): Promise<SendOutcome> {
  let size = source.kind === 'blob' ? source.size : source.kind === 'memory' ? source.buffer.length : source.download.size;
  if (size === null && source.kind === 'download') {
    // Unknown length (chunked upstream): ranges need the total, so wait for the end; a plain GET streams.
    if (req.headers.range && options.ranges !== false) {
      await source.download.finished;
      size = source.download.size;
    }
  }
  const head = req.method === 'HEAD';
  res.setHeader('Content-Type', options.contentType);
  res.setHeader('Accept-Ranges', options.ranges === false ? 'none' : 'bytes');
  for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);

  const ranges = size !== null && options.ranges !== false ? parseRangeHeader(req.headers.range, size) : null;
  if (ranges === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 }).end();
    return { whole: false, bytes: 0 };
  }
  if (!ranges) {
    if (size !== null) res.setHeader('Content-Length', size);
    res.writeHead(200);
    if (head) return end(res, false, 0);
    const bytes = await copy(res, blobs, fh, source, 0, size === null ? null : size - 1);
    return end(res, true, bytes);
  }
  if (ranges.length === 1) {
    const r = ranges[0]!;
    res.writeHead(206, { 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': r.end - r.start + 1 });
    if (head) return end(res, false, 0);
    const bytes = await copy(res, blobs, fh, source, r.start, r.end);
    // dnf resumes a package with `bytes=N-`: the range that completes the file completes the download.
    return end(res, r.end === size! - 1 && r.start > 0, bytes);
  }
  const plan = planMultipart(ranges, size!, options.contentType, `yumvault-${randomBytes(12).toString('hex')}`);
  res.writeHead(206, { 'Content-Type': `multipart/byteranges; boundary=${plan.boundary}`, 'Content-Length': plan.contentLength });
  if (head) return end(res, false, 0);
  let bytes = 0;
  for (let i = 0; i < ranges.length; i++) {
    await write(res, Buffer.from(plan.heads[i]!));
    bytes += await copy(res, blobs, fh, source, ranges[i]!.start, ranges[i]!.end);
  }
  await write(res, Buffer.from(plan.tail));
  return end(res, false, bytes);
}

/** Ends the answer; resolves when it finished or the client went away (`whole` only if it finished). */
function end(res: ServerResponse, whole: boolean, bytes: number): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (finished: boolean) => {
      if (settled) return;
      settled = true;
      res.off('close', onClose);
      resolve({ whole: whole && finished, bytes });
    };
    const onClose = () => finish(res.writableFinished);
    res.once('close', onClose);
    res.end(() => finish(true));
  });
}

/** Copies bytes [start, end] (end null: to the end of a download of unknown length). */
async function copy(res: ServerResponse, blobs: BlobStore, fh: FileHandle | null, source: BodySource, start: number, endAt: number | null): Promise<number> {
  if (endAt !== null && endAt < start) return 0;
  if (source.kind === 'memory') {
    // In slices, waiting for each to drain: connections take turns as they do when streaming from a file.
    for (let pos = start; pos <= endAt!; pos += MEMORY_SLICE) await write(res, source.buffer.subarray(pos, Math.min(endAt! + 1, pos + MEMORY_SLICE)));
    return endAt! - start + 1;
  }
  if (source.kind === 'blob') {
    if (fh) return copyFd(res, fh.fd, start, endAt!);
    return pipeStream(res, await blobs.get(source.sha256, { start, end: endAt! }));
  }
  const dl = source.download;
  let pos = start;
  for (;;) {
    if (endAt !== null && pos > endAt) break;
    if (dl.failure) throw dl.failure;
    const avail = dl.available;
    if (pos < avail) {
      const upto = endAt === null ? avail - 1 : Math.min(endAt, avail - 1);
      // What has arrived is in the temp file: the same pooled copy as for a blob file.
      pos += await copyFd(res, dl.fd, pos, upto);
      continue;
    }
    if (dl.verified) break; // everything there is was sent
    await dl.changed();
  }
  return pos - start;
}

/**
 * Reads into pooled buffers and hands each to the socket, taking the buffer back once the kernel has it:
 * no allocation (and no garbage) per chunk, one read ahead of the write.
 */
async function copyFd(res: ServerResponse, fd: number, start: number, end: number): Promise<number> {
  let pos = start;
  let pending: Promise<void> | null = null;
  try {
    while (pos <= end) {
      const buf = BUFFERS.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
      let n: number;
      try {
        n = await readAt(fd, buf, Math.min(CHUNK, end - pos + 1), pos);
      } catch (e) {
        BUFFERS.push(buf);
        throw e;
      }
      if (n === 0) {
        BUFFERS.push(buf);
        throw new Error(`blob shorter than expected at byte ${pos}`);
      }
      if (pending) await pending;
      pending = writeOwned(res, buf, n);
      pending.catch(() => {}); // observed at the next await; a failure while reading ahead is not unhandled
      pos += n;
    }
    if (pending) await pending;
  } catch (e) {
    await pending?.catch(() => {});
    throw e;
  }
  return pos - start;
}

const BUFFERS: Buffer[] = [];
const MAX_POOLED = 256;

function readAt(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fsRead(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Writes buf[0, n) and returns the buffer to the pool once the write completed (or failed). */
function writeOwned(res: ServerResponse, buf: Buffer, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      if (BUFFERS.length < MAX_POOLED) BUFFERS.push(buf);
      return reject(new Error('client went away'));
    }
    const onClose = () => reject(new Error('client went away'));
    res.once('close', onClose);
    res.write(buf.subarray(0, n), (err) => {
      res.off('close', onClose);
      // Only now is the buffer free: the socket copied it into the kernel.
      if (BUFFERS.length < MAX_POOLED) BUFFERS.push(buf);
      if (err) reject(err);
      else resolve();
    });
  });
}

function pipeStream(res: ServerResponse, stream: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const onData = (c: Buffer) => {
      n += c.length;
    };
    const cleanup = () => {
      stream.off('data', onData);
      res.off('close', onClose);
      stream.unpipe(res);
    };
    const onClose = () => {
      cleanup();
      stream.destroy();
      reject(new Error('client went away'));
    };
    stream.on('data', onData);
    stream.pipe(res, { end: false });
    res.once('close', onClose);
    stream.once('error', (e) => {
      cleanup();
      reject(e);
    });
    stream.once('end', () => {
      cleanup();
      resolve(n);
    });
  });
}

function write(res: ServerResponse, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(buf)) return resolve();
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('client went away'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
