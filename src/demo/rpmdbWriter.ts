// Writes an rpmdb.sqlite as rpm 4.18's sqlite backend does (lib/backend/sqlite.c, lib/rpmdb.c), so the
// demo can make an image without rpm: table Packages(hnum, blob) plus one index table per indexed tag, with
// the exact DDL rpm runs (copied from a database the real rpm 4.18 wrote here; see test/demo/rpmdbWriter.test.ts).
// Each blob is the package's main header as installed: its immutable region byte for byte, then the tags
// rpm adds outside it (signature values merged by headerMergeLegacySigs, INSTALLTIME, FILESTATES,
// INSTALLCOLOR, INSTALLTID), as rpm's headerExport lays them out.

import { rename, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tempPathFor, fsyncDir } from '../util/fs.ts';
import { appendDribbles, bin, chars, int32, int64, str, type HeaderEntry } from './headerWriter.ts';
import { parseHeaderBlob, type RpmHeader } from '../rpm/header.ts';
import { parseRpmPackageBytes } from '../rpm/package.ts';
import { Sense, SigTag, Tag, TagType } from '../rpm/tags.ts';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RpmdbWriteOptions {
  /** INSTALLTID and the base of INSTALLTIME (seconds). Fixed default: the output never depends on the clock. */
  installTime?: number;
  /** INSTALLCOLOR: rpm's transaction color (3 on x86_64 hosts, where rpm records both 32- and 64-bit). */
  installColor?: number;
}

// File trigger tags (rpmtag.h) that src/rpm/tags.ts does not list: only their index tables matter here.
const FILETRIGGERNAME = 5069;
const TRANSFILETRIGGERNAME = 5079;

/** Index tables in the order rpm creates them, with the key column type and which indexes rpm adds. */
const INDEXES: ReadonlyArray<{ table: string; tag: number; keyType: 'TEXT' | 'BLOB'; keyIdx: boolean; hnumIdx: boolean }> = [
  { table: 'Name', tag: Tag.NAME, keyType: 'TEXT', keyIdx: true, hnumIdx: false },
  { table: 'Basenames', tag: Tag.BASENAMES, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Group', tag: Tag.GROUP, keyType: 'TEXT', keyIdx: true, hnumIdx: false },
  { table: 'Requirename', tag: Tag.REQUIRENAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Providename', tag: Tag.PROVIDENAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Conflictname', tag: Tag.CONFLICTNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Obsoletename', tag: Tag.OBSOLETENAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Triggername', tag: Tag.TRIGGERNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Dirnames', tag: Tag.DIRNAMES, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Installtid', tag: Tag.INSTALLTID, keyType: 'BLOB', keyIdx: false, hnumIdx: false },
  { table: 'Sigmd5', tag: Tag.SIGMD5, keyType: 'BLOB', keyIdx: false, hnumIdx: false },
  { table: 'Sha1header', tag: Tag.SHA1HEADER, keyType: 'TEXT', keyIdx: true, hnumIdx: false },
  { table: 'Filetriggername', tag: FILETRIGGERNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Transfiletriggername', tag: TRANSFILETRIGGERNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Recommendname', tag: Tag.RECOMMENDNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Suggestname', tag: Tag.SUGGESTNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Supplementname', tag: Tag.SUPPLEMENTNAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
  { table: 'Enhancename', tag: Tag.ENHANCENAME, keyType: 'TEXT', keyIdx: true, hnumIdx: true },
];

// Requires that only matter while installing (rpmlib(), scriptlet prerequisites) stay out of the
// Requirename index: rpmdb.c's isTransientReq.
// Sense bits src/rpm/tags.ts does not name (rpmds.h).
const SENSE_PRETRANS = 1 << 7;
const SENSE_POSTTRANS = 1 << 5;
const SENSE_KEYRING = 1 << 26;
const INSTALL_ONLY = Sense.SCRIPT_PRE | Sense.SCRIPT_POST | Sense.RPMLIB | SENSE_KEYRING | SENSE_PRETRANS | SENSE_POSTTRANS;
const ERASE_ONLY = Sense.SCRIPT_PREUN | Sense.SCRIPT_POSTUN;
const isTransientReq = (flags: number): boolean => (flags & INSTALL_ONLY) !== 0 && (flags & ERASE_ONLY) === 0;

/** The blob rpm stores for one installed package (header without magic). */
export function installedHeaderBlob(pkg: Uint8Array, installTime: number, installTid: number, installColor: number): Uint8Array {
  const { signature, header: main } = parseRpmPackageBytes(pkg, false);
  const extra: HeaderEntry[] = [];
  const sigSize = signature.getNumberArray(SigTag.SIZE);
  const longSigSize = signature.getNumberArray(SigTag.LONGSIZE);
  const md5 = signature.getBinary(SigTag.MD5);
  const sha1 = signature.getStringArray(SigTag.SHA1);
  const sha256 = signature.getStringArray(SigTag.SHA256);
  const payloadSize = signature.getNumberArray(SigTag.PAYLOADSIZE);
  const longPayloadSize = signature.getNumberArray(SigTag.LONGARCHIVESIZE);
  if (sigSize.length) extra.push({ tag: Tag.SIGSIZE, data: int32(sigSize) });
  if (longSigSize.length) extra.push({ tag: Tag.LONGSIGSIZE, data: int64(longSigSize.map(BigInt)) });
  if (md5) extra.push({ tag: Tag.SIGMD5, data: bin(md5) });
  if (sha1.length) extra.push({ tag: Tag.SHA1HEADER, data: str(sha1[0]!) });
  if (sha256.length) extra.push({ tag: Tag.SHA256HEADER, data: str(sha256[0]!) });
  if (payloadSize.length) extra.push({ tag: Tag.ARCHIVESIZE, data: int32(payloadSize) });
  if (longPayloadSize.length) extra.push({ tag: Tag.LONGARCHIVESIZE, data: int64(longPayloadSize.map(BigInt)) });
  const fileCount = main.entry(Tag.BASENAMES)?.count ?? 0;
  extra.push({ tag: Tag.INSTALLTIME, data: int32([installTime]) });
  if (fileCount > 0) extra.push({ tag: Tag.FILESTATES, data: chars(new Array<number>(fileCount).fill(0)) });
  extra.push({ tag: Tag.INSTALLCOLOR, data: int32([installColor]) }, { tag: Tag.INSTALLTID, data: int32([installTid]) });
  // The stored blob is the package's main header without its 8-byte magic, then the install-time entries.
  return appendDribbles(main.headerBytes.subarray(8), extra);
}

/** Index values of a string tag; an I18NSTRING is indexed by its C-locale (first) value only. */
function indexStrings(h: RpmHeader, tag: number): string[] {
  const e = h.entry(tag);
  if (!e) return [];
  return e.type === TagType.I18NSTRING ? h.getStringArray(tag).slice(0, 1) : h.getStringArray(tag);
}

function indexKeys(h: RpmHeader, tag: number): Array<{ key: string | Uint8Array; idx: number }> {
  if (tag === Tag.INSTALLTID) {
    // Integer keys are stored in host byte order (td2key hands sqlite the raw value): little-endian here.
    const v = h.getNumber(tag) ?? undefined;
    if (v === undefined) return [];
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, v, true);
    return [{ key, idx: 0 }];
  }
  if (tag === Tag.SIGMD5) {
    const md5 = h.getBinary(tag);
    return md5 ? [{ key: md5, idx: 0 }] : [];
  }
  let values = indexStrings(h, tag);
  if (tag === Tag.GROUP && values.length === 0) values = ['Unknown']; // rpmdb.c keeps this legacy key
  const flags = tag === Tag.REQUIRENAME ? h.getNumberArray(Tag.REQUIREFLAGS) : [];
  const out: Array<{ key: string; idx: number }> = [];
  values.forEach((v, i) => {
    if (tag === Tag.REQUIRENAME && isTransientReq(flags[i] ?? 0)) return;
    if (tag === Tag.TRIGGERNAME && values.indexOf(v) < i) return;
    if (v === '' || v.startsWith('(')) return; // rich dependencies are indexed by their parts; the demo writes none
    out.push({ key: v, idx: i });
  });
  return out;
}

/**
 * Writes `target` (an rpmdb.sqlite) holding `packages` (package file bytes) installed in that order,
 * atomically: nothing appears at `target` unless the whole database was written.
 */
export async function writeRpmdb(target: string, packages: readonly Uint8Array[], opts: RpmdbWriteOptions = {}): Promise<void> {
  const installTime = opts.installTime ?? 1_700_000_100;
  const installColor = opts.installColor ?? 3;
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const db = new DatabaseSync(tmp);
    try {
      // rpm's own settings (sqlite_init): WAL journal, so the file header says so as rpm's do.
      db.exec('PRAGMA secure_delete = OFF');
      db.exec('PRAGMA journal_mode = WAL');
      db.exec("CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
      for (const ix of INDEXES) {
        db.exec(
          `CREATE TABLE IF NOT EXISTS '${ix.table}' (key '${ix.keyType}' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))`,
        );
        if (ix.keyIdx) db.exec(`CREATE INDEX IF NOT EXISTS '${ix.table}_key_idx' ON '${ix.table}'(key ASC)`);
        if (ix.hnumIdx) db.exec(`CREATE INDEX IF NOT EXISTS '${ix.table}_hnum_idx' ON '${ix.table}'(hnum ASC)`);
      }
      db.exec('BEGIN');
      const putPkg = db.prepare("INSERT INTO 'Packages' VALUES(?, ?)");
      const puts = new Map(INDEXES.map((ix) => [ix.table, db.prepare(`INSERT INTO '${ix.table}' VALUES(?, ?, ?)`)]));
      packages.forEach((pkg, i) => {
        const hnum = i + 1;
        const blob = installedHeaderBlob(pkg, installTime + i, installTime, installColor);
        putPkg.run(hnum, blob);
        const h = parseHeaderBlob(blob);
        for (const ix of INDEXES) {
          for (const { key, idx } of indexKeys(h, ix.tag)) puts.get(ix.table)!.run(key, hnum, idx);
        }
      });
      db.exec('COMMIT');
      db.exec('PRAGMA wal_checkpoint = TRUNCATE');
    } finally {
      db.close();
    }
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
    await rename(tmp, target);
    await fsyncDir(dirname(target));
  } catch (e) {
    await rm(tmp, { force: true });
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
    throw e;
  }
}
