// Wires the demo to the real pieces of yumvault, in-process: the repodata writer (src/repo), the proxy with
// its stores and monitor (proxy/), decompose/restore/verify (src/image), and the proxy's HTTP API for the
// monitor pass and the manifest's build states — the same calls a user's scripts make.

import { join } from 'node:path';
import { buildConfig } from '../../proxy/config.ts';
import { createProxyServer } from '../../proxy/server.ts';
import { openProxyServices } from '../../proxy/services.ts';
import { UpstreamError, VerificationError } from '../errors.ts';
import { decomposeImage } from '../image/decompose.ts';
import { restoreImage } from '../image/restore.ts';
import { verifyImage } from '../image/verify.ts';
import { writeRepodata } from '../repo/writer.ts';
import { jsonLogger, silentLogger, type Logger } from '../retention/logger.ts';
import { defaultRepodataWriter } from '../cli/repodataWriter.ts';
import type { DemoServices, RunningProxy } from './cycle.ts';

/** The proxy's log lines are not part of the demo's story; YUMVAULT_DEBUG=1 shows them on stderr. */
function demoLogger(): Logger {
  return process.env.YUMVAULT_DEBUG ? jsonLogger() : silentLogger;
}

async function api(proxy: RunningProxy, path: string, token: string, method = 'GET'): Promise<unknown> {
  const res = await fetch(`${proxy.url}api/v1/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new UpstreamError(`${method} /api/v1/${path} answered ${res.status}: ${text.slice(0, 300)}`, { status: res.status });
  return JSON.parse(text) as unknown;
}

export function defaultDemoServices(): DemoServices {
  return {
    writeRepodata: async (repoDir, packages) => {
      await writeRepodata(
        repoDir,
        packages.map((p) => ({ path: join(repoDir, p.relativePath), location: p.relativePath })),
      );
    },

    async startProxy(o) {
      const config = buildConfig(
        // The demo runs its pass itself, when upstream has moved on.
        { monitorInterval: '0', ...(o.metadataTtl !== undefined ? { metadataTtl: o.metadataTtl } : {}) },
        {},
        { data: o.dataDir, listen: '127.0.0.1:0', token: o.token, upstreams: Object.entries(o.upstreams).map(([n, u]) => `${n}=${u}`) },
      );
      const logger = demoLogger();
      // The vault is published with the same writer `yumvault serve` uses.
      const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
      try {
        const server = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger, monitor: services.monitor });
        const url = await server.start();
        return {
          url,
          async close() {
            await server.stop();
            await services.monitor.close();
            await services.close();
          },
        };
      } catch (e) {
        await services.monitor.close();
        await services.close();
        throw e;
      }
    },

    async decompose(o) {
      const s = await decomposeImage({ image: o.image, repos: o.repos, outDir: o.out, register: { proxyUrl: o.register.url, token: o.register.token } });
      if (s.packagesFound !== s.packages) {
        throw new VerificationError(`only ${s.packagesFound} of ${s.packages} packages found through the proxy (missing: ${s.packagesMissing.join(', ')})`);
      }
      return { packages: s.packages, packagesFound: s.packagesFound, storedBytes: s.storedBytes, manifestId: s.manifestId };
    },

    async monitor(proxy, token) {
      const report = (await api(proxy, 'monitor', token, 'POST')) as { ran: boolean; repos: Array<{ repo: string; error?: string | null; lost: unknown[] }> };
      const failed = report.repos.filter((r) => r.error);
      if (failed.length) throw new Error(`monitor pass failed: ${failed.map((r) => `${r.repo}: ${r.error}`).join('; ')}`);
      const lost = report.repos.reduce((n, r) => n + r.lost.length, 0);
      if (lost) throw new Error(`the monitor pass lost ${lost} build(s)`);
    },

    async retained(o) {
      if (!o.manifestId) throw new Error('decompose did not report the manifest id the proxy registered');
      const m = (await api(o.proxy, `manifests/${encodeURIComponent(o.manifestId)}`, o.token)) as { builds: Array<{ state: string; held: boolean }> };
      return m.builds.filter((b) => b.held && b.state === 'retained').length;
    },

    async restore(o) {
      await restoreImage({ dir: o.dir, repos: o.repos, out: o.out });
    },

    async verify(dir, image) {
      const v = await verifyImage(dir, image);
      if (!v.ok) throw new VerificationError(v.reason ?? 'the restored image does not match the manifest');
    },
  };
}
