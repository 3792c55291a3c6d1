// What `yumvault serve` (and `monitor --once`, which takes the same options) runs on, built from the
// configuration: the stores under DATA (or the configured catalog), and the retention monitor with one
// upstream source per repository. Kept apart from the CLI so both commands share one wiring.
import type { Logger } from '../src/retention/logger.ts';
import { Monitor, type MonitoredRepo } from '../src/retention/monitor.ts';
import { HttpUpstreamSource } from '../src/retention/repoSource.ts';
import { openStores, type Stores } from '../src/store/index.ts';
import type { ProxyConfig } from './config.ts';
import { createVaultPublisher, type RepodataWriter } from './vault/publish.ts';
import { MirrorChooser } from './passthrough/mirrors.ts';
import { UpstreamClient } from './passthrough/upstream.ts';

export interface ProxyServices {
  stores: Stores;
  monitor: Monitor;
  close(): Promise<void>;
}

export interface ServicesOptions {
  logger: Logger;
  /** src/repo's repodata writer: with it the monitor republishes a repo's vault after each change. */
  writeRepodata?: RepodataWriter;
  now?: () => number;
}

export async function openProxyServices(config: ProxyConfig, options: ServicesOptions): Promise<ProxyServices> {
  const stores = await openStores({ dataDir: config.dataDir, catalogUrl: config.catalogUrl ?? undefined, blobsUrl: config.blobsUrl ?? undefined });
  const probe = new UpstreamClient({ timeoutMs: config.upstreamTimeoutMs, idleTimeoutMs: config.upstreamIdleTimeoutMs });
  const repos: MonitoredRepo[] = [];
  try {
    for (const repo of config.repos) {
      let baseUrl = repo.upstream;
      if (!baseUrl) {
        // A repo known only by its mirror list: the monitor reads the mirror chosen now.
        try {
          baseUrl = await new MirrorChooser(repo, probe, options.now ?? Date.now).baseUrl();
        } catch (e) {
          options.logger.error(`${repo.name}: no mirror to monitor: ${(e as Error).message}`, { repo: repo.name });
          continue;
        }
      }
      repos.push({
        name: repo.name,
        upstreamUrl: baseUrl,
        policy: repo.policy,
        source: new HttpUpstreamSource({ baseUrl, headersTimeoutMs: config.upstreamTimeoutMs, bodyTimeoutMs: config.upstreamIdleTimeoutMs }),
      });
    }
  } finally {
    await probe.close();
  }
  const publish = options.writeRepodata
    ? createVaultPublisher({ catalog: stores.catalog, blobs: stores.blobs, dataDir: config.dataDir, writeRepodata: options.writeRepodata })
    : undefined;
  const monitor = new Monitor({ catalog: stores.catalog, blobs: stores.blobs, repos, logger: options.logger, publish, now: options.now });
  return { stores, monitor, close: () => stores.close() };
}
