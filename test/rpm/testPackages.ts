// The packages the rpm tests build with the real rpmbuild: every payload compressor this rpmbuild
// writes, md5/sha1/sha256/sha512 file digests, %config/%ghost/%doc/%license/%lang/%caps, a symlink,
// a hardlink set, character and block devices, setuid, odd names, an epoch, dependencies of each kind
// and a changelog.
import { buildRpm, noiseBytes } from '../fixtures-gen/rpmbuild.ts';
import type { PackageSpec, PayloadCompression, SpecDigestAlgo, SpecFile } from '../fixtures-gen/rpmSpec.ts';

export const COMMON_FILES: SpecFile[] = [
  { path: '/etc/yvt', type: 'dir', mode: 0o750 },
  { path: '/etc/yvt/main.conf', content: 'key = value\n', config: 'noreplace', mode: 0o640, group: 'adm' },
  { path: '/etc/yvt/other.conf', content: 'other\n', config: true },
  { path: '/usr/bin/yvt', content: '#!/bin/sh\necho yvt\n', mode: 0o4755 },
  { path: '/usr/bin/yvt-hard', type: 'hardlink', target: '/usr/bin/yvt', mode: 0o4755 },
  { path: '/usr/bin/yvt-link', type: 'symlink', target: 'yvt' },
  { path: '/usr/lib/yvt/broken-link', type: 'symlink', target: '/nonexistent/target' },
  { path: '/usr/share/doc/yvt/README', content: 'read me\n', doc: true },
  { path: '/usr/share/licenses/yvt/COPYING', content: 'MIT\n', license: true },
  { path: '/usr/share/yvt/empty', content: '' },
  { path: '/usr/share/yvt/name with spaces.txt', content: 'spaces\n', mtime: 1_600_000_000 },
  { path: '/usr/share/yvt/ünïcödé', content: 'utf-8 name\n' },
  { path: '/usr/share/yvt/binary.bin', content: Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 0xff) },
  { path: '/var/log/yvt.log', ghost: true, mode: 0o600 },
  { path: '/var/lib/yvt', type: 'dir', ghost: true },
  { path: '/usr/sbin/yvt-ping', content: 'ping\n', mode: 0o755, caps: 'cap_net_raw=ep' },
  { path: '/usr/share/locale/de/LC_MESSAGES/yvt.mo', content: 'de\n', lang: 'de' },
  { path: '/dev/yvt-null', type: 'device', device: { kind: 'c', major: 1, minor: 3 }, mode: 0o666 },
  { path: '/dev/yvt-disk', type: 'device', device: { kind: 'b', major: 8, minor: 17 }, mode: 0o660, group: 'disk' },
];

export function matrixSpec(compression: PayloadCompression, digestAlgo: SpecDigestAlgo): PackageSpec {
  return {
    name: `yvt-${compression}-${digestAlgo}`,
    epoch: compression === 'xz' ? 7 : undefined,
    version: '2.4~rc1',
    release: '3.el9',
    summary: `yumvault ${compression}/${digestAlgo} test package`,
    url: 'https://example.invalid/yvt',
    license: 'MIT and BSD',
    compression,
    digestAlgo,
    files: COMMON_FILES,
    requires: ['/bin/sh', 'bash >= 4.0', 'coreutils'],
    provides: ['yvt-capability = 1:2.0-3', 'config(yvt)'],
    conflicts: ['yvt-old < 2'],
    obsoletes: ['yvt-ancient <= 1.0-1'],
    recommends: ['yvt-extras'],
    suggests: ['yvt-docs > 1'],
    supplements: ['yvt-base'],
    enhances: ['yvt-tools'],
    changelog: [
      { date: 'Tue Jan 02 2024', author: 'Second <b@example.invalid>', evr: '2.4~rc1-3', text: '- second entry' },
      { date: 'Mon Jan 01 2024', author: 'First <a@example.invalid>', evr: '1.0-1', text: '- first entry\n- with two lines' },
    ],
  };
}

/** [compression, digest] pairs the matrix builds. bzip2 and lzma are written by this rpmbuild too. */
export const MATRIX: [PayloadCompression, SpecDigestAlgo][] = [
  ['gzip', 'md5'],
  ['xz', 'sha256'],
  ['zstd', 'sha256'],
  ['bzip2', 'sha1'],
  ['lzma', 'sha512'],
  ['none', 'sha256'],
];

/** Builds (or finds cached) every matrix package, two at a time (the machine has two cores). */
export async function buildMatrix(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...MATRIX];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      out.set(`${next[0]}-${next[1]}`, await buildRpm(matrixSpec(next[0], next[1])));
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** Half noise, half repeated text, in 4 KiB blocks: a payload file that compresses like a binary. */
function binaryLike(size: number): Buffer {
  const out = noiseBytes(size, 'binary-like');
  const text = Buffer.from('ELF-ish section of repeated text '.repeat(200));
  for (let at = 0; at < size; at += 8192) text.copy(out, at, 0, Math.min(4096, size - at));
  return out;
}

/**
 * The payload tests' package: every kind of file a payload carries (text, binary, empty, odd sizes,
 * symlinks, a 3-way hardlink set, directories, %ghost, %config, %doc, a name with spaces). `blobSize`
 * sets the size of its incompressible file.
 */
export function payloadSpec(compression: PayloadCompression, blobSize = 300_000): PackageSpec {
  const name = `payload-${compression}`;
  const share = `/usr/share/${name}`;
  return {
    name,
    summary: 'payload test package',
    description: 'Every kind of file a payload carries.',
    compression,
    digestAlgo: 'sha256',
    files: [
      { path: `/usr/bin/${name}`, content: 'echo hello\n', mode: 0o755 },
      { path: share, type: 'dir' },
      { path: `${share}/blob.bin`, content: noiseBytes(blobSize, `blob-${blobSize}`) },
      { path: `${share}/partial`, content: binaryLike(1_234_567) },
      { path: `${share}/empty`, content: '' },
      { path: `${share}/one`, content: 'x' },
      { path: `${share}/with space`, content: 'abcde' },
      { path: `${share}/text.txt`, content: Array.from({ length: 3000 }, (_, i) => `line ${i + 1} of the text file\n`).join('') },
      { path: `${share}/h1`, content: 'linked content\n' },
      { path: `${share}/h2`, type: 'hardlink', target: `${share}/h1` },
      { path: `${share}/h3`, type: 'hardlink', target: `${share}/h1` },
      { path: `${share}/link`, type: 'symlink', target: 'text.txt' },
      { path: `${share}/abslink`, type: 'symlink', target: `/usr/bin/${name}` },
      { path: `/etc/${name}/${name}.conf`, content: 'key=value\n', config: 'noreplace' },
      { path: `/usr/share/doc/${name}/README`, content: 'readme\n', doc: true },
      { path: `/var/lib/${name}`, type: 'dir' },
      { path: `/var/lib/${name}/state`, ghost: true },
    ],
  };
}

export const PAYLOAD_COMPRESSIONS: PayloadCompression[] = ['gzip', 'xz', 'zstd', 'bzip2', 'lzma', 'none'];

/** Builds (or finds cached) the payload package for each compressor, two at a time; path by compressor. */
export async function buildPayloadPackages(names = PAYLOAD_COMPRESSIONS, blobSize = 300_000): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) out[c] = await buildRpm(payloadSpec(c, blobSize));
  };
  await Promise.all([worker(), worker()]);
  return out;
}
