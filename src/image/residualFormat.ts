// residual.zst, format version 1. The file is one zstd frame sequence (node:zlib) over this body:
//
//   magic  "YVRESID" 0x01                      (8 bytes; the last byte is the format version)
//   record*                                    each starts with an op byte:
//     0x01 RAW   len:uvarint bytes[len]        archive bytes verbatim (inline file data, trailer); len <= 1 MiB
//     0x02 ZERO  len:uvarint                   len zero bytes (padding, end-of-archive blocks, record fill)
//     0x03 REF   pkg:uvarint size:uvarint dlen:uvarint digest[dlen] plen:uvarint path[plen]
//                                              a regular file's data: the file of package `pkg` (index into
//                                              manifest.packages) whose content digest (the header's
//                                              FILEDIGESTALGO, raw bytes) is `digest`, `size` bytes; `path`
//                                              is its path in that package (UTF-8), used when upgrading
//     0x04 HDR   len:uvarint bytes[len]        one tar entry's raw header bytes (extended headers, the header
//                                              block, GNU sparse blocks); its data records follow it
//     0x7f END   size:uvarint sha256[32]       the whole image: its size and sha256 (must match the manifest)
//
// uvarint: unsigned LEB128, at most 8 bytes (values < 2^53). Concatenating every record's bytes in order
// (RAW/HDR as given, ZERO as zeros, REF as the package file) gives the image tar byte for byte.

export const RESIDUAL_MAGIC = Uint8Array.of(0x59, 0x56, 0x52, 0x45, 0x53, 0x49, 0x44, 0x01); // "YVRESID\x01"
export const Op = { RAW: 0x01, ZERO: 0x02, REF: 0x03, HDR: 0x04, END: 0x7f } as const;
/** RAW and HDR records are cut at this size so a reader never holds more. HDR is bounded by the tar walker (1 MiB + blocks). */
export const MAX_RAW = 1 << 20;
export const MAX_HDR = (1 << 20) * 4;

export type ResidualRecord =
  | { op: 'raw'; bytes: Uint8Array }
  | { op: 'zero'; size: number }
  | { op: 'ref'; pkg: number; size: number; digest: string; path: string }
  | { op: 'hdr'; bytes: Uint8Array }
  | { op: 'end'; size: number; sha256: string };

export function encodeUvarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint out of range: ${n}`);
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}
