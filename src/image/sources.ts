// The real implementations behind builds.ts: installed packages from src/rpmdb, repositories through
// src/repo's RepoClient (header ranges, verified downloads, updateinfo), payloads through src/rpm.

import { createWriteStream, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { hashFile } from '../util/hashFile.ts';
import { hashingTap } from '../util/hashingTap.ts';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChecksumMismatchError, UpstreamError } from '../errors.ts';
import { RepoClient, type PackageRef } from '../repo/client.ts';
import { packageInfo } from '../rpm/info.ts';
import { parseRpmPackageBytes } from '../rpm/package.ts';
import { openPayloadFiles, WHOLE_MAX } from './payloadFiles.ts';
import type { Nevra } from '../rpm/types.ts';
import { compareEvr } from '../rpm/vercmp.ts';
import { readInstalledPackages } from '../rpmdb/index.ts';
import type { BuildRepo, ImageDeps, InstalledBuild, PayloadFile, RepoBuild } from './builds.ts';

type RefBuild = RepoBuild & { ref: PackageRef };

function toBuild(url: string, ref: PackageRef): RefBuild {
  return {
    nevra: { name: ref.name, epoch: ref.epoch, version: ref.version, release: ref.release, arch: ref.arch },
    repo: url,
    ...(ref.checksum.type === 'sha256' ? { sha256: ref.checksum.value.toLowerCase() } : {}),
    ref,
  };
}

/** The file of a build in a repository on this machine (file:// or a path), or undefined. */
function localFile(url: string, ref: PackageRef): string | undefined {
  if (/^https?:\/\//i.test(url) || ref.location.base) return undefined;
  const dir = /^file:/i.test(url) ? fileURLToPath(url) : resolve(url);
  const parts = ref.location.href.split('/').map((p) => decodeURIComponent(p));
  if (isAbsolute(ref.location.href) || parts.includes('..') || ref.location.href.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(ref.location.href)) return undefined;
  return join(dir, ...parts);
}

/** A repository's file on this machine that cannot be read is the repository's failure (404 when missing). */
function unreadable(path: string, e: unknown): UpstreamError {
  return new UpstreamError(`cannot read ${path}: ${(e as Error).message}`, { cause: e, status: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 404 : undefined });
}

/** A --repo URL (http(s)://, file:// or a plain path) as a BuildRepo. */
export function openBuildRepo(url: string): BuildRepo {
  const client = new RepoClient(url);
  let all: Promise<RefBuild[]> | undefined;
  const listAll = async () => {
    const out: RefBuild[] = [];
    for await (const p of client.streamPrimary()) out.push(toBuild(url, p));
    return out;
  };
  let advisories: Promise<{ id: string; packages: Nevra[] }[]> | undefined;
  const securityAdvisories = async () => {
    const out: { id: string; packages: Nevra[] }[] = [];
    for await (const a of client.streamUpdateinfo()) if (a.type === 'security') out.push({ id: a.id, packages: a.packages });
    return out;
  };
  return {
    url,
    async find(nevra) {
      const ref = await client.findPackage(nevra);
      return ref ? toBuild(url, ref) : undefined;
    },
    async versions(name, arch) {
      return (await (all ??= listAll())).filter((b) => b.nevra.name === name && b.nevra.arch === arch);
    },
    async headerDigests(build) {
      const { bytes } = await client.readRemoteHeaderBytes((build as RefBuild).ref);
      const pkg = parseRpmPackageBytes(bytes);
      const info = packageInfo(pkg.header, pkg.signature);
      return { sigmd5: info.sigmd5 ?? '', sha256Header: info.sha256Header ?? '' };
    },
    async download(build, dest, opts) {
      const ref = (build as RefBuild).ref;
      const local = localFile(url, ref);
      if (local && opts?.deferLocalCheck && build.sha256) {
        // There, for the caller to read and check. (A synchronous stat: a few microseconds on a local file,
        // where a promise and a trip to the thread pool per build cost restore's busy main thread more.)
        try {
          statSync(local);
        } catch (e) {
          throw unreadable(local, e);
        }
        return { sha256: build.sha256, path: local, unverified: true };
      }
      if (local) {
        // On this machine: read in place, no copy; the caller compares the sha256 with the manifest's pkgid.
        const { digest } = await hashFile(local).catch((e: unknown) => {
          throw unreadable(local, e);
        });
        if (build.sha256 && digest !== build.sha256) {
          throw new ChecksumMismatchError(`${local}: sha256 ${digest}, the repository's metadata says ${build.sha256}`);
        }
        return { sha256: digest, path: local };
      }
      const size = ref.size.package;
      if (opts?.memory && build.sha256 && size > 0 && size <= WHOLE_MAX) {
        // Into memory (up to the size restore reads a .rpm whole), verified by the client against primary's
        // sha256 (the pkgid) as it streams: no temp file to write, read back and remove. The buffer is the answer's own (transferable to a thread).
        const release = await opts.memory.claim(size);
        try {
          const bytes = Buffer.allocUnsafeSlow(size);
          let at = 0;
          const sink = new Writable({
            write(chunk: Buffer, _enc, done) {
              if (at + chunk.length > size) return done(new UpstreamError(`${url}: ${ref.location.href} is longer than primary.xml says (${size} bytes)`));
              bytes.set(chunk, at);
              at += chunk.length;
              done();
            },
          });
          await client.downloadPackage(ref, sink);
          return { sha256: build.sha256, bytes, release };
        } catch (e) {
          release();
          throw e;
        }
      }
      const file = createWriteStream(dest);
      const closed = new Promise<void>((resolve, reject) => {
        file.once('close', resolve);
        file.once('error', reject);
      });
      if (build.sha256) {
        // The client verifies the bytes against primary's sha256 as they stream: that is the pkgid.
        await client.downloadPackage(ref, file);
        await closed;
        return { sha256: build.sha256 };
      }
      const tap = hashingTap();
      tap.pipe(file);
      await client.downloadPackage(ref, tap);
      await closed;
      return { sha256: tap.sha256() };
    },
    async advisoriesSuperseding(nevra) {
      const list = await (advisories ??= securityAdvisories().catch(() => []));
      return list
        .filter((a) => a.packages.some((p) => p.name === nevra.name && (p.arch === nevra.arch || p.arch === 'noarch' || nevra.arch === 'noarch') && compareEvr(p, nevra) > 0))
        .map((a) => a.id);
    },
    close: () => client.close(),
  };
}

export function defaultDeps(): ImageDeps {
  return {
    async readInstalled(reader) {
      const pkgs = await readInstalledPackages(reader);
      return pkgs
        .filter((p) => p.name !== 'gpg-pubkey')
        .map((p) => ({
          nevra: { name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch },
          sigmd5: p.sigmd5 ?? '',
          sha256Header: p.sha256Header ?? '',
          files: p.files,
        }));
    },
    openRepo: openBuildRepo,
    async openPackage(rpmPath) {
      const p = await openPayloadFiles(rpmPath);
      return { nevra: p.nevra, files: p.files, payload: p.payload, close: async () => p.close() };
    },
  };
}
