// Turns what the user named as IMAGE into a plain, seekable tar file: a plain tar is used in place; a
// compressed one (detected by content: gzip, zstd, xz, bzip2) or a pipe is inflated ONCE to a temp file;
// a directory is serialized to a temp tar (dirTar.ts: the "image" of a directory is that tar).

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TarFormatError, UsageError } from '../errors.ts';
import { detectCompression } from '../rpm/decompress.ts';
import type { Progress } from '../util/progress.ts';
import { readFileHead } from '../util/fs.ts';
import { serializeDirectory } from './dirTar.ts';
import { bulkDecompressor } from './inflate.ts';
import type { ImageCompression } from './manifest.ts';
import { removeIfInterrupted } from '../util/interrupt.ts';

export interface PreparedImage {
  /** A plain tar file to read (the input itself, or a temp file). */
  tarPath: string;
  name: string;
  compression: ImageCompression;
  cleanup(): Promise<void>;
}

export interface PrepareOptions {
  progress?: Progress;
  log?: (line: string) => void;
  /** Where temp files go (default: the OS temp dir). */
  tempDir?: string;
}

/** Counts bytes through a pipeline (for the progress bar). */
function counter(onBytes: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onBytes(n);
      cb(null, chunk);
    },
  });
}

export async function prepareImage(image: string, opts: PrepareOptions = {}): Promise<PreparedImage> {
  const log = opts.log ?? (() => {});
  const name = image === '-' ? 'stdin' : basename(image.replace(/\/+$/, '')) || image;
  let st;
  if (image !== '-') {
    try {
      st = await stat(image);
    } catch (e) {
      throw new UsageError(`image ${image} does not exist (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'yumvault-image-'));
  const forget = removeIfInterrupted(tmp); // an inflated copy of the image can be gigabytes
  const cleanup = () => rm(tmp, { recursive: true, force: true }).then(forget);
  try {
    if (st?.isDirectory()) {
      const tarPath = join(tmp, 'image.tar');
      log(`serializing directory ${image} to a temporary tar (${tarPath})`);
      await serializeDirectory(image, tarPath, opts.progress);
      return { tarPath, name, compression: 'directory', cleanup };
    }
    if (st?.isFile()) {
      const kind = detectCompression(await readFileHead(image, 6));
      if (kind === 'none') {
        await cleanup();
        return { tarPath: image, name, compression: 'none', cleanup: async () => {} };
      }
      const tarPath = join(tmp, 'image.tar');
      log(`inflating ${image} (${kind}) once to a temporary file ${tarPath}`);
      opts.progress?.start(`inflating ${name}`, st.size, 'bytes');
      await pipeline(createReadStream(image, { highWaterMark: 1 << 20 }), counter((n) => opts.progress?.update(n)), inflater(kind), createWriteStream(tarPath));
      opts.progress?.done();
      return { tarPath, name, compression: kind, cleanup };
    }
    // A pipe (stdin, a FIFO): copy it once, inflating on the fly by its first bytes.
    const tarPath = join(tmp, 'image.tar');
    log(`reading ${image === '-' ? 'standard input' : image} once into a temporary file ${tarPath}`);
    const source: Readable = image === '-' ? process.stdin : createReadStream(image);
    const detector = new DetectingInflater();
    await pipeline(source, detector, createWriteStream(tarPath));
    return { tarPath, name, compression: detector.kind ?? 'none', cleanup };
  } catch (e) {
    await cleanup();
    if ((e as { code?: string }).code === 'YV_PAYLOAD_FORMAT') throw new TarFormatError(`${image}: ${(e as Error).message}`);
    throw e;
  }
}

function inflater(kind: string): Transform {
  return bulkDecompressor(kind);
}

/** Passes bytes through an inflater chosen by the stream's first 6 bytes. */
class DetectingInflater extends Transform {
  kind: ImageCompression | undefined;
  private head: Buffer[] = [];
  private headLen = 0;
  private inner: Transform | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.inner) {
      this.head.push(chunk);
      this.headLen += chunk.length;
      if (this.headLen < 6) return cb();
      this.start(Buffer.concat(this.head));
      return this.feed(Buffer.concat(this.head), cb);
    }
    this.feed(chunk, cb);
  }

  private start(first: Buffer): void {
    const kind = detectCompression(first);
    this.kind = kind;
    this.inner = inflater(kind);
    this.inner.on('data', (d: Buffer) => this.push(d));
  }

  private feed(chunk: Buffer, cb: (e?: Error | null) => void): void {
    const inner = this.inner!;
    inner.once('error', cb);
    inner.write(chunk, (err) => {
      inner.off('error', cb);
      cb(err ?? null);
    });
  }

  override _flush(cb: (e?: Error | null) => void): void {
    if (!this.inner) this.start(Buffer.concat(this.head));
    const inner = this.inner!;
    if (this.headLen > 0 && this.headLen < 6) inner.write(Buffer.concat(this.head));
    inner.once('error', cb);
    inner.once('end', () => cb());
    inner.end();
  }
}
