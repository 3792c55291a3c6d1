// The vault's repodata writer for the CLI commands (serve, monitor): src/repo's writeRepodata, fed the
// vault's packages and the recorded advisories. What a package's headers say never changes (a blob is
// named by its sha256), so it is read once and cached as JSON: a publication of a large vault then reads
// no package file again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepodataWriter, VaultExtras, VaultPackageFile } from '../../proxy/vault/publish.ts';
import { readRepodataPackage, type RepodataPackage } from '../repo/fromRpm.ts';
import type { Advisory } from '../repo/updateinfo.ts';
import { writeRepodata } from '../repo/writer.ts';
import { writeFileAtomic } from '../util/fs.ts';

export async function defaultRepodataWriter(): Promise<RepodataWriter> {
  return async (repoDir: string, packages: AsyncIterable<VaultPackageFile>, extras: VaultExtras) => {
    // The list is small next to the packages (a path and an href each); the writer wants the count first.
    const list: VaultPackageFile[] = [];
    for await (const p of packages) list.push(p);
    await writeRepodata(repoDir, described(list, extras.metadataCacheDir), {
      count: list.length,
      ...(extras.advisories ? { updateinfo: asAdvisories(extras.advisories) } : {}),
    });
  };
}

async function* described(list: readonly VaultPackageFile[], cacheDir: string): AsyncGenerator<RepodataPackage> {
  for (const p of list) {
    const cached = join(cacheDir, `${p.sha256}.json`);
    let pkg: RepodataPackage | null = null;
    try {
      pkg = JSON.parse(await readFile(cached, 'utf8')) as RepodataPackage;
      if (pkg.pkgid !== p.sha256) pkg = null;
    } catch {
      pkg = null;
    }
    if (!pkg) {
      pkg = await readRepodataPackage(await p.localPath(), { href: p.location });
      await writeFileAtomic(cached, JSON.stringify(pkg));
    }
    // The same build may sit at another href in another publication.
    yield { ...pkg, location: { href: p.location } };
  }
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
