// The demo's small, fictional distribution: a handful of packages, each with a series of builds, whose
// file contents are derived from their names (no randomness, no clock), so every run and every machine
// generates byte-identical packages. Between builds most files change (binaries are rebuilt) and a few do
// not (licenses), as in real updates.

import { createCipheriv, createHash } from 'node:crypto';
import type { RpmFileSpec, RpmSpec } from './rpmWriter.ts';

/** Builds of every package in publication order: [version, release]. */
export const DEMO_BUILDS: ReadonlyArray<readonly [string, string]> = [
  ['1.0', '1'],
  ['1.0', '2'],
  ['1.1', '1'],
  ['1.1', '2'],
  ['1.2', '1'],
  ['2.0', '1'],
];

const DAY = 86_400;
const BASE_TIME = 1_700_000_000;

/** Incompressible bytes standing in for machine code, derived from `seed` (AES-256-CTR keystream). */
export function binaryBytes(seed: string, size: number): Uint8Array {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return new Uint8Array(cipher.update(Buffer.alloc(size)));
}

/** Compressible text standing in for docs, configs and data files. */
export function textBytes(seed: string, size: number): string {
  const words = ['yum', 'vault', 'image', 'package', 'restore', 'build', 'upstream', 'mirror', 'header', 'payload', 'digest', 'tar'];
  const h = createHash('sha256').update(seed).digest();
  let out = `# ${seed}\n`;
  let i = 0;
  while (out.length < size) {
    const line: string[] = [];
    for (let w = 0; w < 8; w++) line.push(words[(h[(i + w) % h.length]! + i * 7 + w) % words.length]!);
    out += `${i} ${line.join(' ')}\n`;
    i++;
  }
  return out.slice(0, size);
}

interface PackageDef {
  name: string;
  summary: string;
  compressor: 'gzip' | 'zstd';
  files: (version: string, release: string) => RpmFileSpec[];
}

const doc = (name: string, v: string, r: string): RpmFileSpec[] => [
  { path: `/usr/share/doc/${name}`, type: 'dir' },
  { path: `/usr/share/doc/${name}/README`, contents: textBytes(`${name} readme ${v}`, 6_000), flags: ['doc'] },
  { path: `/usr/share/doc/${name}/NEWS`, contents: textBytes(`${name} news ${v}-${r}`, 3_000), flags: ['doc'] },
  { path: `/usr/share/licenses/${name}`, type: 'dir' },
  { path: `/usr/share/licenses/${name}/LICENSE`, contents: textBytes('MIT license text', 1_100), flags: ['license'] },
];

const PACKAGES: readonly PackageDef[] = [
  {
    name: 'demo-shell',
    summary: 'A demonstration shell',
    compressor: 'zstd',
    files: (v, r) => [
      { path: '/usr/bin/demo-sh', contents: binaryBytes(`demo-sh ${v}-${r}`, 380_000), mode: 0o755 },
      { path: '/usr/bin/dsh', type: 'symlink', linkTo: 'demo-sh' },
      { path: '/etc/demo-sh.rc', contents: textBytes('demo-sh rc', 900), flags: ['config', 'noreplace'] },
      ...doc('demo-shell', v, r),
    ],
  },
  {
    name: 'demo-libs',
    summary: 'Shared libraries for the demo',
    compressor: 'gzip',
    files: (v, r) => [
      { path: `/usr/lib64/libdemo.so.${v}`, contents: binaryBytes(`libdemo ${v}-${r}`, 620_000), mode: 0o755 },
      { path: '/usr/lib64/libdemo.so.1', type: 'symlink', linkTo: `libdemo.so.${v}` },
      { path: `/usr/lib64/libdemo-extra.so.${v}`, contents: binaryBytes(`libdemo-extra ${v}-${r}`, 240_000), mode: 0o755 },
      ...doc('demo-libs', v, r),
    ],
  },
  {
    name: 'demo-tools',
    summary: 'Small demonstration tools',
    compressor: 'zstd',
    files: (v, r) => [
      ...['demo-ls', 'demo-cp', 'demo-cat', 'demo-grep'].map((t, i) => ({
        path: `/usr/bin/${t}`,
        contents: binaryBytes(`${t} ${v}-${r}`, 90_000 + i * 20_000),
        mode: 0o755,
      })),
      ...doc('demo-tools', v, r),
    ],
  },
  {
    name: 'demo-server',
    summary: 'A demonstration daemon',
    compressor: 'gzip',
    files: (v, r) => [
      { path: '/usr/sbin/demod', contents: binaryBytes(`demod ${v}-${r}`, 450_000), mode: 0o755 },
      { path: '/etc/demod.conf', contents: textBytes(`demod.conf ${v}`, 1_500), flags: ['config', 'noreplace'] },
      { path: '/var/lib/demod', type: 'dir', mode: 0o750 },
      { path: '/var/log/demod.log', flags: ['ghost'] },
      { path: '/usr/share/man/man8/demod.8', contents: textBytes(`demod manual ${v}`, 12_000), flags: ['doc'] },
      ...doc('demo-server', v, r),
    ],
  },
  {
    name: 'demo-data',
    summary: 'Data files for the demo',
    compressor: 'zstd',
    files: (v, r) =>
      Array.from({ length: 8 }, (_, i) => ({
        path: `/usr/share/demo-data/set-${i}.dat`,
        contents: i < 5 ? textBytes(`data set ${i}`, 40_000) : binaryBytes(`data set ${i} ${v}-${r}`, 60_000),
      })),
  },
];

export const DEMO_PACKAGE_NAMES: readonly string[] = PACKAGES.map((p) => p.name);

/** The spec of build number `build` (an index into DEMO_BUILDS) of package `name`. */
export function demoPackageSpec(name: string, build: number, level?: number): RpmSpec {
  const def = PACKAGES.find((p) => p.name === name);
  const evr = DEMO_BUILDS[build];
  if (!def || !evr) throw new Error(`no demo build ${name} #${build}`);
  const [version, release] = evr;
  return {
    name,
    version,
    release,
    arch: 'x86_64',
    summary: def.summary,
    description: `${def.summary}: part of the generated repository that \`yumvault demo\` runs on.`,
    license: 'MIT',
    url: 'https://example.invalid/yumvault-demo',
    files: def.files(version, release),
    requires: name === 'demo-shell' || name === 'demo-libs' ? [] : ['demo-libs >= 1.0'],
    compressor: def.compressor,
    level: level ?? (def.compressor === 'zstd' ? 3 : 6),
    buildTime: BASE_TIME + build * DAY,
  };
}
