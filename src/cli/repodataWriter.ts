// The vault's repodata writer for the CLI commands (serve, monitor): src/repo's writeRepodata, fed the
// vault's package files (read from the blobs, as createrepo_c reads packages) and the recorded advisories.
import type { RepodataWriter, VaultExtras, VaultPackageFile } from '../../proxy/vault/publish.ts';
import type { Advisory } from '../repo/updateinfo.ts';
import { writeRepodata } from '../repo/writer.ts';

export async function defaultRepodataWriter(): Promise<RepodataWriter> {
  return async (repoDir: string, packages: AsyncIterable<VaultPackageFile>, extras: VaultExtras) => {
    // The list is small next to the packages (a path and an href each); the writer wants the count first.
    const list: { path: string; location: string }[] = [];
    for await (const p of packages) list.push({ path: p.path, location: p.location });
    await writeRepodata(repoDir, list, extras.advisories ? { updateinfo: asAdvisories(extras.advisories) } : {});
  };
}

/** Advisories as the catalog kept them, with the fields updateinfo.xml needs filled in when absent. */
async function* asAdvisories(source: AsyncIterable<unknown>): AsyncGenerator<Advisory> {
  for await (const raw of source) {
    const a = raw as Partial<Advisory> & Pick<Advisory, 'id' | 'type' | 'packages'>;
    yield {
      severity: null, issued: '', title: a.id, status: 'stable', from: '', summary: '', description: '', release: '', references: [],
      ...a,
    };
  }
}
