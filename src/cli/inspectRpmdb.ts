// `yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]`: which rpm database an image or root holds, and the
// packages in it. Argument parsing and printing only; the reading is src/rpmdb.

import { stat } from 'node:fs/promises';
import { RpmdbError } from '../errors.ts';
import { prepareImage } from '../image/imageInput.ts';
import { openTarImage } from '../image/imageReader.ts';
import type { RpmdbLocation } from '../rpmdb/index.ts';
import { listRpmdb, type RpmdbListing } from '../rpmdb/listing.ts';
import { isBerkeleyDb } from '../rpmdb/bdb.ts';
import { isNdb } from '../rpmdb/ndb.ts';
import { isSqlite } from '../rpmdb/sqlite.ts';
import { parseArgs } from '../util/args.ts';
import { readFileHead } from '../util/fs.ts';
import type { CliIo } from './io.ts';

const HELP = `usage: yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]

Reads the rpm database (sqlite rpmdb.sqlite, ndb Packages.db or BerkeleyDB Packages) of a root directory,
a tar image (plain, gzip, zstd, xz, bzip2), or a database file, and lists the installed packages.
  --json   print {backend, path, packages: [{name, epoch, version, release, arch, fileCount}]}
`;

/**
 * What the argument names: a root or database directory, a database file, or an image (a tar, plain or
 * compressed: src/image inflates a compressed one once to a temp file and reads the tar in place).
 */
async function locationOf(arg: string): Promise<{ location: RpmdbLocation; cleanup: () => Promise<void> }> {
  const none = async () => {};
  let st;
  try {
    st = await stat(arg);
  } catch {
    throw new RpmdbError(`${arg}: no such file or directory`);
  }
  if (st.isDirectory()) return { location: arg, cleanup: none };
  const head = await readFileHead(arg, 16);
  if (isSqlite(head) || isNdb(head) || isBerkeleyDb(head)) return { location: arg, cleanup: none };
  const image = await prepareImage(arg);
  return { location: openTarImage(image.tarPath), cleanup: image.cleanup };
}

function table(listing: RpmdbListing): string {
  const rows = listing.packages.map((p) => [p.name, p.epoch ? `${p.epoch}:` : '', p.version, p.release, p.arch, String(p.fileCount)]);
  const head = ['NAME', 'EPOCH', 'VERSION', 'RELEASE', 'ARCH', 'FILES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [`${listing.backend} database ${listing.path}: ${listing.packages.length} package${listing.packages.length === 1 ? '' : 's'}`];
  if (rows.length > 0) lines.push(line(head), ...rows.map(line));
  return `${lines.join('\n')}\n`;
}

export async function runInspectRpmdb(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const args = parseArgs(argv, { flags: ['json'], positionals: [1, 1] }, 'inspect rpmdb');
  const { location, cleanup } = await locationOf(args.positionals[0]!);
  let listing: RpmdbListing;
  try {
    listing = await listRpmdb(location);
  } finally {
    await cleanup();
  }
  io.stdout(args.flags.has('json') ? `${JSON.stringify(listing)}\n` : table(listing));
  return 0;
}
