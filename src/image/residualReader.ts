// Reads residual.zst back as records (format: residualFormat.ts). Bounded: record sizes are capped, varints
// are at most 8 bytes, a missing END or bytes after it are errors; zstd corruption becomes ResidualFormatError.

import { createReadStream } from 'node:fs';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { ResidualFormatError } from '../errors.ts';
import { MAX_HDR, MAX_RAW, Op, RESIDUAL_MAGIC, type ResidualRecord } from './residualFormat.ts';

class NeedMore extends Error {
  /** Bytes the record needs from its start, when known (0: unknown, ask for more). */
  readonly need: number;
  constructor(need = 0) {
    super('need more');
    this.need = need;
  }
}

/** A cursor over buffered bytes; throws NeedMore when a record is not complete yet. */
class Cursor {
  pos = 0;
  /** Bytes of the last RAW record parsed that are not in this buffer (its start was handed out). */
  rawRest = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  byte(): number {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++]!;
  }
  uvarint(what: string): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(v)) break;
        return v;
      }
      mul *= 0x80;
    }
    throw new ResidualFormatError(`residual is corrupt: ${what} is not a valid number`);
  }
  start = 0;
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new NeedMore(this.pos + n - this.start);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function parseRecord(c: Cursor): ResidualRecord {
  c.start = c.pos;
  const op = c.byte();
  switch (op) {
    case Op.RAW:
    case Op.HDR: {
      const len = c.uvarint('a record length');
      if (len > (op === Op.RAW ? MAX_RAW : MAX_HDR)) throw new ResidualFormatError(`residual is corrupt: a record claims ${len} bytes`);
      // A view, not a copy: the decompressed chunk is never reused, and a copy per tar header was tens of
      // thousands of small ArrayBuffers per pass (garbage-collector work on restore's main thread).
      // Inline data cut by the chunk's end is handed out as far as it goes, the rest as the next chunk
      // comes (`rawRest`): consecutive RAW records mean the same bytes, and joining them copied up to a MiB
      // per chunk.
      if (op === Op.RAW && c.pos + len > c.buf.length && c.pos < c.buf.length) {
        const b = c.bytes(c.buf.length - c.pos);
        c.rawRest = len - b.length;
        return { op: 'raw', bytes: new Uint8Array(b.buffer, b.byteOffset, b.length) };
      }
      const b = c.bytes(len);
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
      return op === Op.RAW ? { op: 'raw', bytes } : { op: 'hdr', bytes };
    }
    case Op.ZERO:
      return { op: 'zero', size: c.uvarint('a zero run') };
    case Op.REF: {
      const pkg = c.uvarint('a package index');
      const size = c.uvarint('a file size');
      const dlen = c.uvarint('a digest length');
      if (dlen === 0 || dlen > 64) throw new ResidualFormatError(`residual is corrupt: digest of ${dlen} bytes`);
      const digest = c.bytes(dlen).toString('hex');
      const plen = c.uvarint('a path length');
      if (plen > 65536) throw new ResidualFormatError(`residual is corrupt: path of ${plen} bytes`);
      const path = c.bytes(plen).toString('utf8');
      return { op: 'ref', pkg, size, digest, path };
    }
    case Op.END: {
      const size = c.uvarint('the image size');
      const sha256 = c.bytes(32).toString('hex');
      return { op: 'end', size, sha256 };
    }
    default:
      throw new ResidualFormatError(`residual is corrupt: unknown record type 0x${op.toString(16)} (not a yumvault residual v1?)`);
  }
}

/** The records of a residual file, in order, ending with END. */
export async function* readResidual(path: string): AsyncGenerator<ResidualRecord> {
  for await (const batch of readResidualBatches(path)) yield* batch;
}

/**
 * The records of a residual file in batches (those complete in each inflated chunk): one await per
 * batch, not per record — restore reads tens of thousands of records. `tap`, a pass-through, gets the
 * file's own (compressed) bytes on their way to the decoder: restore hashes them there (hashingTap) rather
 * than in a pass of its own.
 */
export async function* readResidualBatches(path: string, tap?: Transform): AsyncGenerator<ResidualRecord[]> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const source = (tap ? file.pipe(tap) : file).pipe(zlib.createZstdDecompress({ chunkSize: 1 << 20 }));
  file.on('error', (e) => source.destroy(e));
  // A record cut by the end of an inflated chunk is completed from the next: its start (`carry`) joined
  // with only as much of the next chunk as it lacks (and 64 KiB more, for records whose size shows only
  // once read), not with the whole chunk: that was a copy of 1 MiB per chunk, and garbage to collect.
  let carry: Buffer | undefined;
  let want = RESIDUAL_MAGIC.length; // bytes the carried record (or the magic) needs from its start
  let rawLeft = 0; // bytes of a RAW record still to come, handed out as they arrive
  let sawMagic = false;
  let ended = false;
  /** Parses the records that start in buf[from, stopAfter); returns where the first incomplete one starts. */
  const parse = (buf: Buffer, from: number, batch: ResidualRecord[], stopAfter = buf.length): number => {
    const c = new Cursor(buf);
    c.pos = from;
    if (!sawMagic) {
      if (!buf.subarray(0, RESIDUAL_MAGIC.length).equals(RESIDUAL_MAGIC)) throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
      sawMagic = true;
      c.pos = RESIDUAL_MAGIC.length;
    }
    while (c.pos < stopAfter) {
      if (ended) throw new ResidualFormatError(`residual is corrupt: data after its end record`);
      const start = c.pos;
      let rec: ResidualRecord;
      try {
        rec = parseRecord(c);
      } catch (e) {
        if (e instanceof NeedMore) {
          want = Math.max(e.need > 0 ? e.need : buf.length - start + 1, 1);
          return start;
        }
        throw e;
      }
      if (rec.op === 'end') ended = true;
      batch.push(rec);
      if (c.rawRest > 0) {
        rawLeft = c.rawRest; // the buffer ends inside this record
        return buf.length;
      }
    }
    return c.pos;
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const batch: ResidualRecord[] = [];
      let used = 0; // bytes of `chunk` already parsed or carried
      while (used < chunk.length) {
        if (rawLeft > 0) {
          const n = Math.min(rawLeft, chunk.length - used);
          batch.push({ op: 'raw', bytes: new Uint8Array(chunk.buffer, chunk.byteOffset + used, n) });
          rawLeft -= n;
          used += n;
        } else if (carry) {
          if (carry.length + chunk.length - used < want) {
            carry = Buffer.concat([carry, chunk.subarray(used)]);
            used = chunk.length;
            break;
          }
          const take = Math.min(chunk.length - used, Math.max(want - carry.length, 0) + (64 << 10));
          const head = Buffer.concat([carry, chunk.subarray(used, used + take)]);
          const stop = parse(head, 0, batch, carry.length);
          if (stop >= carry.length) {
            used += stop - carry.length; // the rest is parsed from the chunk itself
            carry = undefined;
          } else {
            carry = head.subarray(stop);
            used += take;
          }
        } else if (!sawMagic && chunk.length - used < RESIDUAL_MAGIC.length) {
          carry = chunk.subarray(used);
          used = chunk.length;
        } else {
          const stop = parse(chunk, used, batch);
          if (stop < chunk.length) carry = chunk.subarray(stop);
          used = chunk.length;
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    if (e instanceof ResidualFormatError) throw e;
    throw new ResidualFormatError(`${path} cannot be read: ${(e as Error).message}`);
  } finally {
    source.destroy();
    tap?.destroy();
    file.destroy();
  }
  if (!sawMagic) throw new ResidualFormatError(`${path} is not a yumvault residual (format 1)`);
  if (!ended || carry || rawLeft > 0) throw new ResidualFormatError(`${path} is truncated (no end record)`);
}
