// Builds small packages with the real rpmbuild and installs them with the real rpm (--justdb) into a
// temp root, so the rpmdb tests read databases the real rpm wrote. Local to test/rpmdb until a shared
// rpmbuild helper exists.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): Ran {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: opts.cwd });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function must(r: Ran, what: string): Ran {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r;
}

export interface SpecOptions {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  noarch?: boolean;
  /** Extra subpackages (full names), each with the same kinds of files as the main package. */
  subpackages?: string[];
}

/** Files of each package: a plain file, %config, %doc, %ghost, a symlink, a hardlink pair and a directory. */
function filesSection(pkg: string): string {
  return [
    `%dir /usr/share/${pkg}`,
    `/usr/share/${pkg}/data.txt`,
    `/usr/share/${pkg}/hard1`,
    `/usr/share/${pkg}/hard2`,
    `/usr/share/${pkg}/link`,
    `%config(noreplace) /etc/${pkg}.conf`,
    `%doc /usr/share/doc/${pkg}/README`,
    `%ghost /var/log/${pkg}.log`,
  ].join('\n');
}

function installScript(pkg: string): string {
  return [
    `mkdir -p %{buildroot}/usr/share/${pkg} %{buildroot}/etc %{buildroot}/usr/share/doc/${pkg} %{buildroot}/var/log`,
    `echo "data of ${pkg}" > %{buildroot}/usr/share/${pkg}/data.txt`,
    `echo "hard ${pkg}" > %{buildroot}/usr/share/${pkg}/hard1`,
    `ln %{buildroot}/usr/share/${pkg}/hard1 %{buildroot}/usr/share/${pkg}/hard2`,
    `ln -s data.txt %{buildroot}/usr/share/${pkg}/link`,
    `echo "key=${pkg}" > %{buildroot}/etc/${pkg}.conf`,
    `echo "readme ${pkg}" > %{buildroot}/usr/share/doc/${pkg}/README`,
    `touch %{buildroot}/var/log/${pkg}.log`,
  ].join('\n');
}

export function specText(o: SpecOptions): string {
  const pkgs = [o.name, ...(o.subpackages ?? [])];
  const lines = [
    `Name: ${o.name}`,
    ...(o.epoch !== undefined ? [`Epoch: ${o.epoch}`] : []),
    `Version: ${o.version}`,
    `Release: ${o.release}`,
    'Summary: yumvault rpmdb test package',
    'License: MIT',
    ...(o.noarch ? ['BuildArch: noarch'] : []),
    '%description',
    'A package for the rpmdb tests.',
    '',
  ];
  for (const sub of o.subpackages ?? []) {
    lines.push(`%package -n ${sub}`, `Summary: subpackage ${sub}`, `%description -n ${sub}`, 'A subpackage.', '');
  }
  lines.push('%install', ...pkgs.map(installScript), '');
  for (const p of pkgs) lines.push(p === o.name ? '%files' : `%files -n ${p}`, filesSection(p), '');
  return `${lines.join('\n')}\n`;
}

/** Builds the specs with rpmbuild under `workDir`; returns the paths of every binary package. */
export function rpmbuild(specs: readonly SpecOptions[], workDir: string): string[] {
  const top = join(workDir, 'rpmbuild');
  mkdirSync(top, { recursive: true });
  for (const s of specs) {
    const specPath = join(workDir, `${s.name}.spec`);
    writeFileSync(specPath, specText(s));
    must(
      run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', '_build_id_links none', '--define', 'debug_package %{nil}', specPath]),
      `rpmbuild ${s.name}`,
    );
  }
  const out: string[] = [];
  const rpms = join(top, 'RPMS');
  for (const arch of readdirSync(rpms)) for (const f of readdirSync(join(rpms, arch))) out.push(join(rpms, arch, f));
  return out.sort();
}

/** rpm against a root directory, with the Red Hat %_dbpath (Debian's rpm defaults to ~/.rpmdb). */
export function rpmRoot(root: string, args: readonly string[]): Ran {
  return run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', ...args]);
}

/** Installs packages into `root`'s database only (no files, no scripts), as an image build records them. */
export function installJustDb(root: string, rpms: readonly string[], extra: readonly string[] = []): void {
  mkdirSync(root, { recursive: true });
  // --force-debian: Debian's rpm otherwise refuses to install and points to alien.
  must(rpmRoot(root, ['-i', '--nodeps', '--noscripts', '--justdb', '--force-debian', ...extra, ...rpms]), 'rpm -i --justdb');
}

/** What `rpm -qa` says per package: name, epoch (0 when none), version, release, arch, sigmd5, file count. */
export const QA_FORMAT = '%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SIGMD5}\\t[%{FILENAMES}\\n]--end--\\n';

export interface QaRecord {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
  sigmd5: string;
  files: string[];
}

export function parseQa(text: string): QaRecord[] {
  const out: QaRecord[] = [];
  for (const chunk of text.split('--end--\n')) {
    if (!chunk.trim()) continue;
    const [first, ...rest] = chunk.split('\n');
    const [name, epoch, version, release, arch, sigmd5, file0] = first!.split('\t');
    const files = [file0 ?? '', ...rest].filter((f) => f !== '' && f !== '(none)');
    out.push({ name: name!, epoch: Number(epoch), version: version!, release: release!, arch: arch!, sigmd5: sigmd5!, files });
  }
  return out;
}
