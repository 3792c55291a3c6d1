// Publication of a vault: the repodata for every version of a repo the proxy holds (vaultPackages), written
// by a repodata writer into a staging dir, then moved into DATA/vault/NAME/repodata under checksum-unique
// names with repomd.xml renamed in last (atomic). A client that read the previous repomd.xml can still
// fetch the files it lists: the previous generation's files are removed only at the publication after.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StorageError } from '../../src/errors.ts';
import { parseRepomd, writeRepomd } from '../../src/repo/repomd.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { Catalog } from '../../src/store/catalog.ts';
import { isLiveWriter, PROCESS_TOKEN } from '../../src/store/pid.ts';
import { spoolVerified } from '../../src/store/spool.ts';
import { fsyncDir, writeFileAtomic } from '../../src/util/fs.ts';
import { vaultRepodataDir } from './router.ts';

/** One package of the vault: its location href and where its bytes are. */
export interface VaultPackageFile {
  location: string;
  /** A local file with the package's bytes: the blob itself, or a copy fetched from a remote store on demand. */
  localPath(): Promise<string>;
  sha256: string;
  size: number;
}

export interface VaultExtras {
  /** Security advisories recorded for the repo (updateinfo's shape, as parsed upstream); null when none. */
  advisories: AsyncIterable<unknown> | null;
  /** Where a writer may cache what it read from each package (by sha256), so publications stay cheap. */
  metadataCacheDir: string;
}

/** Writes repodata/ (repomd.xml and the files it lists) into `repoDir` for `packages`. */
export type RepodataWriter = (repoDir: string, packages: AsyncIterable<VaultPackageFile>, extras: VaultExtras) => Promise<void>;

export interface PublisherDeps {
  catalog: Catalog;
  blobs: BlobStore;
  dataDir: string;
  writeRepodata: RepodataWriter;
}

/** Keeps publications of one repo in one process one at a time; `publish(repo)` is the monitor's hook. */
export function createVaultPublisher(deps: PublisherDeps): (repo: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();
  return async (repo: string) => {
    // Publications of one repo run one after another; the latest state always gets published.
    const prev = running.get(repo) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => publishVault(deps, repo));
    running.set(repo, next);
    try {
      await next;
    } finally {
      if (running.get(repo) === next) running.delete(repo);
    }
  };
}

export async function publishVault(deps: PublisherDeps, repo: string): Promise<void> {
  const finalDir = vaultRepodataDir(deps.dataDir, repo);
  const repoDir = join(deps.dataDir, 'vault', repo);
  await removeDeadStaging(repoDir);
  const staging = join(repoDir, `.staging-${process.pid}-${PROCESS_TOKEN}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    const hasAdvisories = (await deps.catalog.listAdvisories(repo, 1, '')).length > 0;
    await deps.writeRepodata(staging, vaultFiles(deps, repo), {
      advisories: hasAdvisories ? vaultAdvisories(deps.catalog, repo) : null,
      metadataCacheDir: join(deps.dataDir, 'vault-meta'),
    });
    const repomdText = await readFile(join(staging, 'repodata', 'repomd.xml'));
    const repomd = await parseRepomd(repomdText, `vault ${repo} repomd.xml`);
    await mkdir(finalDir, { recursive: true });
    // Each listed file gets a name that starts with its checksum, so a new publication never overwrites a
    // file an older repomd.xml (still cached by a client) lists.
    for (const entry of repomd.entries) {
      const name = basename(entry.location);
      const unique = name.startsWith(`${entry.checksum.value}-`) ? name : `${entry.checksum.value}-${name}`;
      await rename(join(staging, entry.location), join(finalDir, unique));
      entry.location = `repodata/${unique}`;
      delete entry.locationBase;
    }
    await fsyncDir(finalDir);
    const previous = await readFile(join(finalDir, 'repomd.xml'), 'utf8').catch(() => null);
    if (previous !== null) await writeFile(join(finalDir, '.repomd.previous'), previous);
    await writeFileAtomic(join(finalDir, 'repomd.xml'), writeRepomd(repomd));
    await removeUnlisted(finalDir, [writeRepomd(repomd), previous]);
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(`cannot publish vault ${repo}: ${(e as Error).message}`, { cause: e });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function* vaultFiles(deps: PublisherDeps, repo: string): AsyncGenerator<VaultPackageFile> {
  let afterId = 0;
  for (;;) {
    const page = await deps.catalog.vaultPackages(repo, 500, afterId);
    if (page.length === 0) return;
    afterId = page[page.length - 1]!.id;
    for (const p of page) {
      const st = await deps.blobs.stat(p.blobSha256!);
      if (!st) continue; // a blob removed by hand: the vault does not list what it cannot serve
      const sha256 = p.blobSha256!;
      const direct = deps.blobs.localPath?.(sha256);
      yield { location: p.location, sha256, size: st.size, localPath: async () => direct ?? localCopy(deps, sha256) };
    }
  }
}

/**
 * A remote blob store (S3) has no local paths; the writer reads package headers from files, so each vault
 * package is copied once into DATA/vault-cache (verified by its name) and reused by later publications.
 */
async function localCopy(deps: PublisherDeps, sha256: string): Promise<string> {
  const cache = join(deps.dataDir, 'vault-cache');
  const path = join(cache, sha256);
  if (await stat(path).then((s) => s.isFile(), () => false)) return path;
  await mkdir(join(cache, 'tmp'), { recursive: true });
  const spooled = await spoolVerified(await deps.blobs.get(sha256), { sha256 }, join(cache, 'tmp'));
  await rename(spooled.path, path);
  return path;
}

async function* vaultAdvisories(catalog: Catalog, repo: string): AsyncGenerator<unknown> {
  let after = '';
  for (;;) {
    const page = await catalog.listAdvisories(repo, 500, after);
    if (page.length === 0) return;
    after = (page[page.length - 1] as { id: string }).id;
    yield* page;
  }
}

/** A publication killed mid-way leaves its staging dir: removed when its process no longer runs. */
async function removeDeadStaging(repoDir: string): Promise<void> {
  const names = await readdir(repoDir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^\.staging-(\d+)-([0-9a-f]+)-/.exec(name);
    if (m && isLiveWriter(Number(m[1]), m[2]!)) continue;
    if (name.startsWith('.staging-')) await rm(join(repoDir, name), { recursive: true, force: true });
  }
}

/** Removes repodata files that neither the current nor the previous repomd.xml lists. */
async function removeUnlisted(dir: string, repomds: (string | null)[]): Promise<void> {
  const keep = new Set(['repomd.xml', '.repomd.previous']);
  for (const text of repomds) {
    if (!text) continue;
    try {
      for (const e of (await parseRepomd(text)).entries) keep.add(basename(e.location));
    } catch {
      // an unreadable previous repomd.xml lists nothing worth keeping
    }
  }
  for (const name of await readdir(dir)) if (!keep.has(name)) await rm(join(dir, name), { force: true });
}
