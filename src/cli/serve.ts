// `yumvault serve`: parse options, open the stores, start the proxy (and its monitor), print the URL,
// stop cleanly on SIGTERM/SIGINT. The work lives in proxy/.
import { loadProxyConfig } from '../../proxy/config.ts';
import { createProxyServer } from '../../proxy/server.ts';
import { openProxyServices } from '../../proxy/services.ts';
import { defaultRepodataWriter } from './repodataWriter.ts';
import { jsonLogger } from '../retention/logger.ts';
import { parseArgs } from '../util/args.ts';
import type { CliIo } from './io.ts';
import { PROXY_OPTIONS, PROXY_REPEATABLE, proxyConfigArgs } from './proxyArgs.ts';

const USAGE = `usage: yumvault serve [--config FILE] [--data DIR] [--listen HOST:PORT] [--upstream NAME=URL]... [--token T]

  --config FILE        yumvault.yaml: repos (upstream, mirrorlist, metalink, metadataTtl, retention,
                       skipMinor, gpgcheck), metadataTtl, monitorInterval, catalog, publicUrl
  --data DIR           catalog (SQLite) and blobs live here            (YUMVAULT_DATA)
  --listen HOST:PORT   default 127.0.0.1:8080; port 0 picks one         (YUMVAULT_LISTEN)
  --upstream NAME=URL  serve upstream URL at /repos/NAME/ (repeatable)
  --token T            bearer token for API writes                      (YUMVAULT_TOKEN)
Also: YUMVAULT_CATALOG, YUMVAULT_BLOBS, YUMVAULT_METADATA_TTL, YUMVAULT_MONITOR_INTERVAL, YUMVAULT_UPSTREAM_TIMEOUT,
YUMVAULT_UPSTREAM_IDLE_TIMEOUT, YUMVAULT_UPSTREAM_MAX_FAILS, YUMVAULT_UPSTREAM_FAIL_TIMEOUT, YUMVAULT_HOT_CACHE_MB,
YUMVAULT_PUBLIC_URL.
`;

export async function runServe(argv: string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const args = parseArgs(argv, { flags: ['help'], options: PROXY_OPTIONS, repeatable: PROXY_REPEATABLE }, 'serve');
  if (args.flags.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const config = await loadProxyConfig(proxyConfigArgs(args));
  const logger = jsonLogger((line) => io.stderr(line));
  const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
  try {
    const proxy = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger, monitor: services.monitor });
    const url = await proxy.start();
    io.stdout(`yumvault: serving ${config.repos.map((r) => r.name).join(', ')} on ${url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        logger.info(`${sig}: stopping`);
        signals.off('SIGTERM', onTerm);
        signals.off('SIGINT', onInt);
        resolve();
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      signals.once('SIGTERM', onTerm);
      signals.once('SIGINT', onInt);
    });
    await proxy.stop();
  } finally {
    await services.monitor.close().catch(() => {});
    await services.close();
  }
  return 0;
}
