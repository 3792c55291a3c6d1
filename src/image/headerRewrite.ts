// When restore puts an upgraded build's file where the original was, its size may differ: the entry's
// header must then say the new size. Only the size changes (mode, owner, mtime stay as the image had
// them); the pax 'size' record is rewritten when the entry has one, else the header block's size field
// (octal, or GNU base-256 past 8 GiB), and every checksum is recomputed.

import { TarFormatError } from '../errors.ts';
import { BLOCK, parseHeaderBlock, parsePaxRecords } from './tarHeader.ts';

function setChecksum(b: Uint8Array): void {
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  const s = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) b[148 + i] = s.charCodeAt(i);
  b[154] = 0;
  b[155] = 0x20;
}

function setSize(b: Uint8Array, size: number): void {
  if (size < 8 ** 11) {
    const s = size.toString(8).padStart(11, '0');
    for (let i = 0; i < 11; i++) b[124 + i] = s.charCodeAt(i);
    b[135] = 0;
  } else {
    b[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      b[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  setChecksum(b);
}

function paxRecord(key: string, value: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

const padTo = (n: number) => (BLOCK - (n % BLOCK)) % BLOCK;

/** The entry header bytes with its size set to `size`. */
export function rewriteEntrySize(header: Uint8Array, size: number): Uint8Array {
  const out: Uint8Array[] = [];
  let pos = 0;
  let paxHasSize = false;
  while (pos + BLOCK <= header.length) {
    const block = Uint8Array.prototype.slice.call(header.subarray(pos, pos + BLOCK));
    const f = parseHeaderBlock(block, pos);
    pos += BLOCK;
    if (f.typeflag === 'x' || f.typeflag === 'L' || f.typeflag === 'K') {
      const data = header.subarray(pos, pos + f.size);
      pos += f.size + padTo(f.size);
      if (f.typeflag === 'x') {
        const records = parsePaxRecords(data, pos);
        if (records.has('size')) {
          paxHasSize = true;
          records.set('size', Buffer.from(String(size)));
          const newData = Buffer.concat([...records].map(([k, v]) => paxRecord(k, v)));
          setSize(block, newData.length);
          out.push(block, newData, new Uint8Array(padTo(newData.length)));
          continue;
        }
      }
      out.push(block, header.subarray(pos - f.size - padTo(f.size), pos));
      continue;
    }
    // The entry's own header block: the last one for a regular file.
    if (pos !== header.length) throw new TarFormatError('cannot rewrite the size of an entry with blocks after its header');
    if (paxHasSize) {
      // The pax record rules; keep the block's field as the writer had it unless it can hold the size.
      if (size < 8 ** 11) setSize(block, size);
    } else {
      setSize(block, size);
    }
    out.push(block);
  }
  return Buffer.concat(out);
}
