// A stand-in repodata writer for vault tests: lays the vault's packages out (symlinks to blobs at their
// location hrefs) and runs createrepo_c. Production uses src/repo's writer; this checks the publication
// and serving around it independently.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VaultPackageFile } from '../../proxy/vault/publish.ts';

export async function createrepoWriter(repoDir: string, packages: AsyncIterable<VaultPackageFile>): Promise<void> {
  const tree = join(repoDir, '.tree');
  for await (const p of packages) {
    const target = join(tree, p.location);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(p.path, target);
  }
  mkdirSync(tree, { recursive: true });
  execFileSync('createrepo_c', ['--quiet', '--no-database', '--outputdir', repoDir, tree], { stdio: 'pipe' });
}
