// The header parser on headers made to order (the demo's rpm-4.x header encoder, itself cross-checked
// against the real rpm in test/demo): every tag type, regions and entries added at install, and each
// check rpm makes, broken one at a time.
import { describe, expect, it } from 'vitest';
import {
  HeaderType, appendDribbles, bin, chars, encodeRegionHeader, i18n, int16, int32, int64, str, strArray, withMagic,
} from '../../src/demo/headerWriter.ts';
import { parseHeader, parseHeaderBlob } from '../../src/rpm/header.ts';
import { Tag } from '../../src/rpm/tags.ts';

const base = [
  { tag: Tag.NAME, data: str('demo') },
  { tag: Tag.VERSION, data: str('1.0') },
  { tag: Tag.RELEASE, data: str('1') },
  { tag: Tag.SUMMARY, data: i18n('a summary') },
  { tag: Tag.FILESTATES, data: chars([0, 1, 255]) },
  { tag: Tag.FILEMODES, data: int16([0o100644, 0xffff]) },
  { tag: Tag.FILESIZES, data: int32([0, 0xffffffff]) },
  { tag: Tag.LONGFILESIZES, data: int64([0n, 2n ** 40n]) },
  { tag: Tag.BASENAMES, data: strArray(['a', '', 'ü']) },
  { tag: Tag.SIGMD5, data: bin(Uint8Array.of(1, 2, 3)) },
];

function blob(): Uint8Array {
  return encodeRegionHeader(base, 63);
}

/** Offset of index entry `i` (0 = the region entry) in a blob without magic. */
const entryAt = (i: number): number => 8 + 16 * i;
const setU32 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0);
function entryIndex(b: Uint8Array, tag: number): number {
  const dv = new DataView(b.buffer, b.byteOffset);
  for (let i = 0; i < dv.getUint32(0); i++) if (dv.getUint32(entryAt(i)) === tag) return i;
  throw new Error(`no tag ${tag}`);
}

describe('RpmHeader values', () => {
  it('reads every type, unsigned, as rpm prints them', () => {
    const h = parseHeaderBlob(blob());
    expect(h.getString(Tag.NAME)).toBe('demo');
    expect(h.getI18nString(Tag.SUMMARY)).toBe('a summary');
    expect(h.getNumberArray(Tag.FILESTATES)).toEqual([0, 1, 255]);
    expect(h.getNumberArray(Tag.FILEMODES)).toEqual([0o100644, 0xffff]);
    expect(h.getNumberArray(Tag.FILESIZES)).toEqual([0, 0xffffffff]);
    expect(h.getNumberArray(Tag.LONGFILESIZES)).toEqual([0, 2 ** 40]);
    expect(h.getNumber(Tag.LONGFILESIZES)).toBe(0);
    expect(h.getStringArray(Tag.BASENAMES)).toEqual(['a', '', 'ü']);
    expect(h.getString(Tag.BASENAMES)).toBe('a');
    expect([...h.getBinary(Tag.SIGMD5)!]).toEqual([1, 2, 3]);
    expect(h.has(Tag.EPOCH)).toBe(false);
    expect(h.getNumber(Tag.EPOCH)).toBeNull();
    expect(h.getStringArray(Tag.DIRNAMES)).toEqual([]);
    expect(h.tags().sort()).toEqual(base.map((e) => e.tag).sort());
    expect(h.region).toEqual({ tag: 63, indexCount: base.length + 1, dataLength: h.dataLength });
  });

  it('wrong-type reads and INT64 beyond 2^53 are RpmFormatError', () => {
    const h = parseHeaderBlob(encodeRegionHeader([...base.slice(0, 3), { tag: Tag.LONGSIZE, data: int64([2n ** 60n]) }], 63));
    expect(() => h.getNumber(Tag.NAME)).toThrow(expect.objectContaining({ code: 'YV_RPM_FORMAT' }));
    expect(() => h.getNumber(Tag.LONGSIZE)).toThrow(/beyond 2\^53/);
    const h2 = parseHeaderBlob(blob());
    expect(() => h2.getString(Tag.FILESIZES)).toThrow(/expected a string/);
    expect(() => h2.getBinary(Tag.NAME)).toThrow(/expected binary/);
  });

  it('the package form and the rpmdb form parse to the same values; the magic form is headerBytes', () => {
    const b = blob();
    const pkgForm = withMagic(b);
    const framed = new Uint8Array(pkgForm.length + 10);
    framed.set(pkgForm, 5);
    const h = parseHeader(framed, 5);
    expect(h.headerBytes).toEqual(pkgForm);
    expect(h.immutableBytes()).toEqual(pkgForm);
    expect(parseHeaderBlob(b).immutableBytes()).toEqual(pkgForm);
    expect(h.getStringArray(Tag.BASENAMES)).toEqual(parseHeaderBlob(b).getStringArray(Tag.BASENAMES));
    // An rpmdb slot may be longer than the blob: trailing bytes are not part of it.
    expect(parseHeaderBlob(Uint8Array.from([...b, 9, 9, 9])).byteLength).toBe(b.length);
  });

  it('entries added at install replace region entries; immutableBytes cuts them back out', () => {
    const b = blob();
    const installed = appendDribbles(b, [
      { tag: Tag.NAME, data: str('renamed') },
      { tag: Tag.INSTALLTIME, data: int32([1_700_000_000]) },
    ]);
    const h = parseHeaderBlob(installed);
    expect(h.getString(Tag.NAME)).toBe('renamed');
    expect(h.getNumber(Tag.INSTALLTIME)).toBe(1_700_000_000);
    expect(h.region!.indexCount).toBe(base.length + 1);
    expect(h.indexCount).toBe(base.length + 3);
    expect(h.immutableBytes()).toEqual(withMagic(b));
    expect(parseHeader(h.immutableBytes()).getString(Tag.NAME)).toBe('demo');
  });

  it('a header without a region (rpm 3 era) reads whole', () => {
    const b = encodeRegionHeader(base, 63);
    // Drop the region entry and the trailer: il - 1 entries, the data without its last 16 bytes, and
    // every offset is still right because the region's data came first.
    const dv = new DataView(b.buffer);
    const il = dv.getUint32(0);
    const dl = dv.getUint32(4);
    const legacy = new Uint8Array(8 + 16 * (il - 1) + dl - 16);
    const ldv = new DataView(legacy.buffer);
    ldv.setUint32(0, il - 1);
    ldv.setUint32(4, dl - 16);
    legacy.set(b.subarray(8 + 16, 8 + 16 * il), 8);
    legacy.set(b.subarray(8 + 16 * il, 8 + 16 * il + dl - 16), 8 + 16 * (il - 1));
    const h = parseHeaderBlob(legacy);
    expect(h.region).toBeNull();
    expect(h.getString(Tag.NAME)).toBe('demo');
    expect(h.immutableBytes()).toEqual(withMagic(legacy));
  });
});

describe('RpmHeader checks (rpm hdrblobVerifyInfo / hdrblobVerifyRegion)', () => {
  const broken: [string, (b: Uint8Array) => void, RegExp][] = [
    ['no entries', (b) => setU32(b, 0, 0), /index count 0/],
    ['index count past the data', (b) => setU32(b, 0, 0xffff), /truncated/],
    ['data length past the end', (b) => setU32(b, 4, new DataView(b.buffer).getUint32(4) + 1), /truncated/],
    ['misaligned INT32', (b) => setU32(b, entryAt(entryIndex(b, Tag.FILESIZES)) + 8, new DataView(b.buffer).getUint32(entryAt(entryIndex(b, Tag.FILESIZES)) + 8) + 1), /misaligned|overlaps/],
    ['STRING with count 2', (b) => setU32(b, entryAt(entryIndex(b, Tag.NAME)) + 12, 2), /runs past|overlaps/],
    ['unknown type 10', (b) => setU32(b, entryAt(entryIndex(b, Tag.NAME)) + 4, 10), /unknown type 10/],
    ['type NULL', (b) => setU32(b, entryAt(entryIndex(b, Tag.NAME)) + 4, HeaderType.NULL), /unknown type 0/],
    ['count 0', (b) => setU32(b, entryAt(entryIndex(b, Tag.FILESIZES)) + 12, 0), /count 0/],
    ['reserved tag number', (b) => setU32(b, entryAt(entryIndex(b, Tag.NAME)), 50), /reserved tag/],
    ['offset outside the data', (b) => setU32(b, entryAt(entryIndex(b, Tag.SIGMD5)) + 8, 0x7fffff00), /outside data|overlaps/],
    ['array count running into the trailer', (b) => setU32(b, entryAt(entryIndex(b, Tag.SIGMD5)) + 12, 100), /runs past|trailer/],
    ['region trailer of another tag', (b) => {
      const dv = new DataView(b.buffer);
      setU32(b, 8 + 16 * dv.getUint32(0) + dv.getUint32(entryAt(0) + 8), 62);
    }, /trailer does not match/],
    ['region trailer claiming too many entries', (b) => {
      const dv = new DataView(b.buffer);
      setU32(b, 8 + 16 * dv.getUint32(0) + dv.getUint32(entryAt(0) + 8) + 8, -16 * 1000);
    }, /claims 1000 entries/],
    ['region entry that is not BIN/16', (b) => setU32(b, entryAt(0) + 12, 17), /region tag 63/],
  ];
  for (const [name, breakIt, message] of broken) {
    it(name, () => {
      const b = blob();
      breakIt(b);
      expect(() => parseHeaderBlob(b)).toThrow(expect.objectContaining({ code: 'YV_RPM_FORMAT', message: expect.stringMatching(message) }));
    });
  }

  it('an unterminated last string', () => {
    const b = encodeRegionHeader([{ tag: Tag.NAME, data: str('x') }], 63);
    // Point NAME at the trailer's last byte... which is inside the trailer: refused either way.
    setU32(b, entryAt(1) + 8, new DataView(b.buffer).getUint32(4) - 1);
    expect(() => parseHeaderBlob(b)).toThrow(expect.objectContaining({ code: 'YV_RPM_FORMAT' }));
    const legacy = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0x03, 0xe8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 0x61, 0x62, 0x63]);
    expect(() => parseHeaderBlob(legacy)).toThrow(/runs past the end/);
    legacy[26] = 0;
    expect(parseHeaderBlob(legacy).getString(Tag.NAME)).toBe('ab');
  });

  it('magic and truncation in the package form', () => {
    const pkgForm = withMagic(blob());
    expect(() => parseHeader(pkgForm.subarray(0, 10))).toThrow(/truncated/);
    expect(() => parseHeader(pkgForm.subarray(0, pkgForm.length - 1))).toThrow(/truncated/);
    const bad = Uint8Array.from(pkgForm);
    bad[2] = 0;
    expect(() => parseHeader(bad)).toThrow(/magic/);
  });
});
