// Real packages for the repodata tests: built by rpmbuild from spec files that exercise what repodata
// carries (epochs, every dependency kind with flags and pre, config/dir/ghost files, /etc and bin paths,
// changelogs, XML-special characters in texts, noarch), then indexed by the real createrepo_c.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch?: 'noarch' | 'x86_64';
  extra?: string;
  /** A package with no dependencies at all (so dnf can install it into an empty root). */
  plain?: boolean;
}

function plainSpecText(s: FixtureSpec): string {
  return `Name: ${s.name}
${s.epoch !== undefined ? `Epoch: ${s.epoch}\n` : ''}Version: ${s.version}
Release: ${s.release}
Summary: Installable test package ${s.name}
License: MIT
BuildArch: ${s.arch ?? 'noarch'}
AutoReqProv: no

%description
Installable test package.

%install
mkdir -p %{buildroot}/usr/share/${s.name} %{buildroot}/etc
echo "${s.name} ${s.version}-${s.release}" > %{buildroot}/usr/share/${s.name}/VERSION
echo "conf=${s.release}" > %{buildroot}/etc/${s.name}.conf

%files
/usr/share/${s.name}
%config(noreplace) /etc/${s.name}.conf
`;
}

function specText(s: FixtureSpec): string {
  return `Name: ${s.name}
${s.epoch !== undefined ? `Epoch: ${s.epoch}\n` : ''}Version: ${s.version}
Release: ${s.release}
Summary: Test package ${s.name} with <xml> & "quotes"
License: MIT and (GPLv2+ or BSD)
URL: https://example.org/${s.name}?a=1&b=2
Vendor: Yumvault Tests
Packager: Test Builder <builder@example.org>
Group: Applications/System
BuildArch: ${s.arch ?? 'noarch'}
Provides: ${s.name}-virtual = ${s.version}
Provides: config(${s.name}) = ${s.version}-${s.release}
Requires: /bin/sh
Requires(pre): coreutils
Requires(post): sed >= 4.0
Requires: bash > 1:2.0-1
Conflicts: ${s.name}-old < 2.0
Obsoletes: ${s.name}-legacy <= 1.5
Recommends: ${s.name}-docs
Suggests: less
Supplements: (${s.name}-extras and bash)
Enhances: vim >= 8
${s.extra ?? ''}

%description
Package ${s.name} for yumvault's repodata tests.
Line two has <angle brackets> & an ampersand.

%install
mkdir -p %{buildroot}/etc/${s.name} %{buildroot}/usr/bin %{buildroot}/usr/share/${s.name} %{buildroot}/usr/sbin %{buildroot}/var/log
echo "setting=${s.version}" > %{buildroot}/etc/${s.name}/${s.name}.conf
printf '#!/bin/sh\\necho ${s.name} ${s.version}\\n' > %{buildroot}/usr/bin/${s.name}
chmod 755 %{buildroot}/usr/bin/${s.name}
ln -s ${s.name} %{buildroot}/usr/bin/${s.name}-link
echo admin > %{buildroot}/usr/sbin/${s.name}d
echo data-${s.release} > %{buildroot}/usr/share/${s.name}/data.txt
echo readme > %{buildroot}/usr/share/${s.name}/README

%pre
true

%post
true

%files
%dir /etc/${s.name}
%config(noreplace) /etc/${s.name}/${s.name}.conf
/usr/bin/${s.name}
/usr/bin/${s.name}-link
/usr/sbin/${s.name}d
%dir /usr/share/${s.name}
/usr/share/${s.name}/data.txt
%doc /usr/share/${s.name}/README
%ghost /var/log/${s.name}.log

%changelog
* Mon Jan 01 2024 Test Builder <builder@example.org> - ${s.version}-${s.release}
- Build ${s.release} & fixes <for> tests
* Sun Dec 31 2023 Other Person <other@example.org> - 0.9-1
- Initial
`;
}

/** Builds `specs` with rpmbuild into `repoDir/Packages/` and returns the .rpm paths relative to repoDir. */
export function buildFixturePackages(workDir: string, repoDir: string, specs: FixtureSpec[]): string[] {
  const top = join(workDir, 'rpmbuild');
  for (const d of ['SPECS', 'BUILD', 'RPMS', 'SOURCES', 'SRPMS', 'BUILDROOT']) mkdirSync(join(top, d), { recursive: true });
  mkdirSync(join(repoDir, 'Packages'), { recursive: true });
  for (const s of specs) {
    const spec = join(top, 'SPECS', `${s.name}-${s.version}-${s.release}.spec`);
    writeFileSync(spec, s.plain ? plainSpecText(s) : specText(s));
    execFileSync('rpmbuild', ['-bb', '--nodeps', '--quiet', '--define', `_topdir ${top}`, '--define', '_source_date_epoch_from_changelog 0', spec], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  const out: string[] = [];
  for (const arch of readdirSync(join(top, 'RPMS'))) {
    for (const f of readdirSync(join(top, 'RPMS', arch))) {
      copyFileSync(join(top, 'RPMS', arch, f), join(repoDir, 'Packages', f));
      out.push(`Packages/${f}`);
    }
  }
  return out.sort();
}

/** Runs the real createrepo_c over `repoDir` (gzip'd metadata, updateinfo added with modifyrepo_c when given). */
export function createrepo(repoDir: string, opts: { updateinfo?: string; compress?: 'gz' | 'xz' | 'bz2' } = {}): void {
  execFileSync('createrepo_c', ['--quiet', '--general-compress-type', opts.compress ?? 'gz', '--no-database', repoDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (opts.updateinfo) {
    execFileSync('modifyrepo_c', ['--mdtype', 'updateinfo', opts.updateinfo, join(repoDir, 'repodata')], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}

/** `rpm -qp --qf FORMAT` for one package. */
export function rpmQuery(path: string, format: string): string {
  return execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', format, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export const FIXTURE_SPECS: FixtureSpec[] = [
  { name: 'yv-alpha', version: '1.0', release: '1' },
  { name: 'yv-alpha', version: '1.0', release: '2' },
  { name: 'yv-beta', epoch: 2, version: '3.4.5', release: '7.el9', arch: 'x86_64' },
  { name: 'yv-gamma', version: '0.1~rc1', release: '1^20240101git' },
  { name: 'yv-plain', version: '1.0', release: '1', plain: true },
  { name: 'yv-plain', version: '1.0', release: '2', plain: true },
  { name: 'yv-plain', epoch: 1, version: '0.9', release: '1', plain: true, arch: 'x86_64' },
];
