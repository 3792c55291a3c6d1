// Repository metadata by the real createrepo_c (and modifyrepo_c for updateinfo.xml), as a user's
// upstream mirror would have it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface CreaterepoOptions {
  /** An updateinfo.xml file added to repodata/ with modifyrepo_c. */
  updateinfo?: string;
  /** Compression of the metadata files (default gz). */
  compress?: 'gz' | 'xz' | 'bz2';
  /** Reuse the metadata of packages already listed (createrepo_c --update): faster re-publishing. */
  update?: boolean;
}

/** Runs createrepo_c over `repoDir` (it writes the new repodata beside the old and swaps it in). */
export function createrepo(repoDir: string, opts: CreaterepoOptions = {}): void {
  const compress = opts.compress ?? 'gz';
  const args = ['--quiet', '--general-compress-type', compress, '--no-database', ...(opts.update ? ['--update'] : []), repoDir];
  execFileSync('createrepo_c', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (opts.updateinfo) {
    execFileSync('modifyrepo_c', ['--mdtype', 'updateinfo', '--compress-type', compress, opts.updateinfo, join(repoDir, 'repodata')], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
