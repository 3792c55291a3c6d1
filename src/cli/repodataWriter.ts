// The vault's repodata writer for the CLI commands (serve, monitor): src/repo's writeRepodata, fed the
// vault's package files (read from the blobs, as createrepo_c reads packages).
import type { RepodataWriter, VaultPackageFile } from '../../proxy/vault/publish.ts';
import { writeRepodata } from '../repo/writer.ts';

export async function defaultRepodataWriter(): Promise<RepodataWriter> {
  return async (repoDir: string, packages: AsyncIterable<VaultPackageFile>) => {
    // The list is small next to the packages (a path and an href each); the writer wants the count first.
    const list: { path: string; location: string }[] = [];
    for await (const p of packages) list.push({ path: p.path, location: p.location });
    await writeRepodata(repoDir, list);
  };
}
