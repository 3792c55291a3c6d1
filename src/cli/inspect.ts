// `yumvault inspect rpm FILE [--json]` and `yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]`
// (the latter lives in inspectRpmdb.ts). This file only parses arguments and formats what src/rpm reads.

import { UsageError } from '../errors.ts';
import { packageInfo, type RpmPackageInfo } from '../rpm/info.ts';
import { readRpmPackage } from '../rpm/package.ts';
import { FileFlags, type RpmFile } from '../rpm/types.ts';
import { parseArgs } from '../util/args.ts';
import type { CliIo } from './io.ts';

const USAGE = `usage: yumvault inspect rpm FILE [--json]
       yumvault inspect rpmdb ROOT_DIR_OR_IMAGE [--json]

  rpm     the package's NEVRA, source rpm, payload compressor, header sha256 and every file
  rpmdb   the installed packages of a root directory or image (sqlite, BerkeleyDB or ndb)
`;

export async function runInspect(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub ? io.stdout : io.stderr)(USAGE);
    return sub ? 0 : 2;
  }
  if (sub === 'rpm') return runInspectRpm(rest, io);
  if (sub === 'rpmdb') {
    const { runInspectRpmdb } = await import('./inspectRpmdb.ts');
    return runInspectRpmdb(rest, io);
  }
  throw new UsageError(`inspect: unknown subject '${sub}' (rpm or rpmdb)`);
}

/** The `--json` shape: a contract that outside tests drive. */
export interface InspectRpmJson {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string | null;
  payloadCompressor: string;
  headerSha256: string;
  /** Exactly these fields of each file, in this order (the JSON contract). */
  files: Pick<RpmFile, 'path' | 'digest' | 'digestAlgo' | 'size' | 'mode' | 'flags' | 'user' | 'group' | 'linkTo' | 'mtime'>[];
}

export function inspectRpmJson(info: RpmPackageInfo): InspectRpmJson {
  return {
    name: info.name,
    epoch: info.epoch,
    version: info.version,
    release: info.release,
    arch: info.arch,
    sourceRpm: info.sourceRpm,
    payloadCompressor: info.payloadCompressor,
    headerSha256: info.headerSha256,
    files: info.files.map((f) => ({
      path: f.path,
      digest: f.digest,
      digestAlgo: f.digestAlgo,
      size: f.size,
      mode: f.mode,
      flags: f.flags,
      user: f.user,
      group: f.group,
      linkTo: f.linkTo,
      mtime: f.mtime,
    })),
  };
}

async function runInspectRpm(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseArgs(argv, { flags: ['json'], positionals: [1, 1] }, 'inspect rpm');
  const pkg = await readRpmPackage(args.positionals[0]!);
  const info = packageInfo(pkg.header, pkg.signature);
  const out = inspectRpmJson(info);
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify(out)}\n`);
    return 0;
  }
  io.stdout(formatTable(out, info, pkg.headerStart, pkg.headerEnd));
  return 0;
}

const FLAG_LETTERS: [number, string][] = [
  [FileFlags.CONFIG, 'c'],
  [FileFlags.DOC, 'd'],
  [FileFlags.GHOST, 'g'],
  [FileFlags.LICENSE, 'l'],
  [FileFlags.README, 'r'],
  [FileFlags.MISSINGOK, 'm'],
  [FileFlags.NOREPLACE, 'n'],
  [FileFlags.ARTIFACT, 'a'],
];

function formatTable(p: InspectRpmJson, info: RpmPackageInfo, headerStart: number, headerEnd: number): string {
  const lines = [
    `name               ${p.name}`,
    `epoch              ${p.epoch}`,
    `version            ${p.version}`,
    `release            ${p.release}`,
    `arch               ${p.arch}`,
    `source rpm         ${p.sourceRpm ?? '(none)'}`,
    `payload            ${info.payloadFormat}, ${p.payloadCompressor}`,
    `header sha256      ${p.headerSha256}`,
    `header range       ${headerStart}-${headerEnd}`,
    `files              ${p.files.length}${info.filesError ? ` (file list unreadable: ${info.filesError})` : ''}`,
  ];
  if (p.files.length > 0) {
    const rows = p.files.map((f) => [
      modeString(f.mode),
      `${f.user}/${f.group}`,
      String(f.size),
      FLAG_LETTERS.filter(([bit]) => f.flags & bit).map(([, c]) => c).join('') || '-',
      f.digest ? `${f.digestAlgo}:${f.digest.slice(0, 16)}` : '-',
      f.linkTo ? `${f.path} -> ${f.linkTo}` : f.path,
    ]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    lines.push('');
    for (const r of rows) {
      lines.push(r.map((cell, c) => (c === 1 || c === 3 || c === 4 ? cell.padEnd(widths[c]!) : c === 2 ? cell.padStart(widths[c]!) : cell)).join('  '));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `ls -l` style mode: type letter and rwx bits with setuid/setgid/sticky. */
export function modeString(mode: number): string {
  const types: Record<number, string> = { 0o140000: 's', 0o120000: 'l', 0o100000: '-', 0o060000: 'b', 0o040000: 'd', 0o020000: 'c', 0o010000: 'p' };
  let s = types[mode & 0o170000] ?? '?';
  const bit = (m: number, c: string): string => (mode & m ? c : '-');
  s += bit(0o400, 'r') + bit(0o200, 'w');
  s += mode & 0o4000 ? (mode & 0o100 ? 's' : 'S') : bit(0o100, 'x');
  s += bit(0o040, 'r') + bit(0o020, 'w');
  s += mode & 0o2000 ? (mode & 0o010 ? 's' : 'S') : bit(0o010, 'x');
  s += bit(0o004, 'r') + bit(0o002, 'w');
  s += mode & 0o1000 ? (mode & 0o001 ? 't' : 'T') : bit(0o001, 'x');
  return s;
}
