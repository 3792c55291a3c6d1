// The real rpm for the rpmdb tests: install packages into a temp root's database (--justdb), and what
// `rpm -qa --qf` prints, parsed. Packages come from test/fixtures-gen/rpmbuild.ts (the real rpmbuild) or
// ./manyPackages.ts.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

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
