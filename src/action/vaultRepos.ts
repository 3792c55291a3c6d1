/**
 * The proxy's vault still has the builds upstream has evicted, so a restore that names the proxy's
 * pass-through repos (`PROXY/repos/NAME/`) also tries the matching vault (`PROXY/vault/NAME/`) after every
 * repository the workflow listed: the workflow that decomposed through the proxy restores unchanged a
 * year later.
 */
export function withVaultFallbacks(repos: readonly string[], proxy: string | undefined): string[] {
  if (!proxy) return [...repos];
  const base = proxy.replace(/\/+$/, '');
  const vaults: string[] = [];
  for (const repo of repos) {
    if (!repo.startsWith(`${base}/repos/`)) continue;
    const name = repo.slice(`${base}/repos/`.length).replace(/\/+$/, '');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) continue;
    const vault = `${base}/vault/${name}/`;
    if (!repos.includes(vault) && !vaults.includes(vault)) vaults.push(vault);
  }
  return [...repos, ...vaults];
}
