// Real packages for the repodata tests: built by rpmbuild from spec files that exercise what repodata
// carries (epochs, every dependency kind with flags and pre, config/dir/ghost files, /etc and bin paths,
// changelogs, XML-special characters in texts, noarch), then indexed by the real createrepo_c.

import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildRpmFromSpec } from '../fixtures-gen/rpmbuild.ts';

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

/** Builds `specs` with rpmbuild (cached) and copies them into `repoDir/Packages/`; returns the .rpm paths relative to repoDir. */
export async function buildFixturePackages(repoDir: string, specs: FixtureSpec[]): Promise<string[]> {
  mkdirSync(join(repoDir, 'Packages'), { recursive: true });
  const out: string[] = [];
  for (const s of specs) {
    const rpm = await buildRpmFromSpec(s.plain ? plainSpecText(s) : specText(s), { defines: { _source_date_epoch_from_changelog: '0' } });
    const name = basename(rpm);
    copyFileSync(rpm, join(repoDir, 'Packages', name));
    out.push(`Packages/${name}`);
  }
  return out.sort();
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
