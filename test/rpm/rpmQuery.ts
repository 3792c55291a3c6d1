// What the real rpm says about a package: one `rpm -qp --qf` run prints the package fields and one line
// per file, parsed into the shapes packageInfo / `inspect rpm --json` produce, so tests compare whole
// objects. rpm prints "(none)" for absent tags; those become our defaults ("" / null / 0).
import { execFileSync } from 'node:child_process';

const PKG_FIELDS = ['NAME', 'EPOCHNUM', 'VERSION', 'RELEASE', 'ARCH', 'SOURCERPM', 'PAYLOADCOMPRESSOR', 'PAYLOADFORMAT',
  'FILEDIGESTALGO', 'SHA256HEADER', 'SIGMD5', 'SUMMARY', 'URL', 'LICENSE', 'BUILDHOST', 'BUILDTIME', 'LONGSIZE', 'LONGARCHIVESIZE'];
const FILE_FIELDS = ['FILENAMES', 'FILEDIGESTS', 'LONGFILESIZES', 'FILEMODES', 'FILEFLAGS', 'FILEUSERNAME', 'FILEGROUPNAME',
  'FILELINKTOS', 'FILEMTIMES', 'FILEINODES', 'FILEDEVICES', 'FILERDEVS', 'FILECAPS'];

export interface RpmQueryFile {
  path: string;
  digest: string;
  size: number;
  mode: number;
  flags: number;
  user: string;
  group: string;
  linkTo: string;
  mtime: number;
  inode: number;
  device: number;
  rdev: number;
  caps: string;
}

export interface RpmQuery {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string | null;
  /** As rpm reads it: an absent tag means gzip (lib/psm.c, rpm2cpio). */
  payloadCompressor: string;
  payloadFormat: string;
  digestAlgoNumber: number | null;
  sha256Header: string | null;
  sigmd5: string | null;
  summary: string;
  url: string;
  license: string;
  buildHost: string;
  buildTime: number;
  size: number;
  archiveSize: number | null;
  files: RpmQueryFile[];
}

const none = (s: string): string | null => (s === '(none)' ? null : s);

/** `rpm -qp --qf FORMAT` for one package file: what the real rpm says. */
export function rpmQueryFormat(path: string, format: string): string {
  return execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', format, path], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function rpmQuery(path: string): RpmQuery {
  const qf = `${PKG_FIELDS.map((f) => `%{${f}}`).join('\\t')}\\n[${FILE_FIELDS.map((f) => `%{${f}}`).join('\\t')}\\n]`;
  const out = rpmQueryFormat(path, qf);
  const [head, ...lines] = out.split('\n');
  const p = head!.split('\t');
  const num = (s: string): number => Number(s);
  return {
    name: p[0]!,
    epoch: num(p[1]!),
    version: p[2]!,
    release: p[3]!,
    arch: p[4]!,
    sourceRpm: none(p[5]!),
    payloadCompressor: none(p[6]!) ?? 'gzip',
    payloadFormat: none(p[7]!) ?? 'cpio',
    digestAlgoNumber: none(p[8]!) === null ? null : num(p[8]!),
    sha256Header: none(p[9]!),
    sigmd5: none(p[10]!),
    summary: p[11]!,
    url: none(p[12]!) ?? '',
    license: none(p[13]!) ?? '',
    buildHost: none(p[14]!) ?? '',
    buildTime: num(none(p[15]!) ?? '0'),
    size: num(none(p[16]!) ?? '0'),
    archiveSize: none(p[17]!) === null ? null : num(p[17]!),
    files: lines.filter((l) => l !== '').map((l) => {
      const f = l.split('\t');
      return {
        path: f[0]!,
        digest: f[1]!,
        size: num(f[2]!),
        mode: num(f[3]!),
        flags: num(f[4]!),
        user: f[5]!,
        group: f[6]!,
        linkTo: f[7]!,
        mtime: num(f[8]!),
        inode: num(f[9]!),
        device: num(f[10]!),
        rdev: num(f[11]!),
        caps: none(f[12]!) ?? '',
      };
    }),
  };
}
