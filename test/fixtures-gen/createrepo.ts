// Repository metadata by the real createrepo_c (and modifyrepo_c for updateinfo.xml), as a user's
// upstream mirror would have it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface CreaterepoOptions {
  /** An updateinfo.xml file added to repodata/ with modifyrepo_c. */
  updateinfo?: string;
  /** Compression of the metadata files (default gz). */
  compress?: 'gz' | 'xz' | 'bz2';
}

/** Runs createrepo_c over `repoDir` (it writes the new repodata beside the old and swaps it in). */
export function createrepo(repoDir: string, opts: CreaterepoOptions = {}): void {
  const compress = opts.compress ?? 'gz';
  execFileSync('createrepo_c', ['--quiet', '--general-compress-type', compress, '--no-database', repoDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (opts.updateinfo) {
    execFileSync('modifyrepo_c', ['--mdtype', 'updateinfo', '--compress-type', compress, opts.updateinfo, join(repoDir, 'repodata')], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
