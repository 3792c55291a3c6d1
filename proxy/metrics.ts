// Prometheus text exposition (format 0.0.4) of the proxy's counters, kept in plain fields: the handful of
// series here do not need a client library. Retained and lost versions come from the catalog at scrape time.

export interface CatalogTotals {
  retained: number;
  lost: number;
  held: number;
}

export class ProxyMetrics {
  private readonly requests = new Map<string, number>();
  cacheHits = 0;
  cacheMisses = 0;
  bytesServed = 0;
  bytesFetched = 0;
  upstreamErrors = 0;
  staleServed = 0;
  checksumMismatches = 0;

  countRequest(route: string, status: number): void {
    const key = `${route}\0${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  render(totals: CatalogTotals | null, extra: { versionsLostSinceStart: number; inflight: number }): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, rows: [string, number][]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of rows) out.push(`${name}${labels} ${v}`);
    };
    metric('yumvault_http_requests_total', 'counter', 'HTTP requests answered, by route and status.',
      [...this.requests].map(([k, v]) => {
        const [route, status] = k.split('\0');
        return [`{route="${route}",status="${status}"}`, v];
      }));
    metric('yumvault_cache_hits_total', 'counter', 'Repository files answered from the cache.', [['', this.cacheHits]]);
    metric('yumvault_cache_misses_total', 'counter', 'Repository files that needed upstream.', [['', this.cacheMisses]]);
    metric('yumvault_bytes_served_total', 'counter', 'Body bytes sent to clients for repository files.', [['', this.bytesServed]]);
    metric('yumvault_bytes_fetched_total', 'counter', 'Body bytes received from upstream.', [['', this.bytesFetched]]);
    metric('yumvault_upstream_errors_total', 'counter', 'Failed upstream exchanges (status, timeout, reset).', [['', this.upstreamErrors]]);
    metric('yumvault_stale_served_total', 'counter', 'Metadata answers served stale because upstream failed.', [['', this.staleServed]]);
    metric('yumvault_checksum_mismatches_total', 'counter', 'Upstream bytes that did not match the metadata (nothing stored).', [['', this.checksumMismatches]]);
    metric('yumvault_downloads_inflight', 'gauge', 'Upstream downloads in progress.', [['', extra.inflight]]);
    if (totals) {
      metric('yumvault_retained_versions', 'gauge', 'Package versions retained (held after upstream moved on).', [['', totals.retained]]);
      metric('yumvault_held_versions', 'gauge', 'Package versions the proxy holds bytes for.', [['', totals.held]]);
      metric('yumvault_versions_lost', 'gauge', 'Versions that had to be kept but were gone upstream before they could be held.', [['', totals.lost]]);
    }
    metric('yumvault_versions_lost_since_start_total', 'counter', 'Versions recorded lost by this process.', [['', extra.versionsLostSinceStart]]);
    return `${out.join('\n')}\n`;
  }
}
