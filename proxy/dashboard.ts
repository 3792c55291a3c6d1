// GET /: the page an operator opens to see whether the proxy is doing its job: each repository with its
// upstream, the revision served, how many versions are listed, held, retained and lost, the last monitor
// pass; the builds that were lost and the manifests they break; the registered manifests with where their
// builds stand; the latest retention events. Rendered on the server from the catalog (the data /api/v1
// answers) with bounded queries, every value escaped, no scripts and no external assets, so it is served
// under `default-src 'none'` and works on a phone.
import type { Catalog, EventKind, ManifestSummary, PackageVersion, RepoSummary, RetentionEvent } from '../src/store/catalog.ts';
import { formatNevra } from '../src/rpm/nevra.ts';

export interface DashboardRepo {
  name: string;
  upstream: string;
  servedRevision: string | null;
}

export interface DashboardPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How much of each list the page shows (each one limited in its catalog query). */
export interface DashboardLimits {
  events: number;
  manifests: number;
  lostPerRepo: number;
}

export const DASHBOARD_LIMITS: DashboardLimits = { events: 50, manifests: 50, lostPerRepo: 20 };

/** The inline <style> is the only thing the page loads; nothing else may run or be fetched. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Every event kind but `appeared`: a new upstream revision lists thousands of versions at once and would
 * push the retention history (superseded, gone, retained, lost, advisory, skipped) off the page.
 */
const RETENTION_KINDS: readonly EventKind[] = ['superseded', 'gone', 'retained', 'lost', 'advisory', 'skipped'];

interface LostBuild {
  version: PackageVersion;
  manifests: number[];
}

interface DashboardData {
  repos: { config: DashboardRepo | null; summary: RepoSummary | null; name: string }[];
  totals: { retained: number; lost: number; held: number };
  events: RetentionEvent[];
  manifests: ManifestSummary[];
  lost: LostBuild[];
}

export async function renderDashboard(catalog: Catalog, repos: readonly DashboardRepo[], now: number, limits: DashboardLimits = DASHBOARD_LIMITS): Promise<DashboardPage> {
  try {
    const data = await loadDashboard(catalog, repos, limits);
    return { status: 200, headers: { ...DASHBOARD_HEADERS }, body: page(data, now, limits) };
  } catch (e) {
    // The catalog is down: say so plainly rather than show a page of zeros an operator might believe.
    const body = shell('yumvault proxy: catalog unavailable', now, `<p class="alert">The catalog could not be read: ${esc((e as Error).message)}</p>`);
    return { status: 503, headers: { ...DASHBOARD_HEADERS }, body };
  }
}

async function loadDashboard(catalog: Catalog, configured: readonly DashboardRepo[], limits: DashboardLimits): Promise<DashboardData> {
  const [summaries, events, totals, manifests] = await Promise.all([
    catalog.listRepos(),
    catalog.latestEvents(limits.events, { kinds: RETENTION_KINDS }),
    catalog.totals(),
    catalog.manifestSummaries({ limit: limits.manifests }),
  ]);
  const byName = new Map(summaries.map((s) => [s.name, s]));
  // Configured repos in their configured order, then any the catalog still knows from an earlier config
  // (their retained and lost versions still matter).
  const repos: DashboardData['repos'] = configured.map((c) => ({ name: c.name, config: c, summary: byName.get(c.name) ?? null }));
  const names = new Set(configured.map((c) => c.name));
  for (const s of summaries) if (!names.has(s.name)) repos.push({ name: s.name, config: null, summary: s });

  const lost: LostBuild[] = [];
  for (const s of summaries) {
    if (s.counts.lost === 0) continue;
    const rows = await catalog.listPackages(s.name, { limit: limits.lostPerRepo }, { lost: true });
    for (const version of rows) lost.push({ version, manifests: await catalog.manifestsReferencing(version.pkgid) });
  }
  lost.sort((a, b) => (b.version.lostAt ?? 0) - (a.version.lostAt ?? 0));
  return { repos, totals, events, manifests, lost };
}

function page(d: DashboardData, now: number, limits: DashboardLimits): string {
  const lostTotal = d.totals.lost;
  const alert = lostTotal
    ? `<p class="alert" role="alert"><b>${lostTotal} ${lostTotal === 1 ? 'build' : 'builds'} lost</b>: a version this proxy had to keep was evicted upstream before it held a copy. The images that reference it cannot be restored from here. See <a href="#lost">lost builds</a>.</p>`
    : '';
  const stats = `<ul class="stats">
<li><b>${d.repos.length}</b> repositories</li><li><b>${d.totals.held}</b> versions held</li>
<li><b>${d.totals.retained}</b> retained</li><li class="${lostTotal ? 'bad' : ''}"><b>${lostTotal}</b> lost</li>
<li><b>${d.manifests.length}${d.manifests.length === limits.manifests ? '+' : ''}</b> manifests</li></ul>`;
  const title = lostTotal ? `yumvault proxy (${lostTotal} lost)` : 'yumvault proxy';
  return shell(title, now, [alert, stats, repoSection(d, now), lostSection(d, limits), manifestSection(d, limits), eventSection(d, limits)].join('\n'));
}

function repoSection(d: DashboardData, now: number): string {
  const rows = d.repos.map(({ name, config, summary: s }) => {
    const c = s?.counts;
    const n = encodeURIComponent(name);
    const links = config
      ? `<a href="/repos/${esc(n)}.repo">.repo file</a> · <a href="/vault/${esc(n)}/repodata/repomd.xml">vault</a>`
      : `<a href="/vault/${esc(n)}/repodata/repomd.xml">vault</a> <span class="muted">(not configured)</span>`;
    const served = config?.servedRevision ?? null;
    const seen = s?.revision ?? null;
    const revision = `${served ? `<code>${esc(served)}</code>` : '<span class="muted">none yet</span>'}`
      + (seen && seen !== served ? `<br><span class="muted">monitor recorded <code>${esc(seen)}</code></span>` : '');
    const pass = s?.lastPassAt ? timeAgo(s.lastPassAt, now) : '<span class="muted">never</span>';
    const err = s?.lastPassError ? `<br><span class="bad">failed: ${esc(s.lastPassError)}</span>` : '';
    return `<tr class="${c?.lost ? 'lost' : ''}"><td data-label="repo"><b>${esc(name)}</b><br>${links}</td>`
      + `<td data-label="upstream" class="url">${esc(config?.upstream || s?.upstreamUrl || '')}</td>`
      + `<td data-label="revision served">${revision}</td>`
      + num('listed upstream', c?.upstream ?? 0) + num('held', c?.held ?? 0) + num('retained', c?.retained ?? 0)
      + num('lost', c?.lost ?? 0, true)
      + `<td data-label="last monitor pass">${pass}${err}</td></tr>`;
  });
  return `<h2>Repositories</h2>
<table class="cards"><thead><tr><th>repo</th><th>upstream</th><th>revision served</th><th class="num">listed upstream</th><th class="num">held</th><th class="num">retained</th><th class="num">lost</th><th>last monitor pass</th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="8">No repositories configured.</td></tr>'}</tbody></table>`;
}

function lostSection(d: DashboardData, limits: DashboardLimits): string {
  if (d.lost.length === 0) return '';
  const rows = d.lost.map(({ version: v, manifests }) =>
    `<tr class="lost"><td data-label="version"><code>${esc(formatNevra(v))}</code></td><td data-label="repo">${esc(v.repo)}</td>`
    + `<td data-label="lost at" class="t">${v.lostAt ? utc(v.lostAt) : ''}</td>`
    + `<td data-label="breaks manifests">${manifests.map((id) => `<a href="/api/v1/manifests/${id}">#${id}</a>`).join(' ') || '<span class="muted">none</span>'}</td>`
    + `<td data-label="pkgid"><code title="${esc(v.pkgid)}">${esc(v.pkgid.slice(0, 12))}</code></td></tr>`);
  return `<h2 id="lost">Lost builds</h2>
<p class="muted">Kept by policy, evicted upstream before the proxy held them (at most ${limits.lostPerRepo} per repo shown; all: <code>/api/v1/packages?repo=NAME&amp;lost=1</code>).</p>
<table class="cards"><thead><tr><th>version</th><th>repo</th><th>lost at (UTC)</th><th>breaks manifests</th><th>pkgid</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function manifestSection(d: DashboardData, limits: DashboardLimits): string {
  const rows = d.manifests.map((m) =>
    `<tr class="${m.lost ? 'lost' : ''}"><td data-label="manifest"><a href="/api/v1/manifests/${m.id}">#${m.id}</a></td>`
    + `<td data-label="image">${m.imageName ? esc(m.imageName) : '<span class="muted">unnamed</span>'}<br><code title="${esc(m.imageSha256)}">${esc(m.imageSha256.slice(0, 12))}</code></td>`
    + `<td data-label="registered" class="t">${utc(m.createdAt)}</td>`
    + num('builds', m.builds) + num('upstream', m.upstream) + num('retained', m.retained) + num('lost', m.lost, true)
    + num('other', m.other) + num('held', m.held) + '</tr>');
  return `<h2>Registered manifests</h2>
<p class="muted">Newest first, at most ${limits.manifests}. Each build counted once: still listed <i>upstream</i>, else <i>retained</i> (served by the vault), else <i>lost</i>, else <i>other</i> (gone unheld, skipped by policy, or never seen); <i>held</i>: builds the proxy has a copy of.</p>
<table class="cards"><thead><tr><th>manifest</th><th>image</th><th>registered (UTC)</th><th class="num">builds</th><th class="num">upstream</th><th class="num">retained</th><th class="num">lost</th><th class="num">other</th><th class="num">held</th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="9">No manifests registered yet.</td></tr>'}</tbody></table>`;
}

function eventSection(d: DashboardData, limits: DashboardLimits): string {
  const rows = d.events.map((e) =>
    `<tr class="${e.kind === 'lost' ? 'lost' : ''}"><td data-label="when" class="t">${utc(e.at)}</td><td data-label="repo">${esc(e.repo)}</td>`
    + `<td data-label="event" class="kind ${e.kind === 'lost' ? 'bad' : ''}">${esc(e.kind)}</td><td data-label="version"><code>${esc(e.nevra)}</code></td>`
    + `<td data-label="detail">${esc(e.detail ?? '')}</td></tr>`);
  return `<h2>Latest retention events</h2>
<p class="muted">Newest first, at most ${limits.events}; versions newly listed upstream (<i>appeared</i>) are left out. All events: <a href="/api/v1/events">/api/v1/events</a>.</p>
<table class="cards events"><thead><tr><th>when (UTC)</th><th>repo</th><th>event</th><th>version</th><th>detail</th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="5">No retention events yet.</td></tr>'}</tbody></table>`;
}

function shell(title: string, now: number, main: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head><body>
<header><h1>yumvault proxy</h1><p class="muted">As of ${utc(now)} UTC · <a href="/metrics">metrics</a> · <a href="/api/v1/repos">API</a> · <a href="/healthz">health</a> · <a href="/readyz">ready</a></p></header>
<main>
${main}
</main>
</body></html>
`;
}

const CSS = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1em 1.5em 3em;max-width:90em;color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:2em 0 .4em}
a{color:#0b57d0}code{font:.9em ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:break-word}
.muted{color:#5f6368}.bad{color:#b00020;font-weight:700}
.alert{background:#fdecee;border:1px solid #b00020;border-left-width:6px;color:#5c0011;padding:.7em 1em;border-radius:4px}
.stats{display:flex;flex-wrap:wrap;gap:.6em;list-style:none;padding:0;margin:1em 0}
.stats li{border:1px solid #dadce0;border-radius:6px;padding:.4em .9em;background:#f8f9fa}
.stats li.bad{border-color:#b00020;background:#fdecee}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4em .6em;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#f1f3f4;font-weight:600;font-size:.9em}
.num{text-align:right;font-variant-numeric:tabular-nums}.t{white-space:nowrap}
td.num.bad{background:#fdecee}
tr.lost td{background:#fdecee}
.url{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em;word-break:break-all}
@media (max-width:48em){
  body{padding:.6em .8em 2em}
  table.cards thead{display:none}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards tr{border:1px solid #dadce0;border-radius:6px;margin:0 0 .8em;overflow:hidden}
  table.cards td{border-bottom:1px solid #f1f3f4;text-align:left;overflow-wrap:anywhere}
  table.cards td[data-label]::before{content:attr(data-label);display:block;font-size:.8em;color:#5f6368}
  table.cards td.num{display:flex;justify-content:space-between;align-items:baseline;gap:1em}
  table.cards td.num::before{display:inline;font-size:.9em}
  .t{white-space:normal}
}
`;

function num(label: string, n: number, alarm = false): string {
  return `<td data-label="${label}" class="num${alarm && n > 0 ? ' bad' : ''}">${n}</td>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "2026-11-25 10:31:02" (UTC), or a dash for a time the catalog cannot have meant. */
function utc(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString().replace('T', ' ').slice(0, 19) : '—';
}

function timeAgo(at: number, now: number): string {
  if (!Number.isFinite(at)) return '—';
  const s = Math.max(0, Math.round((now - at) / 1000));
  const ago = s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : s < 172_800 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} days ago`;
  return `<time datetime="${new Date(at).toISOString()}" title="${utc(at)} UTC">${ago}</time>`;
}
