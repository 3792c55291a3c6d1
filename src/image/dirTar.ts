// The image of a directory is this tar, byte for byte deterministic for the same tree:
// - POSIX pax format (magic "ustar\0", version "00"); entry names "./REL" (directories end in "/"), the
//   root "./" first, then a depth-first walk with each directory's names sorted by their bytes;
// - mode (permission bits), uid, gid from lstat; uname and gname empty (no host user database lookup);
//   mtime in whole seconds (sub-second parts dropped); regular files' contents; symlinks' targets;
//   a second path to an inode already written becomes a hardlink entry ('1') to the first path;
//   character/block devices with their major/minor, FIFOs; sockets are skipped; xattrs are not read;
// - a pax 'x' header (named "PaxHeaders/NAME", truncated to 100 bytes) precedes an entry only when a field
//   does not fit: name or link over 100 bytes (path/linkpath; hdrcharset=BINARY when not UTF-8), size of
//   8 GiB or more, uid/gid of 2^21 or more;
// - two zero blocks end the archive, zero-padded to a multiple of 10240 bytes (GNU tar's record size).

import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import type { Progress } from '../util/progress.ts';

const BLOCK = 512;
const RECORD = 10240;

function octal(b: Buffer, off: number, len: number, v: number): void {
  b.write(v.toString(8).padStart(len - 1, '0') + '\0', off, len, 'latin1');
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

interface HeaderFields {
  name: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  link: Buffer;
  devmajor: number;
  devminor: number;
}

function block(f: HeaderFields): Buffer {
  const b = Buffer.alloc(BLOCK);
  f.name.copy(b, 0, 0, Math.min(100, f.name.length));
  octal(b, 100, 8, f.mode & 0o7777);
  octal(b, 108, 8, f.uid);
  octal(b, 116, 8, f.gid);
  octal(b, 124, 12, f.size);
  octal(b, 136, 12, f.mtime);
  b.fill(0x20, 148, 156);
  b.write(f.typeflag, 156, 1, 'latin1');
  f.link.copy(b, 157, 0, Math.min(100, f.link.length));
  b.write('ustar\x0000', 257, 8, 'latin1');
  octal(b, 329, 8, f.devmajor);
  octal(b, 337, 8, f.devminor);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return b;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

/** The header bytes of one entry (a pax extended header first when a field does not fit). */
export function entryHeader(f: HeaderFields): Buffer {
  const records: Buffer[] = [];
  const out: Buffer[] = [];
  const fields = { ...f };
  if (f.name.length > 100 || f.link.length > 100) {
    if (!isUtf8(f.name) || !isUtf8(f.link)) records.push(paxRecord('hdrcharset', Buffer.from('BINARY')));
  }
  if (f.link.length > 100) {
    records.push(paxRecord('linkpath', f.link));
    fields.link = f.link.subarray(0, 100);
  }
  if (f.name.length > 100) {
    records.push(paxRecord('path', f.name));
    fields.name = f.name.subarray(0, 100);
  }
  if (f.size >= 8 ** 11) {
    records.push(paxRecord('size', Buffer.from(String(f.size))));
    fields.size = 0;
  }
  for (const k of ['uid', 'gid'] as const) {
    if (f[k] >= 8 ** 7) {
      records.push(paxRecord(k, Buffer.from(String(f[k]))));
      fields[k] = 0;
    }
  }
  if (records.length > 0) {
    const data = Buffer.concat(records);
    const base = f.name.subarray(0, f.name.length - (f.name[f.name.length - 1] === 0x2f ? 1 : 0));
    const slash = base.lastIndexOf(0x2f);
    const xname = Buffer.concat([Buffer.from('PaxHeaders/'), base.subarray(slash + 1)]).subarray(0, 100);
    out.push(block({ name: xname, mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: f.mtime, typeflag: 'x', link: Buffer.alloc(0), devmajor: 0, devminor: 0 }), data, pad(data.length));
  }
  out.push(block(fields));
  return Buffer.concat(out);
}

function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}
function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

async function write(out: WriteStream, b: Buffer): Promise<void> {
  if (!out.write(b)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** Writes the deterministic tar of directory `root` to `dest`. */
export async function serializeDirectory(root: string, dest: string, progress?: Progress): Promise<number> {
  const out = createWriteStream(dest);
  const seen = new Map<string, Buffer>();
  let written = 0;
  let files = 0;
  progress?.start('serializing directory', 0, 'items');
  const emit = async (b: Buffer) => {
    written += b.length;
    await write(out, b);
  };
  const visit = async (host: Buffer, name: Buffer): Promise<void> => {
    const st = await lstat(host, { bigint: true });
    const common = { uid: Number(st.uid), gid: Number(st.gid), mtime: Number(st.mtimeMs / 1000n), mode: Number(st.mode), link: Buffer.alloc(0), size: 0, devmajor: 0, devminor: 0 };
    progress?.update(++files);
    if (st.isDirectory()) {
      const dirName = name.length === 0 || name[name.length - 1] !== 0x2f ? Buffer.concat([name, Buffer.from('/')]) : name;
      await emit(entryHeader({ ...common, name: dirName, typeflag: '5' }));
      const children = (await readdir(host, { encoding: 'buffer' })).sort(Buffer.compare);
      for (const c of children) await visit(Buffer.concat([host, Buffer.from('/'), c]), Buffer.concat([dirName, c]));
      return;
    }
    const inode = `${st.dev}:${st.ino}`;
    if (!st.isDirectory() && st.nlink > 1n) {
      const first = seen.get(inode);
      if (first) {
        await emit(entryHeader({ ...common, name, typeflag: '1', link: first }));
        return;
      }
      seen.set(inode, name);
    }
    if (st.isFile()) {
      const size = Number(st.size);
      await emit(entryHeader({ ...common, name, typeflag: '0', size }));
      let copied = 0;
      for await (const chunk of createReadStream(host, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        const part = chunk.subarray(0, Math.max(0, size - copied));
        copied += part.length;
        await emit(part);
      }
      if (copied !== size) throw new Error(`${host} changed size while being read`);
      await emit(pad(size));
    } else if (st.isSymbolicLink()) {
      await emit(entryHeader({ ...common, name, typeflag: '2', link: await readlink(host, { encoding: 'buffer' }) }));
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const rdev = Number(st.rdev);
      await emit(entryHeader({ ...common, name, typeflag: st.isCharacterDevice() ? '3' : '4', devmajor: major(rdev), devminor: minor(rdev) }));
    } else if (st.isFIFO()) {
      await emit(entryHeader({ ...common, name, typeflag: '6' }));
    }
    // Sockets are skipped, as GNU tar does ("socket ignored").
  };
  try {
    await visit(Buffer.from(root.replace(/\/+$/, '') || '/'), Buffer.from('.'));
    const end = BLOCK * 2;
    const total = written + end;
    await emit(Buffer.alloc(end + ((RECORD - (total % RECORD)) % RECORD)));
  } finally {
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    progress?.done();
  }
  return written;
}
