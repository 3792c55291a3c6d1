// Integrity checks an .xz stream can carry over each block's uncompressed data (xz-file-format 2.1.1.2:
// 0x00 none, 0x01 CRC32, 0x04 CRC64, 0x0A SHA-256; other IDs are reserved with fixed sizes and skipped).

import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export interface BlockCheck {
  update(data: Uint8Array): void;
  /** The check as stored in the file (little-endian for the CRCs). */
  digest(): Uint8Array;
}

/** Size of the check field for each of the 16 check IDs. */
export function checkSize(id: number): number {
  if (id === 0) return 0;
  return 4 << Math.floor((id - 1) / 3);
}

// CRC64 (ECMA-182 polynomial, reflected 0xC96C5795D7870F42) on two 32-bit halves: BigInt would be ~20x slower.
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ 0xd7870f42) >>> 0;
      hi = (hi ^ 0xc96c5795) >>> 0;
    }
  }
  CRC64_LO[n] = lo;
  CRC64_HI[n] = hi;
}

class Crc64 implements BlockCheck {
  private lo = 0xffffffff;
  private hi = 0xffffffff;
  update(data: Uint8Array): void {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx];
      hi = (hi >>> 8) ^ CRC64_HI[idx];
    }
    this.lo = lo;
    this.hi = hi;
  }
  digest(): Uint8Array {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, ~this.lo >>> 0, true);
    v.setUint32(4, ~this.hi >>> 0, true);
    return out;
  }
}

class Crc32 implements BlockCheck {
  private value = 0;
  update(data: Uint8Array): void {
    this.value = crc32(data, this.value);
  }
  digest(): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, this.value >>> 0, true);
    return out;
  }
}

class Sha256 implements BlockCheck {
  private readonly hash: Hash = createHash('sha256');
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Uint8Array {
    return this.hash.digest();
  }
}

/** A check to compute, or null when the ID has none or one we only skip (reserved IDs). */
export function createCheck(id: number): BlockCheck | null {
  switch (id) {
    case 0x01:
      return new Crc32();
    case 0x04:
      return new Crc64();
    case 0x0a:
      return new Sha256();
    default:
      return null;
  }
}
