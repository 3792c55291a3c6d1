// Repodata files come as .xml, .xml.gz, .xml.zst, .xml.xz or .xml.bz2 (createrepo_c's --compress-type).
// We detect the compression by magic bytes (names lie: some mirrors serve primary.xml.gz already inflated)
// and inflate with src/rpm's decompressors, streaming.

import { Readable } from 'node:stream';
import { createDecompressor, detectCompression, createCompressor } from '../rpm/decompress.ts';
import { RepoMetadataError, isYumvaultError } from '../errors.ts';

export type RepodataCompression = 'gzip' | 'zstd';

/** The inflated bytes of `source`, whatever its compression (or none). */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable;

export async function* inflated(source: ByteSource, fileName: string): AsyncGenerator<Uint8Array> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source as Iterable<Uint8Array>);
  // Peek enough bytes to recognise the format.
  const head: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < 6) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    have += r.value.length;
  }
  const first = Buffer.concat(head);
  const kind = detectCompression(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (kind === 'none' || kind === 'lzma') {
    yield* rest();
    return;
  }
  const decoder = createDecompressor(kind);
  const input = Readable.from(rest());
  input.on('error', (e) => decoder.destroy(e));
  input.pipe(decoder);
  try {
    for await (const chunk of decoder as AsyncIterable<Uint8Array>) yield chunk;
  } catch (e) {
    if (isYumvaultError(e) && e.code !== 'YV_PAYLOAD_FORMAT') throw e;
    throw new RepoMetadataError(`${fileName}: cannot decompress (${kind}): ${(e as Error).message}`, { cause: e });
  } finally {
    input.destroy();
  }
}

async function* toAsync(source: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* source;
}

/** A Transform compressing repodata we write. */
export function repodataCompressor(kind: RepodataCompression) {
  return createCompressor(kind, kind === 'zstd' ? 10 : 6);
}

export function compressionSuffix(kind: RepodataCompression): string {
  return kind === 'gzip' ? '.gz' : '.zst';
}
