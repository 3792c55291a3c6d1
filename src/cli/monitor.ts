// `yumvault monitor --once`: one retention pass over every configured repo (same options as serve), then
// exit. The work lives in src/retention; the wiring is proxy/services.ts, shared with serve.
import { loadProxyConfig } from '../../proxy/config.ts';
import { openProxyServices } from '../../proxy/services.ts';
import { MonitorBusyError, MonitorPassError, UsageError } from '../errors.ts';
import { jsonLogger, type Logger } from '../retention/logger.ts';
import type { PassReport } from '../retention/monitor.ts';
import { parseArgs } from '../util/args.ts';
import type { CliIo } from './io.ts';
import { PROXY_OPTIONS, PROXY_REPEATABLE, proxyConfigArgs } from './proxyArgs.ts';
import { defaultRepodataWriter } from './repodataWriter.ts';

const USAGE = `usage: yumvault monitor --once [--config FILE] [--data DIR] [--upstream NAME=URL]... [--json]

One retention pass, then exit: read each upstream's repomd.xml, record what appeared, was superseded or
went away, hold every version the retention policy keeps (downloaded and verified while upstream still has
it), record what was lost, and republish the vault. Takes the same options as 'yumvault serve'.
  --json   print the pass report as one JSON object
Exit: 0 when every repo passed; 1 when a repo failed or another monitor holds the lock.
`;

export async function runMonitor(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { flags: ['help', 'once', 'json'], options: PROXY_OPTIONS, repeatable: PROXY_REPEATABLE }, 'monitor');
  if (args.flags.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (!args.flags.has('once')) throw new UsageError("monitor: give --once (the continuous monitor runs inside 'yumvault serve')");
  const config = await loadProxyConfig(proxyConfigArgs(args));
  // On a terminal the progress bar shows the pass; warnings and losses print above it. Elsewhere (CI, pipes)
  // every step is a JSON log line on stderr.
  const logger: Logger = process.stderr.isTTY
    ? { info: () => {}, warn: (m) => io.progress.note(`warning: ${m}`), error: (m) => io.progress.note(`error: ${m}`) }
    : jsonLogger((line) => io.stderr(line));
  const services = await openProxyServices(config, { logger, writeRepodata: await defaultRepodataWriter() });
  let report: PassReport;
  try {
    services.monitor.setProgress(io.progress);
    report = await services.monitor.runPass();
  } finally {
    await services.monitor.close();
    await services.close();
  }
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(report)}\n`);
  else io.stdout(passSummary(report));
  if (!report.ran) throw new MonitorBusyError('another monitor holds the lock (a serve with its monitor, or another monitor --once)');
  const failed = report.repos.filter((r) => r.error);
  if (failed.length) throw new MonitorPassError(`pass failed for ${failed.map((r) => `${r.repo} (${r.error})`).join('; ')}`);
  return 0;
}

/** The readable report: a line per repo, then each lost version and each version that failed (with why). */
export function passSummary(report: PassReport): string {
  const lines = report.repos.map((r) => {
    const head = `${r.repo}: revision ${r.revision ?? '?'}${r.scanned || r.error ? '' : ' (unchanged)'}: ${r.appeared} appeared, ${r.gone} gone, ${r.superseded} superseded, ${r.retained} retained (${r.downloaded} downloaded), ${r.skipped} skipped, ${r.advisories} advisories, ${r.lost.length} lost${r.failed.length ? `, ${r.failed.length} failed` : ''}`;
    const lost = r.lost.map((l) => `  LOST ${l.nevra}${l.manifests.length ? ` (breaks manifests ${l.manifests.join(', ')})` : ''}`);
    // Failed versions stay pending (retried next pass); the reason says what to fix upstream or here.
    const failed = r.failed.map((f) => `  failed ${f.nevra}: ${f.error}`);
    return [head, ...lost, ...failed, ...(r.error ? [`  error: ${r.error}`] : [])].join('\n');
  });
  return `${lines.join('\n')}\n`;
}
