// GET /repos/NAME.repo: a ready file for /etc/yum.repos.d pointing dnf at this proxy. The gpg settings
// come from the repo's configuration; with repo_gpgcheck and no key configured, the key upstream
// publishes beside repomd.xml (passed through by the proxy) is named.
import type { RepoConfig } from './config.ts';

export function renderRepoFile(repo: RepoConfig, proxyBase: string): string {
  const baseurl = `${proxyBase}repos/${repo.name}/`;
  const keys = repo.gpgkey.length ? repo.gpgkey : repo.repoGpgcheck ? [`${baseurl}repodata/repomd.xml.key`] : [];
  const lines = [
    `[${repo.name}]`,
    `name=${repo.name} (via yumvault)`,
    `baseurl=${baseurl}`,
    'enabled=1',
    `gpgcheck=${repo.gpgcheck ? 1 : 0}`,
    `repo_gpgcheck=${repo.repoGpgcheck ? 1 : 0}`,
  ];
  if (keys.length) lines.push(`gpgkey=${keys.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
