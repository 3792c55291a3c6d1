// GET /: one small HTML page for people: each repository with the upstream revision served, counts of
// versions retained and lost, and the latest retention events. Rendered on the server from the catalog
// (the same data /api/v1 answers), no scripts or external assets.
import type { Catalog, RepoSummary, RetentionEvent } from '../src/store/catalog.ts';

export interface DashboardRepo {
  name: string;
  upstream: string;
  servedRevision: string | null;
}

export async function renderDashboard(catalog: Catalog, repos: readonly DashboardRepo[], now: number): Promise<string> {
  const [summaries, events, totals] = await Promise.all([catalog.listRepos(), catalog.listEvents({ limit: 10_000 }), catalog.totals()]);
  const byName = new Map<string, RepoSummary>(summaries.map((s) => [s.name, s]));
  const recent = events.slice(-30).reverse();
  const rows = repos.map((r) => {
    const s = byName.get(r.name);
    const c = s?.counts;
    return `<tr><td><a href="/repos/${esc(r.name)}.repo">${esc(r.name)}</a></td><td class="u">${esc(r.upstream)}</td><td>${esc(r.servedRevision ?? '—')}</td>`
      + `<td>${c ? c.upstream : 0}</td><td>${c ? c.held : 0}</td><td>${c ? c.retained : 0}</td><td class="${c?.lost ? 'bad' : ''}">${c ? c.lost : 0}</td>`
      + `<td>${s?.lastPassAt ? ago(now - s.lastPassAt) : 'never'}${s?.lastPassError ? ` <span class="bad">${esc(s.lastPassError)}</span>` : ''}</td>`
      + `<td><a href="/vault/${esc(r.name)}/repodata/repomd.xml">vault</a></td></tr>`;
  });
  const ev = recent.map((e: RetentionEvent) =>
    `<tr class="${e.kind === 'lost' ? 'bad' : ''}"><td>${new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)}</td><td>${esc(e.repo)}</td><td>${esc(e.kind)}</td><td>${esc(e.nevra)}</td><td>${esc(e.detail ?? '')}</td></tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>yumvault</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f4f4f4}.u{font-family:monospace;font-size:.9em;word-break:break-all}.bad{color:#b00020;font-weight:600}
.totals span{display:inline-block;margin-right:2em}
</style></head><body>
<h1>yumvault proxy</h1>
<p class="totals"><span>held versions: <b>${totals.held}</b></span><span>retained: <b>${totals.retained}</b></span><span class="${totals.lost ? 'bad' : ''}">lost: <b>${totals.lost}</b></span></p>
<h2>Repositories</h2>
<table><thead><tr><th>repo</th><th>upstream</th><th>revision served</th><th>listed upstream</th><th>held</th><th>retained</th><th>lost</th><th>last monitor pass</th><th></th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="9">none configured</td></tr>'}</tbody></table>
<h2>Recent retention events</h2>
<table><thead><tr><th>when (UTC)</th><th>repo</th><th>event</th><th>version</th><th>detail</th></tr></thead>
<tbody>${ev.join('\n') || '<tr><td colspan="5">none yet</td></tr>'}</tbody></table>
<p><a href="/metrics">metrics</a> · <a href="/api/v1/repos">API</a> · <a href="/healthz">health</a></p>
</body></html>
`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}
