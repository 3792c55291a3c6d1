// Writes GNU-format tar archives (what `tar -cf` writes by default) as a stream of 512-byte blocks:
// a header per entry (names over 100 bytes get a preceding ././@LongLink entry, as GNU tar does), the
// data padded to 512, and two zero blocks at the end. Layout: GNU tar manual, "Basic Tar Format"
// (https://www.gnu.org/software/tar/manual/html_node/Standard.html). No clock, no host: same entries, same bytes.

import type { Writable } from 'node:stream';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

export interface TarEntry {
  /** Name inside the archive, as GNU tar writes it for `tar -C root -cf x.tar .`: "./usr/bin/hello", dirs end in "/". */
  name: string;
  type: TarEntryType;
  /** Permission bits only (07777). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  /** Symlink or hardlink target. */
  linkName?: string;
  /** File contents (regular files only). */
  data?: Uint8Array;
}

const BLOCK = 512;
const utf8 = new TextEncoder();
const TYPEFLAG: Record<TarEntryType, string> = { file: '0', dir: '5', symlink: '2', hardlink: '1' };

function octal(value: number, width: number): string {
  // width includes the trailing NUL, as GNU tar writes numeric fields.
  return value.toString(8).padStart(width - 1, '0');
}

function putString(block: Uint8Array, offset: number, width: number, s: string | Uint8Array): void {
  const bytes = typeof s === 'string' ? utf8.encode(s) : s;
  if (bytes.length > width) throw new Error(`tar field of ${width} bytes cannot hold ${bytes.length}`);
  block.set(bytes, offset);
}

function headerBlock(e: { name: Uint8Array; typeflag: string; mode: number; uid: number; gid: number; size: number; mtime: number; linkName: Uint8Array; uname: string; gname: string }): Uint8Array {
  const b = new Uint8Array(BLOCK);
  putString(b, 0, 100, e.name.subarray(0, 100));
  putString(b, 100, 8, octal(e.mode, 8));
  putString(b, 108, 8, octal(e.uid, 8));
  putString(b, 116, 8, octal(e.gid, 8));
  if (e.size >= 8 ** 11) throw new Error('tar entry over 8 GiB: the demo never writes one');
  putString(b, 124, 12, octal(e.size, 12));
  putString(b, 136, 12, octal(e.mtime, 12));
  b.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  putString(b, 156, 1, e.typeflag);
  putString(b, 157, 100, e.linkName.subarray(0, 100));
  putString(b, 257, 8, 'ustar  \0'); // GNU magic + version
  putString(b, 265, 32, e.uname);
  putString(b, 297, 32, e.gname);
  let sum = 0;
  for (const x of b) sum += x;
  putString(b, 148, 8, `${octal(sum, 7)}\0 `);
  return b;
}

function padding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The blocks of one entry (with its GNU long-name/long-link entries when needed). */
export function entryBlocks(e: TarEntry): Uint8Array[] {
  const out: Uint8Array[] = [];
  const name = utf8.encode(e.name);
  const linkName = utf8.encode(e.linkName ?? '');
  const long = (typeflag: 'L' | 'K', value: Uint8Array) => {
    const body = new Uint8Array(value.length + 1);
    body.set(value);
    out.push(
      headerBlock({ name: utf8.encode('././@LongLink'), typeflag, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0, linkName: new Uint8Array(0), uname: 'root', gname: 'root' }),
      body,
      padding(body.length),
    );
  };
  if (linkName.length > 100) long('K', linkName);
  if (name.length > 100) long('L', name);
  const data = e.type === 'file' ? (e.data ?? new Uint8Array(0)) : new Uint8Array(0);
  out.push(
    headerBlock({ name, typeflag: TYPEFLAG[e.type], mode: e.mode & 0o7777, uid: e.uid, gid: e.gid, size: data.length, mtime: e.mtime, linkName, uname: e.uname, gname: e.gname }),
  );
  if (data.length) out.push(data, padding(data.length));
  return out;
}

/** The end-of-archive marker: two zero blocks (GNU tar then pads to its 10 KiB record; see `recordPadding`). */
export function endBlocks(): Uint8Array {
  return new Uint8Array(2 * BLOCK);
}

/** Zeros GNU tar adds after the end marker so the archive is a whole number of 20-block records. */
export function recordPadding(written: number): Uint8Array {
  const record = 20 * BLOCK;
  return new Uint8Array((record - (written % record)) % record);
}

/** Writes chunks to a stream, waiting for drain: memory stays bounded whatever the archive size. */
export async function writeChunks(stream: Writable, chunks: Iterable<Uint8Array>): Promise<number> {
  let n = 0;
  for (const c of chunks) {
    if (c.length === 0) continue;
    n += c.length;
    if (!stream.write(c)) await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      stream.once('error', onError);
      stream.once('drain', () => {
        stream.off('error', onError);
        resolve();
      });
    });
  }
  return n;
}
