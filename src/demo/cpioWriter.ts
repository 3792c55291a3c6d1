// Writes the "new ASCII" (newc, magic 070701) cpio archive that rpm uses as its payload format
// (https://rpm-software-management.github.io/rpm/manual/format_v4.html, "Payload"; field layout from
// cpio(5)): a 110-byte header of thirteen 8-digit hex fields, the NUL-terminated name padded to 4 bytes,
// then the data padded to 4 bytes; the archive ends with an entry named TRAILER!!!.

import { concat } from './headerWriter.ts';

export interface CpioEntry {
  /** Name as rpm stores it in payloads: "./usr/bin/foo". */
  name: string;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  /** File contents, or the link target for a symlink; empty for directories. */
  data: Uint8Array;
  rdevMajor?: number;
  rdevMinor?: number;
}

const utf8 = new TextEncoder();
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

function entryBytes(e: CpioEntry): Uint8Array[] {
  const name = utf8.encode(e.name);
  if (e.data.length > 0xffffffff) throw new Error(`cpio newc cannot hold ${e.name}: over 4 GiB`);
  const header =
    '070701' +
    [
      e.ino,
      e.mode,
      e.uid,
      e.gid,
      e.nlink,
      e.mtime,
      e.data.length,
      0, // devmajor
      0, // devminor
      e.rdevMajor ?? 0,
      e.rdevMinor ?? 0,
      name.length + 1,
      0, // check: always 0 for newc
    ]
      .map(hex8)
      .join('');
  const nameEnd = 110 + name.length + 1;
  return [utf8.encode(header), name, new Uint8Array(1 + pad4(nameEnd)), e.data, new Uint8Array(pad4(e.data.length))];
}

/** The whole archive (rpm payloads of the demo are small: it is built in memory). */
export function encodeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) parts.push(...entryBytes(e));
  parts.push(
    ...entryBytes({ name: 'TRAILER!!!', ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, data: new Uint8Array(0) }),
  );
  return concat(parts);
}
