#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  apiUrl,
  mapLimit,
  registerManifest,
  sameBuild
} from "./chunk-LMBS77BW.js";
import {
  hashingTap
} from "./chunk-GQFZBJXP.js";
import {
  openTarImage
} from "./chunk-I53UESSH.js";
import {
  prepareImage
} from "./chunk-CAUWZJYD.js";
import {
  ResidualWriter,
  candidateIndex,
  decomposePass
} from "./chunk-3RHWSWVI.js";
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  RESIDUAL_FILE
} from "./chunk-BCCF2PO6.js";
import {
  createAtomicFile,
  writeFileAtomic
} from "./chunk-TQESCGCX.js";
import {
  removeIfInterrupted
} from "./chunk-Q25QUAV2.js";
import {
  formatNevra
} from "./chunk-ED73BUU6.js";
import {
  RpmdbNotFoundError,
  UsageError,
  YumvaultError
} from "./chunk-JAH4FOK6.js";

// src/image/decompose.ts
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
async function findBuilds(installed, opts, deps) {
  const log = opts.log ?? (() => {
  });
  const repos = opts.repos.map((url) => deps.openRepo(url));
  const tmp = await mkdtemp(join(opts.tempDir ?? tmpdir(), "yumvault-pkg-"));
  const forgetTmp = removeIfInterrupted(tmp);
  let done = 0;
  opts.progress?.start("finding packages", installed.length, "items");
  try {
    const results = await mapLimit(installed, opts.concurrency ?? 8, async (pkg, i) => {
      try {
        for (const repo of repos) {
          const build = await repo.find(pkg.nevra);
          if (!build) continue;
          const digests = await repo.headerDigests(build);
          if (!sameBuild(digests, pkg)) {
            log(`${repo.url}: ${formatNevra(pkg.nevra)} is a different build (header digest differs); not used`);
            continue;
          }
          let sha256 = build.sha256;
          if (!sha256) sha256 = (await repo.download(build, join(tmp, `${i}.rpm`))).sha256;
          const entry = {
            ...pkg.nevra,
            pkgid: sha256,
            headerSha256: pkg.sha256Header || digests.sha256Header,
            repo: repo.url,
            sigmd5: pkg.sigmd5 || digests.sigmd5
          };
          return { installed: pkg, entry };
        }
        return void 0;
      } finally {
        opts.progress?.update(++done);
      }
    });
    const found = results.filter((r) => r !== void 0);
    const missing = installed.filter((_, i) => results[i] === void 0).map((p) => formatNevra(p.nevra));
    return { found, missing };
  } finally {
    opts.progress?.done();
    await rm(tmp, { recursive: true, force: true });
    forgetTmp();
    await Promise.all(repos.map((r) => r.close?.()));
  }
}
function residualCompressor(level) {
  return zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 } });
}
async function decomposeImage(opts) {
  const deps = opts.deps ?? (await import("./sources-4FDACG7M.js")).defaultDeps();
  const log = opts.log ?? (() => {
  });
  const existing = await stat(opts.outDir).catch(() => void 0);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${opts.outDir} exists and is not a directory: give the directory to write manifest.json and residual.zst into`);
  const prepared = await prepareImage(opts.image, { progress: opts.progress, log, tempDir: opts.tempDir });
  try {
    const reader = openTarImage(prepared.tarPath);
    opts.progress?.start("reading the rpm database", 0, "items");
    await reader.load();
    const installed = await deps.readInstalled(reader).catch((e) => {
      if (!(e instanceof RpmdbNotFoundError)) throw e;
      const line = `warning: ${prepared.name} has no rpm database (${e.message.replace(/^image: /, "")}): no package can be referenced, the whole image goes into the residual`;
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
    const packages = found.map((f, i) => ({ ...f.entry, decomposedAs: formatNevra(f.entry), files: pass.perPackage.get(i)?.files ?? 0, bytes: pass.perPackage.get(i)?.bytes ?? 0 }));
    const manifest = {
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
        createdBy: "yumvault 0.1.0"
      }
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}
`;
    await writeFileAtomic(join(opts.outDir, MANIFEST_FILE), manifestText);
    const storedBytes = Buffer.byteLength(manifestText) + (await stat(join(opts.outDir, RESIDUAL_FILE))).size;
    let manifestId;
    if (opts.register) {
      const { proxyUrl, token } = opts.register;
      manifestId = await registerManifest(proxyUrl, manifestText, token).catch((e) => {
        if (e instanceof YumvaultError) {
          const retry = `curl -fsS -X POST -H 'Authorization: Bearer \u2026' -H 'Content-Type: application/json' --data-binary @${join(opts.outDir, MANIFEST_FILE)} ${apiUrl(proxyUrl, "manifests")}`;
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
      ...manifestId ? { manifestId } : {}
    };
  } finally {
    await prepared.cleanup();
  }
}

export {
  decomposeImage
};
