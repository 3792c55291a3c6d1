// decompose: image → manifest.json + residual.zst (DESIGN.md "Formats", issue 4).
// 1. the image becomes a plain seekable tar (imageInput.ts), 2. a header-only pass finds the rpmdb and the
// installed builds are read from it, 3. each build is looked up in the repositories in order (same NEVRA
// and same header digest, header range only, concurrently), 4. one streaming pass writes the residual,
// 5. manifest and residual are written atomically; 6. optionally the manifest is registered with the proxy.

import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { RpmdbNotFoundError, UsageError, YumvaultError } from '../errors.ts';
import { hashingTap } from '../util/hashingTap.ts';
import { removeIfInterrupted } from '../util/interrupt.ts';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { createAtomicFile, writeFileAtomic } from '../util/fs.ts';
import type { Progress } from '../util/progress.ts';
import { mapLimit, sameBuild, type ImageDeps, type InstalledBuild } from './builds.ts';
import { candidateIndex, decomposePass } from './decomposePass.ts';
import { prepareImage } from './imageInput.ts';
import { openTarImage } from './imageReader.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, RESIDUAL_FILE, nevraString, type ImageCompression, type Manifest, type ManifestPackage } from './manifest.ts';
import { apiUrl, registerManifest } from './register.ts';
import { ResidualWriter } from './residualWriter.ts';

export interface DecomposeOptions {
  image: string;
  repos: string[];
  outDir: string;
  register?: { proxyUrl: string; token?: string };
  progress?: Progress;
  log?: (line: string) => void;
  /** Repository lookups at once (default 8). */
  concurrency?: number;
  /** zstd level of the residual (default 6: on the benchmark image level 12 stored 0.1% less, at 1.5x the decompose time). */
  level?: number;
  tempDir?: string;
  deps?: ImageDeps;
}

export interface DecomposeSummary {
  image: { name: string; sha256: string; size: number; compression: ImageCompression };
  packages: number;
  packagesFound: number;
  /** NEVRAs of installed packages no repository has (same NEVRA and header). */
  packagesMissing: string[];
  filesReferenced: number;
  bytesReferenced: number;
  /** manifest.json + residual.zst. */
  storedBytes: number;
  /** storedBytes / image size. */
  ratio: number;
  manifestId?: string;
}

interface Found {
  installed: InstalledBuild;
  entry: ManifestPackage;
}

async function findBuilds(installed: InstalledBuild[], opts: DecomposeOptions, deps: ImageDeps): Promise<{ found: Found[]; missing: string[] }> {
  const log = opts.log ?? (() => {});
  const repos = opts.repos.map((url) => deps.openRepo(url));
  const tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'yumvault-pkg-'));
  const forgetTmp = removeIfInterrupted(tmp);
  let done = 0;
  opts.progress?.start('finding packages', installed.length, 'items');
  try {
    const results = await mapLimit(installed, opts.concurrency ?? 8, async (pkg, i) => {
      try {
        for (const repo of repos) {
          const build = await repo.find(pkg.nevra);
          if (!build) continue;
          const digests = await repo.headerDigests(build);
          if (!sameBuild(digests, pkg)) {
            log(`${repo.url}: ${nevraString(pkg.nevra)} is a different build (header digest differs); not used`);
            continue;
          }
          let sha256 = build.sha256;
          if (!sha256) sha256 = (await repo.download(build, join(tmp, `${i}.rpm`))).sha256;
          const entry: ManifestPackage = {
            ...pkg.nevra,
            pkgid: sha256,
            headerSha256: pkg.sha256Header || digests.sha256Header,
            repo: repo.url,
            sigmd5: pkg.sigmd5 || digests.sigmd5,
          };
          return { installed: pkg, entry } satisfies Found;
        }
        return undefined;
      } finally {
        opts.progress?.update(++done);
      }
    });
    const found = results.filter((r): r is Found => r !== undefined);
    const missing = installed.filter((_, i) => results[i] === undefined).map((p) => nevraString(p.nevra));
    return { found, missing };
  } finally {
    opts.progress?.done();
    await rm(tmp, { recursive: true, force: true });
    forgetTmp();
    await Promise.all(repos.map((r) => r.close?.()));
  }
}


/** zstd with the frame checksum on, so a corrupted residual fails to decode instead of decoding wrong. */
function residualCompressor(level: number): zlib.ZstdCompress {
  return zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 } });
}

export async function decomposeImage(opts: DecomposeOptions): Promise<DecomposeSummary> {
  const deps = opts.deps ?? (await import('./sources.ts')).defaultDeps();
  const log = opts.log ?? (() => {});
  const existing = await stat(opts.outDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${opts.outDir} exists and is not a directory: give the directory to write manifest.json and residual.zst into`);
  const prepared = await prepareImage(opts.image, { progress: opts.progress, log, tempDir: opts.tempDir });
  try {
    const reader = openTarImage(prepared.tarPath);
    opts.progress?.start('reading the rpm database', 0, 'items');
    await reader.load();
    const installed = await deps.readInstalled(reader).catch((e: unknown) => {
      // An image without an rpm database still decomposes (and restores bit for bit): nothing in it can be
      // referenced, so all of it goes into the residual. Said loudly: it is more often the wrong image.
      if (!(e instanceof RpmdbNotFoundError)) throw e;
      const line = `warning: ${prepared.name} has no rpm database (${e.message.replace(/^image: /, '')}): no package can be referenced, the whole image goes into the residual`;
      log(line);
      return [];
    });
    opts.progress?.done();
    log(`${installed.length} packages installed in ${prepared.name}`);
    const { found, missing } = await findBuilds(installed, opts, deps);
    log(`${found.length} of ${installed.length} builds found in the repositories`);

    await mkdir(opts.outDir, { recursive: true });
    const residual = await createAtomicFile(join(opts.outDir, RESIDUAL_FILE));
    let pass;
    const counter = hashingTap();
    try {
      const feed = new PassThrough({ highWaterMark: 1 << 20 });
      const piping = pipeline(feed, residualCompressor(opts.level ?? 6), counter, residual.stream);
      const writer = new ResidualWriter(feed);
      const passing = decomposePass(prepared.tarPath, candidateIndex(found.map((f) => f.installed)), reader.hardlinks, writer, opts.progress).finally(() => feed.end());
      [pass] = await Promise.all([passing, piping]);
      await residual.commit();
    } catch (e) {
      await residual.abort();
      throw e;
    }
    const packages = found.map((f, i) => ({ ...f.entry, decomposedAs: nevraString(f.entry), files: pass.perPackage.get(i)?.files ?? 0, bytes: pass.perPackage.get(i)?.bytes ?? 0 }));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      image: { name: prepared.name, sha256: pass.sha256, size: pass.size, compression: prepared.compression },
      packages,
      residual: { sha256: counter.sha256(), size: counter.size() },
      stats: {
        entries: pass.entries,
        packagesInstalled: installed.length,
        packagesFound: found.length,
        packagesMissing: missing,
        filesReferenced: pass.filesReferenced,
        bytesReferenced: pass.bytesReferenced,
        bytesInline: pass.bytesInline,
        createdBy: 'yumvault 0.1.0',
      },
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFileAtomic(join(opts.outDir, MANIFEST_FILE), manifestText);
    const storedBytes = Buffer.byteLength(manifestText) + (await stat(join(opts.outDir, RESIDUAL_FILE))).size;
    let manifestId: string | undefined;
    if (opts.register) {
      const { proxyUrl, token } = opts.register;
      manifestId = await registerManifest(proxyUrl, manifestText, token).catch((e: unknown) => {
        // The decomposition itself is done and written: say so, and how to register it without redoing it.
        if (e instanceof YumvaultError) {
          const retry = `curl -fsS -X POST -H 'Authorization: Bearer …' -H 'Content-Type: application/json' --data-binary @${join(opts.outDir, MANIFEST_FILE)} ${apiUrl(proxyUrl, 'manifests')}`;
          throw new YumvaultError(e.code, `${e.message} (${opts.outDir} is written and complete; register it later with: ${retry})`, { cause: e });
        }
        throw e;
      });
      log(`registered with ${opts.register.proxyUrl}: manifest ${manifestId}`);
    }
    return {
      image: manifest.image,
      packages: installed.length,
      packagesFound: found.length,
      packagesMissing: missing,
      filesReferenced: pass.filesReferenced,
      bytesReferenced: pass.bytesReferenced,
      storedBytes,
      ratio: pass.size > 0 ? storedBytes / pass.size : 0,
      ...(manifestId ? { manifestId } : {}),
    };
  } finally {
    await prepared.cleanup();
  }
}
