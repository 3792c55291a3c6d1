#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  readInstalledPackages
} from "./chunk-H7GEWST2.js";
import {
  hashingTap
} from "./chunk-GQFZBJXP.js";
import {
  WHOLE_MAX,
  openPayloadFiles
} from "./chunk-3OVKAOUI.js";
import "./chunk-QXTAC7VZ.js";
import {
  packageInfo
} from "./chunk-GNQYMYUT.js";
import {
  RepoClient
} from "./chunk-DQL5CALU.js";
import "./chunk-X4A4NOVL.js";
import "./chunk-TQESCGCX.js";
import "./chunk-Q25QUAV2.js";
import {
  hashFile
} from "./chunk-XSY2DD5M.js";
import "./chunk-ED73BUU6.js";
import "./chunk-2AKM7XFZ.js";
import {
  parseRpmPackageBytes
} from "./chunk-JXIOSGGW.js";
import "./chunk-7IXYQ7Q4.js";
import "./chunk-Y3BHZBXO.js";
import {
  compareEvr
} from "./chunk-QR73BMTC.js";
import {
  ChecksumMismatchError,
  UpstreamError
} from "./chunk-JAH4FOK6.js";
import "./chunk-I62UABPK.js";

// src/image/sources.ts
import { createWriteStream, statSync } from "node:fs";
import { Writable } from "node:stream";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
function toBuild(url, ref) {
  return {
    nevra: { name: ref.name, epoch: ref.epoch, version: ref.version, release: ref.release, arch: ref.arch },
    repo: url,
    ...ref.checksum.type === "sha256" ? { sha256: ref.checksum.value.toLowerCase() } : {},
    ref
  };
}
function localFile(url, ref) {
  if (/^https?:\/\//i.test(url) || ref.location.base) return void 0;
  const dir = /^file:/i.test(url) ? fileURLToPath(url) : resolve(url);
  const parts = ref.location.href.split("/").map((p) => decodeURIComponent(p));
  if (isAbsolute(ref.location.href) || parts.includes("..") || ref.location.href.includes("\\") || /^[a-z][a-z0-9+.-]*:/i.test(ref.location.href)) return void 0;
  return join(dir, ...parts);
}
function unreadable(path, e) {
  return new UpstreamError(`cannot read ${path}: ${e.message}`, { cause: e, status: e.code === "ENOENT" ? 404 : void 0 });
}
function openBuildRepo(url) {
  const client = new RepoClient(url);
  let all;
  const listAll = async () => {
    const out = [];
    for await (const p of client.streamPrimary()) out.push(toBuild(url, p));
    return out;
  };
  let advisories;
  const securityAdvisories = async () => {
    const out = [];
    for await (const a of client.streamUpdateinfo()) if (a.type === "security") out.push({ id: a.id, packages: a.packages });
    return out;
  };
  return {
    url,
    async find(nevra) {
      const ref = await client.findPackage(nevra);
      return ref ? toBuild(url, ref) : void 0;
    },
    async versions(name, arch) {
      return (await (all ??= listAll())).filter((b) => b.nevra.name === name && b.nevra.arch === arch);
    },
    async headerDigests(build) {
      const { bytes } = await client.readRemoteHeaderBytes(build.ref);
      const pkg = parseRpmPackageBytes(bytes);
      const info = packageInfo(pkg.header, pkg.signature);
      return { sigmd5: info.sigmd5 ?? "", sha256Header: info.sha256Header ?? "" };
    },
    async download(build, dest, opts) {
      const ref = build.ref;
      const local = localFile(url, ref);
      if (local && opts?.deferLocalCheck && build.sha256) {
        try {
          statSync(local);
        } catch (e) {
          throw unreadable(local, e);
        }
        return { sha256: build.sha256, path: local, unverified: true };
      }
      if (local) {
        const { digest } = await hashFile(local).catch((e) => {
          throw unreadable(local, e);
        });
        if (build.sha256 && digest !== build.sha256) {
          throw new ChecksumMismatchError(`${local}: sha256 ${digest}, the repository's metadata says ${build.sha256}`);
        }
        return { sha256: digest, path: local };
      }
      const size = ref.size.package;
      if (opts?.memory && build.sha256 && size > 0 && size <= WHOLE_MAX) {
        const release = await opts.memory.claim(size);
        try {
          const bytes = Buffer.allocUnsafeSlow(size);
          let at = 0;
          const sink = new Writable({
            write(chunk, _enc, done) {
              if (at + chunk.length > size) return done(new UpstreamError(`${url}: ${ref.location.href} is longer than primary.xml says (${size} bytes)`));
              bytes.set(chunk, at);
              at += chunk.length;
              done();
            }
          });
          await client.downloadPackage(ref, sink);
          return { sha256: build.sha256, bytes, release };
        } catch (e) {
          release();
          throw e;
        }
      }
      const file = createWriteStream(dest);
      const closed = new Promise((resolve2, reject) => {
        file.once("close", resolve2);
        file.once("error", reject);
      });
      if (build.sha256) {
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
      return list.filter((a) => a.packages.some((p) => p.name === nevra.name && (p.arch === nevra.arch || p.arch === "noarch" || nevra.arch === "noarch") && compareEvr(p, nevra) > 0)).map((a) => a.id);
    },
    close: () => client.close()
  };
}
function defaultDeps() {
  return {
    async readInstalled(reader) {
      const pkgs = await readInstalledPackages(reader);
      return pkgs.filter((p) => p.name !== "gpg-pubkey").map((p) => ({
        nevra: { name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch },
        sigmd5: p.sigmd5 ?? "",
        sha256Header: p.sha256Header ?? "",
        files: p.files
      }));
    },
    openRepo: openBuildRepo,
    async openPackage(rpmPath) {
      const p = await openPayloadFiles(rpmPath);
      return { nevra: p.nevra, files: p.files, payload: p.payload, close: async () => p.close() };
    }
  };
}
export {
  defaultDeps,
  openBuildRepo
};
