#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  MirrorChooser,
  NotModifiedSignal,
  UpstreamClient,
  contentTypeFor,
  createVaultRouter,
  httpStatusFor,
  isSha256Hex,
  jsonErrorHandler,
  require_express,
  sendError,
  sendProxyError,
  statusError,
  toUpstreamError
} from "./chunk-MMDAE7E4.js";
import {
  checksumAlgo,
  parseRepomd,
  streamPrimary
} from "./chunk-DQL5CALU.js";
import {
  writeFileAtomic
} from "./chunk-TQESCGCX.js";
import {
  formatNevra
} from "./chunk-ED73BUU6.js";
import {
  ChecksumMismatchError,
  ManifestError,
  MonitorBusyError,
  NotFoundError,
  PathTraversalError,
  UpstreamError,
  UsageError,
  isYumvaultError
} from "./chunk-JAH4FOK6.js";
import {
  __toESM
} from "./chunk-I62UABPK.js";

// proxy/server.ts
var import_express2 = __toESM(require_express(), 1);
import { createServer } from "node:http";

// proxy/api/router.ts
var import_express = __toESM(require_express(), 1);

// proxy/api/auth.ts
import { createHash, timingSafeEqual } from "node:crypto";
function tokenMatches(presented, expected) {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}
function requireTokenForWrites(token) {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const header3 = req.get("authorization") ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header3);
    if (!token) {
      return sendError(res, 401, "YV_AUTH", "writes are disabled: the proxy was started without --token", { "WWW-Authenticate": "Bearer" });
    }
    if (!m || !tokenMatches(m[1], token)) {
      return sendError(res, 401, "YV_AUTH", m ? "wrong bearer token" : "this request needs Authorization: Bearer TOKEN", { "WWW-Authenticate": "Bearer" });
    }
    next();
  };
}

// proxy/api/manifestBody.ts
var MANIFEST_FORMAT = "yumvault.manifest/1";
var HEX64 = /^[0-9a-f]{64}$/;
function parseRegistration(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ManifestError("the body must be a manifest.json object");
  const m = body;
  if (m.format !== MANIFEST_FORMAT) throw new ManifestError(`manifest format must be "${MANIFEST_FORMAT}"; got ${JSON.stringify(m.format)}`);
  const image = m.image;
  if (!image || typeof image !== "object" || typeof image.sha256 !== "string" || !HEX64.test(image.sha256)) {
    throw new ManifestError("manifest image.sha256 must be 64 lowercase hex digits");
  }
  if (!Array.isArray(m.packages)) throw new ManifestError("manifest packages must be a list");
  const builds = m.packages.map((p, i) => {
    const b = p;
    const str = (k) => {
      if (!b || typeof b[k] !== "string" || b[k] === "") throw new ManifestError(`manifest packages[${i}].${k} must be a non-empty string`);
      return b[k];
    };
    const epoch = b?.epoch ?? 0;
    if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0) throw new ManifestError(`manifest packages[${i}].epoch must be a non-negative integer`);
    const pkgid = str("pkgid");
    if (!HEX64.test(pkgid)) throw new ManifestError(`manifest packages[${i}].pkgid must be the sha256 of the .rpm (64 lowercase hex digits)`);
    return {
      name: str("name"),
      epoch,
      version: str("version"),
      release: str("release"),
      arch: str("arch"),
      pkgid,
      repo: typeof b.repo === "string" && b.repo !== "" ? b.repo : null
    };
  });
  return { imageSha256: image.sha256, imageName: typeof image.name === "string" ? image.name : null, builds };
}
function resolveRepoName(field, repos) {
  if (!field) return null;
  const byName = repos.find((r) => r.name === field);
  if (byName) return byName.name;
  const m = /\/(?:repos|vault)\/([^/]+)\/?$/.exec(field);
  if (m && repos.some((r) => r.name === m[1])) return m[1];
  const strip = (u) => u.replace(/\/+$/, "");
  return repos.find((r) => strip(r.upstreamUrl) === strip(field))?.name ?? null;
}

// proxy/api/router.ts
var EVENT_KINDS = ["appeared", "superseded", "gone", "retained", "lost", "advisory", "skipped"];
function createApiRouter(deps) {
  const { catalog } = deps;
  const now = deps.now ?? Date.now;
  const router = import_express.default.Router();
  const api = import_express.default.Router();
  router.use("/api/v1", requireTokenForWrites(deps.token), api);
  api.use(import_express.default.json({ limit: deps.maxBodyBytes ?? 32 * 1024 * 1024, type: () => true }));
  api.post("/manifests", async (req, res) => {
    const input = parseRegistration(req.body);
    const repos = [...await catalog.listRepos(), ...(deps.monitor?.repoNames ?? []).map((name) => ({ name, upstreamUrl: "" }))];
    const builds = input.builds.map((b) => ({ ...b, repo: resolveRepoName(b.repo, repos) ?? b.repo }));
    const { id, created } = await catalog.registerManifest({ ...input, builds, body: req.body }, now());
    let pass = null;
    if (deps.monitor && req.query.wait !== "false") {
      const names = new Set(input.builds.map((b) => resolveRepoName(b.repo, repos)));
      pass = await deps.monitor.runPass(names.has(null) ? {} : { repos: [...names] });
    }
    const reports = await buildReports(catalog, id);
    res.status(created ? 201 : 200).json({
      id,
      created,
      held: pass ? pass.ran : false,
      counts: countStates(reports),
      lost: reports.filter((b) => b.state === "lost").map((b) => b.nevra)
    });
  });
  api.get("/manifests", async (req, res) => {
    res.json({ manifests: await catalog.listManifests(page(req)) });
  });
  api.get("/manifests/:id", async (req, res) => {
    const id = Number(req.params.id);
    const m = Number.isSafeInteger(id) && id > 0 ? await catalog.getManifest(id) : null;
    if (!m) throw new NotFoundError(`no manifest with id ${JSON.stringify(req.params.id)}`);
    const builds = await buildReports(catalog, id);
    res.json({ id: m.id, imageSha256: m.imageSha256, imageName: m.imageName, createdAt: m.createdAt, counts: countStates(builds), builds, manifest: m.body });
  });
  api.get("/repos", async (_req, res) => {
    const repos = await catalog.listRepos();
    res.json({ repos: repos.map((r) => ({ ...r, policy: deps.policies?.[r.name] ?? null })) });
  });
  api.get("/packages", async (req, res) => {
    const repo = await knownRepo(catalog, req.query.repo);
    const p = page(req);
    const str = (v) => typeof v === "string" && v !== "" ? v : void 0;
    const flag = (v) => v === "1" || v === "true";
    const rows = await catalog.listPackages(repo, p, {
      name: str(req.query.name),
      pkgid: str(req.query.pkgid),
      withAdvisory: flag(req.query.advisory),
      lost: flag(req.query.lost)
    });
    res.json({ repo, packages: rows.map(packageView), next: rows.length === p.limit ? p.offset + rows.length : null });
  });
  api.get("/events", async (req, res) => {
    const repo = req.query.repo === void 0 ? void 0 : await knownRepo(catalog, req.query.repo);
    const kind = req.query.kind;
    if (kind !== void 0 && !EVENT_KINDS.includes(kind)) throw new UsageError(`kind must be one of ${EVENT_KINDS.join(", ")}`);
    const events = await catalog.listEvents({ repo, kind, afterId: intParam(req.query, "after", 0), limit: Math.min(intParam(req.query, "limit", 1e3), 1e4) });
    res.json({ events });
  });
  api.post("/monitor", async (req, res) => {
    if (!deps.monitor) throw new MonitorBusyError("this proxy runs no monitor");
    const repo = req.query.repo === void 0 ? void 0 : String(req.query.repo);
    if (repo !== void 0 && !deps.monitor.repoNames.includes(repo)) throw new NotFoundError(`no monitored repo named ${JSON.stringify(repo)}`);
    const report = await deps.monitor.runPass(repo ? { repos: [repo] } : {});
    if (!report.ran) throw new MonitorBusyError("another monitor pass holds the lock; try again later");
    res.json(report);
  });
  api.use((req, res) => {
    res.status(404).json({ error: { code: "YV_NOT_FOUND", message: `no API route ${req.method} /api/v1${req.path}` } });
  });
  api.use(jsonErrorHandler);
  return router;
}
async function knownRepo(catalog, value) {
  if (typeof value !== "string" || value === "") throw new UsageError("the repo query parameter is required (?repo=NAME)");
  if (!await catalog.getRepo(value)) throw new NotFoundError(`no repo named ${JSON.stringify(value)}`);
  return value;
}
function intParam(query, name, dflt) {
  const v = query[name];
  if (v === void 0) return dflt;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`query parameter ${name} must be a non-negative integer; got ${JSON.stringify(v)}`);
  return n;
}
function page(req) {
  return { limit: Math.min(intParam(req.query, "limit", 1e3), 1e4), offset: intParam(req.query, "offset", 0) };
}
function packageView(p) {
  const reasons = [p.referenced && "referenced", p.downloaded && "downloaded"].filter(Boolean);
  return { ...p, nevra: formatNevra(p), reasons, held: p.blobSha256 !== null, lost: p.lostAt !== null };
}
async function buildReports(catalog, manifestId) {
  const out = [];
  for (const { build: b, versions: rows } of await catalog.manifestBuildVersions(manifestId)) {
    const row = rows.find((r) => r.upstream) ?? rows.find((r) => r.retained) ?? rows.find((r) => r.blobSha256) ?? rows[0];
    let state = "unknown";
    if (row) state = row.upstream ? "upstream" : row.retained ? "retained" : row.lostAt ? "lost" : row.skipReason ? "skipped" : "gone";
    out.push({
      ...b,
      nevra: formatNevra(b),
      state,
      held: rows.some((r) => r.blobSha256 !== null),
      foundIn: row?.repo ?? null,
      advisory: row?.advisoryId ? { id: row.advisoryId, severity: row.advisorySeverity } : null
    });
  }
  return out;
}
function countStates(builds) {
  const counts = { upstream: 0, retained: 0, lost: 0, skipped: 0, gone: 0, unknown: 0, advisory: 0, held: 0 };
  for (const b of builds) {
    counts[b.state]++;
    if (b.advisory) counts.advisory++;
    if (b.held) counts.held++;
  }
  return counts;
}

// proxy/dashboard.ts
var DASHBOARD_LIMITS = { events: 50, manifests: 50, lostPerRepo: 20 };
var DASHBOARD_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer"
};
var RETENTION_KINDS = ["superseded", "gone", "retained", "lost", "advisory", "skipped"];
async function renderDashboard(catalog, repos, now, limits = DASHBOARD_LIMITS) {
  try {
    const data = await loadDashboard(catalog, repos, limits);
    return { status: 200, headers: { ...DASHBOARD_HEADERS }, body: page2(data, now, limits) };
  } catch (e) {
    const body = shell("yumvault proxy: catalog unavailable", now, `<p class="alert">The catalog could not be read: ${esc(e.message)}</p>`);
    return { status: 503, headers: { ...DASHBOARD_HEADERS }, body };
  }
}
async function loadDashboard(catalog, configured, limits) {
  const [summaries, events, totals, manifests] = await Promise.all([
    catalog.listRepos(),
    catalog.latestEvents(limits.events, { kinds: RETENTION_KINDS }),
    catalog.totals(),
    catalog.manifestSummaries({ limit: limits.manifests })
  ]);
  const byName = new Map(summaries.map((s) => [s.name, s]));
  const repos = configured.map((c) => ({ name: c.name, config: c, summary: byName.get(c.name) ?? null }));
  const names = new Set(configured.map((c) => c.name));
  for (const s of summaries) if (!names.has(s.name)) repos.push({ name: s.name, config: null, summary: s });
  const lost = [];
  for (const s of summaries) {
    if (s.counts.lost === 0) continue;
    const rows = await catalog.listPackages(s.name, { limit: limits.lostPerRepo }, { lost: true });
    for (const version of rows) lost.push({ version, manifests: await catalog.manifestsReferencing(version.pkgid) });
  }
  lost.sort((a, b) => (b.version.lostAt ?? 0) - (a.version.lostAt ?? 0));
  return { repos, totals, events, manifests, lost };
}
function page2(d, now, limits) {
  const lostTotal = d.totals.lost;
  const alert = lostTotal ? `<p class="alert" role="alert"><b>${lostTotal} ${lostTotal === 1 ? "build" : "builds"} lost</b>: a version this proxy had to keep was evicted upstream before it held a copy. The images that reference it cannot be restored from here. See <a href="#lost">lost builds</a>.</p>` : "";
  const stats = `<ul class="stats">
<li><b>${d.repos.length}</b> repositories</li><li><b>${d.totals.held}</b> versions held</li>
<li><b>${d.totals.retained}</b> retained</li><li class="${lostTotal ? "bad" : ""}"><b>${lostTotal}</b> lost</li>
<li><b>${d.manifests.length}${d.manifests.length === limits.manifests ? "+" : ""}</b> manifests</li></ul>`;
  const title = lostTotal ? `yumvault proxy (${lostTotal} lost)` : "yumvault proxy";
  return shell(title, now, [alert, stats, repoSection(d, now), lostSection(d, limits), manifestSection(d, limits), eventSection(d, limits)].join("\n"));
}
function repoSection(d, now) {
  const rows = d.repos.map(({ name, config, summary: s }) => {
    const c = s?.counts;
    const n = encodeURIComponent(name);
    const links = config ? `<a href="/repos/${esc(n)}.repo">.repo file</a> \xB7 <a href="/vault/${esc(n)}/repodata/repomd.xml">vault</a>` : `<a href="/vault/${esc(n)}/repodata/repomd.xml">vault</a> <span class="muted">(not configured)</span>`;
    const served = config?.servedRevision ?? null;
    const seen = s?.revision ?? null;
    const revision = `${served ? `<code>${esc(served)}</code>` : '<span class="muted">none yet</span>'}` + (seen && seen !== served ? `<br><span class="muted">monitor recorded <code>${esc(seen)}</code></span>` : "");
    const pass = s?.lastPassAt ? timeAgo(s.lastPassAt, now) : '<span class="muted">never</span>';
    const err = s?.lastPassError ? `<br><span class="bad">failed: ${esc(s.lastPassError)}</span>` : "";
    return `<tr class="${c?.lost ? "lost" : ""}"><td data-label="repo"><b>${esc(name)}</b><br>${links}</td><td data-label="upstream" class="url">${esc(config?.upstream || s?.upstreamUrl || "")}</td><td data-label="revision served">${revision}</td>` + num("listed upstream", c?.upstream ?? 0) + num("held", c?.held ?? 0) + num("retained", c?.retained ?? 0) + num("lost", c?.lost ?? 0, true) + `<td data-label="last monitor pass">${pass}${err}</td></tr>`;
  });
  return `<h2>Repositories</h2>
<table class="cards"><thead><tr><th>repo</th><th>upstream</th><th>revision served</th><th class="num">listed upstream</th><th class="num">held</th><th class="num">retained</th><th class="num">lost</th><th>last monitor pass</th></tr></thead>
<tbody>${rows.join("\n") || '<tr><td colspan="8">No repositories configured.</td></tr>'}</tbody></table>`;
}
function lostSection(d, limits) {
  if (d.lost.length === 0) return "";
  const rows = d.lost.map(({ version: v, manifests }) => `<tr class="lost"><td data-label="version"><code>${esc(formatNevra(v))}</code></td><td data-label="repo">${esc(v.repo)}</td><td data-label="lost at" class="t">${v.lostAt ? utc(v.lostAt) : ""}</td><td data-label="breaks manifests">${manifests.map((id) => `<a href="/api/v1/manifests/${id}">#${id}</a>`).join(" ") || '<span class="muted">none</span>'}</td><td data-label="pkgid"><code title="${esc(v.pkgid)}">${esc(v.pkgid.slice(0, 12))}</code></td></tr>`);
  return `<h2 id="lost">Lost builds</h2>
<p class="muted">Kept by policy, evicted upstream before the proxy held them (at most ${limits.lostPerRepo} per repo shown; all: <code>/api/v1/packages?repo=NAME&amp;lost=1</code>).</p>
<table class="cards"><thead><tr><th>version</th><th>repo</th><th>lost at (UTC)</th><th>breaks manifests</th><th>pkgid</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}
function manifestSection(d, limits) {
  const rows = d.manifests.map((m) => `<tr class="${m.lost ? "lost" : ""}"><td data-label="manifest"><a href="/api/v1/manifests/${m.id}">#${m.id}</a></td><td data-label="image">${m.imageName ? esc(m.imageName) : '<span class="muted">unnamed</span>'}<br><code title="${esc(m.imageSha256)}">${esc(m.imageSha256.slice(0, 12))}</code></td><td data-label="registered" class="t">${utc(m.createdAt)}</td>` + num("builds", m.builds) + num("upstream", m.upstream) + num("retained", m.retained) + num("lost", m.lost, true) + num("other", m.other) + num("held", m.held) + "</tr>");
  return `<h2>Registered manifests</h2>
<p class="muted">Newest first, at most ${limits.manifests}. Each build counted once: still listed <i>upstream</i>, else <i>retained</i> (served by the vault), else <i>lost</i>, else <i>other</i> (gone unheld, skipped by policy, or never seen); <i>held</i>: builds the proxy has a copy of.</p>
<table class="cards"><thead><tr><th>manifest</th><th>image</th><th>registered (UTC)</th><th class="num">builds</th><th class="num">upstream</th><th class="num">retained</th><th class="num">lost</th><th class="num">other</th><th class="num">held</th></tr></thead>
<tbody>${rows.join("\n") || '<tr><td colspan="9">No manifests registered yet.</td></tr>'}</tbody></table>`;
}
function eventSection(d, limits) {
  const rows = d.events.map((e) => `<tr class="${e.kind === "lost" ? "lost" : ""}"><td data-label="when" class="t">${utc(e.at)}</td><td data-label="repo">${esc(e.repo)}</td><td data-label="event" class="kind ${e.kind === "lost" ? "bad" : ""}">${esc(e.kind)}</td><td data-label="version"><code>${esc(e.nevra)}</code></td><td data-label="detail">${esc(e.detail ?? "")}</td></tr>`);
  return `<h2>Latest retention events</h2>
<p class="muted">Newest first, at most ${limits.events}; versions newly listed upstream (<i>appeared</i>) are left out. All events: <a href="/api/v1/events">/api/v1/events</a>.</p>
<table class="cards events"><thead><tr><th>when (UTC)</th><th>repo</th><th>event</th><th>version</th><th>detail</th></tr></thead>
<tbody>${rows.join("\n") || '<tr><td colspan="5">No retention events yet.</td></tr>'}</tbody></table>`;
}
function shell(title, now, main) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head><body>
<header><h1>yumvault proxy</h1><p class="muted">As of ${utc(now)} UTC \xB7 <a href="/metrics">metrics</a> \xB7 <a href="/api/v1/repos">API</a> \xB7 <a href="/healthz">health</a> \xB7 <a href="/readyz">ready</a></p></header>
<main>
${main}
</main>
</body></html>
`;
}
var CSS = `
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
function num(label, n, alarm = false) {
  return `<td data-label="${label}" class="num${alarm && n > 0 ? " bad" : ""}">${n}</td>`;
}
function esc(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function utc(ms) {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString().replace("T", " ").slice(0, 19) : "\u2014";
}
function timeAgo(at, now) {
  if (!Number.isFinite(at)) return "\u2014";
  const s = Math.max(0, Math.round((now - at) / 1e3));
  const ago = s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : s < 172800 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86400)} days ago`;
  return `<time datetime="${new Date(at).toISOString()}" title="${utc(at)} UTC">${ago}</time>`;
}

// proxy/metadata/revisions.ts
import { createHash as createHash2 } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";

// proxy/paths.ts
var FORBIDDEN_ESCAPES = /%(?:2f|5c|00|2e|25)/i;
function parseRepoPath(rawRest) {
  if (FORBIDDEN_ESCAPES.test(rawRest)) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: encoded '/', '\\', '.', '%' or NUL`);
  const directory = rawRest.endsWith("/") && rawRest.length > 1;
  const rawSegments = (directory ? rawRest.slice(0, -1) : rawRest).split("/");
  const segments = [];
  for (const raw of rawSegments) {
    let seg;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: malformed percent-escape`);
    }
    if (seg === "" || seg === "." || seg === ".." || seg.includes("\\") || seg.includes("\0") || seg.includes("/")) {
      throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: empty, '.', '..' or backslash segment`);
    }
    if (/[\u0000-\u001f\u007f]/.test(seg)) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: control character`);
    segments.push(seg);
  }
  if (directory) throw new NotFoundError("no directory listings here: name a file");
  if (segments.length < 2) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: no file named`);
  const [repo, ...rest] = segments;
  return { repo, path: rest.join("/") };
}
function encodePath(path) {
  return path.split("/").map((s) => encodeURIComponent(s).replace(/%2B/g, "+").replace(/%5E/g, "^").replace(/%40/g, "@").replace(/%3A/g, ":")).join("/");
}
function hasTraversal(rawPath) {
  if (FORBIDDEN_ESCAPES.test(rawPath) || rawPath.includes("\\") || rawPath.includes("\0")) return true;
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((s) => s === ".." || s === ".") || decoded.includes("\0") || decoded.includes("\\");
}

// proxy/metadata/listedFiles.ts
async function fetchListed(deps, base, repomd, known) {
  const entries = repomd.entries.filter((e) => !e.locationBase);
  const files = {};
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const e = entries[next++];
      files[e.location] = await ensureListed(deps, known, base, e.location, e.checksum.type, e.checksum.value, e.size ?? null);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, entries.length) }, worker));
  return files;
}
async function ensureListed(deps, known, base, href, type, value, size) {
  const algo = checksumAlgo(type);
  const checksum = algo ? `${algo}:${value}` : null;
  const had = known(href);
  if (had && checksum && had.checksum === checksum && await deps.blobs.has(had.blob)) return had;
  const { repo, index, downloads, upstream, blobs, now } = deps;
  const entry = await index.get(repo.name, href);
  if (entry && checksum && entry.checksum === checksum && await blobs.has(entry.blob)) return { blob: entry.blob, size: entry.size, checksum };
  const url = `${base}${encodePath(href)}`;
  const dl = await downloads.join(
    `${repo.name}\0${href}`,
    { url, checksum: algo ? { algo, hex: value } : null, size, store: true },
    () => upstream.get(url),
    (r) => index.set(repo.name, { path: href, blob: r.sha256, size: r.size, checkedAt: now(), etag: r.etag, lastModified: r.lastModified, contentType: r.contentType, checksum })
  );
  try {
    const r = await dl.finished;
    return { blob: r.sha256, size: r.size, checksum };
  } finally {
    dl.release();
  }
}

// proxy/metadata/primaryIndex.ts
var PrimaryIndex = class _PrimaryIndex {
  byLocation = /* @__PURE__ */ new Map();
  static async build(blobs, primaryBlob, fileName) {
    const index = new _PrimaryIndex();
    const source = await blobs.get(primaryBlob);
    try {
      for await (const pkg of streamPrimary(source, { fileName })) {
        if (pkg.location.base) continue;
        const algo = checksumAlgo(pkg.checksum.type);
        if (!algo) continue;
        index.byLocation.set(pkg.location.href, `${algo} ${pkg.checksum.value.toLowerCase()} ${pkg.size.package}`);
      }
    } finally {
      source.destroy();
    }
    return index;
  }
  get size() {
    return this.byLocation.size;
  }
  lookup(location) {
    const v = this.byLocation.get(location);
    if (!v) return null;
    const [algo, hex, size] = v.split(" ");
    return { checksum: { algo, hex }, size: Number(size), pkgid: algo === "sha256" ? hex : null };
  }
};

// proxy/metadata/revisions.ts
var KEEP_PREVIOUS = 5;
var MAX_REPOMD_BYTES = 16 * 1024 * 1024;
var CLIENT_MEMORY_MS = 10 * 6e4;
var MAX_CLIENTS = 1e4;
var RepoMetadata = class {
  deps;
  stateFile;
  state = { current: null, previous: [] };
  checkedAt = 0;
  revalidating = null;
  revalidatingSince = 0;
  indexes = /* @__PURE__ */ new Map();
  /** Which revision each client last got repomd.xml from: its .asc and .key must come from the same one. */
  clients = /* @__PURE__ */ new Map();
  constructor(deps) {
    this.deps = deps;
    this.stateFile = join(deps.dataDir, "proxy", "repos", `${deps.repo.name}.json`);
  }
  get current() {
    return this.state.current;
  }
  get revisions() {
    return this.state.current ? [this.state.current, ...this.state.previous] : [];
  }
  async load() {
    try {
      const parsed = JSON.parse(await readFile(this.stateFile, "utf8"));
      if (parsed && typeof parsed === "object" && "current" in parsed) this.state = { current: parsed.current ?? null, previous: parsed.previous ?? [] };
    } catch (e) {
      if (e.code !== "ENOENT") this.deps.logger.warn(`${this.deps.repo.name}: unreadable metadata state, starting afresh: ${e.message}`);
    }
  }
  /** repomd.xml for `client`: fresh within the TTL, else revalidated; stale with a warning when upstream fails. */
  async repomd(client) {
    const warning = await this.refreshIfDue();
    const rev = this.state.current;
    this.remember(client, rev.id);
    return { ref: rev.repomd, revision: rev, warning };
  }
  /** repomd.xml.asc / .key of the revision whose repomd.xml this client got; null when upstream has none. */
  async companion(name, client) {
    let warning = null;
    if (!this.state.current) warning = await this.refreshIfDue();
    const seen = this.clients.get(client);
    const rev = seen && this.deps.now() - seen.at < CLIENT_MEMORY_MS && this.revisions.find((r) => r.id === seen.id) || this.state.current;
    const ref = name === "repomd.xml.asc" ? rev.asc : rev.key;
    return ref ? { ref, revision: rev, warning } : null;
  }
  /** A file some served revision lists (newest first). */
  listedFile(href) {
    for (const rev of this.revisions) {
      const ref = rev.files[href];
      if (ref) return ref;
    }
    return null;
  }
  /** What primary.xml (of the current revision, else an earlier one) says a package's bytes are. */
  async expectationFor(location) {
    for (const rev of this.revisions) {
      const index = await this.primaryIndex(rev);
      const hit = index?.lookup(location);
      if (hit) return hit;
    }
    return null;
  }
  primaryIndex(rev) {
    let p = this.indexes.get(rev.id);
    if (!p) {
      const ref = rev.primary ? rev.files[rev.primary] : void 0;
      p = ref ? PrimaryIndex.build(this.deps.blobs, ref.blob, rev.primary).catch((e) => {
        this.deps.logger.error(`${this.deps.repo.name}: cannot index ${rev.primary}: ${e.message}`);
        this.indexes.delete(rev.id);
        return null;
      }) : Promise.resolve(null);
      this.indexes.set(rev.id, p);
    }
    return p;
  }
  remember(client, id) {
    this.clients.delete(client);
    if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value);
    this.clients.set(client, { id, at: this.deps.now() });
  }
  /** Revalidates when the TTL ran out; answers the Warning to send, or throws when there is nothing to serve. */
  async refreshIfDue() {
    const { now, repo } = this.deps;
    if (this.state.current && now() - this.checkedAt < repo.metadataTtlMs) return null;
    const work = this.revalidate();
    try {
      if (!this.state.current) {
        await work;
        return null;
      }
      let timer;
      const waited = await Promise.race([
        work.then(() => "done"),
        // Measured from the start of the revalidation: later requests do not wait the whole time again.
        new Promise((resolve) => timer = setTimeout(() => resolve("late"), Math.max(0, this.revalidatingSince + (this.deps.adoptWaitMs ?? 5e3) - Date.now())))
      ]).finally(() => clearTimeout(timer));
      return waited === "late" ? '110 - "Response is Stale"' : null;
    } catch (e) {
      if (!this.state.current) throw e;
      this.deps.onStale?.(repo.name);
      this.deps.logger.warn(`${repo.name}: serving cached repomd.xml: ${e.message}`);
      const timeout = e instanceof UpstreamError && e.status === 504;
      return timeout ? '110 - "Response is Stale"' : '111 - "Revalidation Failed"';
    }
  }
  /** One revalidation per repo at a time; concurrent callers share it. */
  revalidate() {
    if (!this.revalidating) {
      this.revalidatingSince = Date.now();
      this.revalidating = this.doRevalidate().finally(() => {
        this.revalidating = null;
      });
    }
    return this.revalidating;
  }
  async doRevalidate() {
    const cur = this.state.current;
    for (let attempt = 0; attempt < 3; attempt++) {
      const base = await this.deps.baseUrl();
      const url = `${base}repodata/repomd.xml`;
      const conditional = {};
      if (cur?.etag) conditional["if-none-match"] = cur.etag;
      if (cur?.lastModified) conditional["if-modified-since"] = cur.lastModified;
      const res = await this.deps.upstream.get(url, conditional);
      if (res.status === 304 && cur) {
        res.body.resume();
        this.checkedAt = this.deps.now();
        return;
      }
      if (res.status !== 200) {
        res.body.resume();
        throw statusError(url, res.status);
      }
      const bytes = await readAll(res.body, MAX_REPOMD_BYTES, url);
      const id = sha256(bytes);
      if (cur && id === cur.id) {
        cur.etag = header(res.headers.etag) ?? cur.etag;
        cur.lastModified = header(res.headers["last-modified"]) ?? cur.lastModified;
        this.checkedAt = this.deps.now();
        return;
      }
      let repomd;
      try {
        repomd = await parseRepomd(bytes, `${this.deps.repo.name} repomd.xml`);
      } catch (e) {
        throw new UpstreamError(`upstream ${url} is not a valid repomd.xml: ${e.message}`, { status: 502 });
      }
      const asc = await this.fetchOptional(`${base}repodata/repomd.xml.asc`);
      const key = await this.fetchOptional(`${base}repodata/repomd.xml.key`);
      if (asc || key) {
        const again = await this.deps.upstream.get(url);
        if (again.status !== 200 || sha256(await readAll(again.body, MAX_REPOMD_BYTES, url)) !== id) continue;
      }
      const files = await fetchListed(this.deps, base, repomd, (href) => this.listedFile(href));
      const rev = {
        id,
        revision: repomd.revision,
        repomd: await this.putBytes(bytes),
        asc: asc ? await this.putBytes(asc) : null,
        key: key ? await this.putBytes(key) : null,
        files,
        primary: repomd.entries.find((e) => e.type === "primary" && !e.locationBase)?.location ?? null,
        etag: header(res.headers.etag),
        lastModified: header(res.headers["last-modified"]),
        adoptedAt: this.deps.now()
      };
      const previous = [cur, ...this.state.previous].filter((r) => r !== null && r.id !== id).slice(0, KEEP_PREVIOUS);
      const next = { current: rev, previous };
      await writeFileAtomic(this.stateFile, JSON.stringify(next));
      this.state = next;
      this.checkedAt = this.deps.now();
      for (const key2 of this.indexes.keys()) if (!this.revisions.some((r) => r.id === key2)) this.indexes.delete(key2);
      void this.primaryIndex(rev);
      this.deps.onAdopted?.(this.deps.repo.name, rev);
      this.deps.logger.info(`${this.deps.repo.name}: serving upstream revision ${rev.revision} (${Object.keys(files).length} files)`, {
        repo: this.deps.repo.name,
        revision: rev.revision
      });
      return;
    }
    throw new UpstreamError(`upstream ${this.deps.repo.name} repomd.xml kept changing while its signature was fetched`, { status: 502 });
  }
  async fetchOptional(url) {
    const res = await this.deps.upstream.get(url);
    if (res.status === 404 || res.status === 410 || res.status === 403) {
      res.body.resume();
      return null;
    }
    if (res.status !== 200) {
      res.body.resume();
      throw statusError(url, res.status);
    }
    return readAll(res.body, MAX_REPOMD_BYTES, url);
  }
  async putBytes(bytes) {
    const r = await this.deps.blobs.put(Readable.from([bytes]));
    return { blob: r.sha256, size: r.size };
  }
};
async function readAll(body, limit, url) {
  const chunks = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > limit) throw new UpstreamError(`upstream ${url} is larger than ${limit} bytes`, { status: 502 });
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
function sha256(b) {
  return createHash2("sha256").update(b).digest("hex");
}
function header(v) {
  if (v === void 0) return null;
  return Array.isArray(v) ? v[0] ?? null : v;
}

// proxy/metrics.ts
var ProxyMetrics = class {
  requests = /* @__PURE__ */ new Map();
  cacheHits = 0;
  cacheMisses = 0;
  bytesServed = 0;
  bytesFetched = 0;
  upstreamErrors = 0;
  staleServed = 0;
  checksumMismatches = 0;
  countRequest(route, status) {
    const key = `${route}\0${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }
  render(totals, extra) {
    const out = [];
    const metric = (name, type, help, rows) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of rows) out.push(`${name}${labels} ${v}`);
    };
    metric(
      "yumvault_http_requests_total",
      "counter",
      "HTTP requests answered, by route and status.",
      [...this.requests].map(([k, v]) => {
        const [route, status] = k.split("\0");
        return [`{route="${route}",status="${status}"}`, v];
      })
    );
    metric("yumvault_cache_hits_total", "counter", "Repository files answered from the cache.", [["", this.cacheHits]]);
    metric("yumvault_cache_misses_total", "counter", "Repository files that needed upstream.", [["", this.cacheMisses]]);
    metric("yumvault_bytes_served_total", "counter", "Body bytes sent to clients for repository files.", [["", this.bytesServed]]);
    metric("yumvault_bytes_fetched_total", "counter", "Body bytes received from upstream.", [["", this.bytesFetched]]);
    metric("yumvault_upstream_errors_total", "counter", "Failed upstream exchanges (status, timeout, reset).", [["", this.upstreamErrors]]);
    metric("yumvault_stale_served_total", "counter", "Metadata answers served stale because upstream failed.", [["", this.staleServed]]);
    metric("yumvault_checksum_mismatches_total", "counter", "Upstream bytes that did not match the metadata (nothing stored).", [["", this.checksumMismatches]]);
    metric("yumvault_downloads_inflight", "gauge", "Upstream downloads in progress.", [["", extra.inflight]]);
    if (totals) {
      metric("yumvault_retained_versions", "gauge", "Package versions retained (held after upstream moved on).", [["", totals.retained]]);
      metric("yumvault_held_versions", "gauge", "Package versions the proxy holds bytes for.", [["", totals.held]]);
      metric("yumvault_versions_lost", "gauge", "Versions that had to be kept but were gone upstream before they could be held.", [["", totals.lost]]);
    }
    metric("yumvault_versions_lost_since_start_total", "counter", "Versions recorded lost by this process.", [["", extra.versionsLostSinceStart]]);
    return `${out.join("\n")}
`;
  }
};

// proxy/passthrough/cacheIndex.ts
import { createHash as createHash3 } from "node:crypto";
import { readFile as readFile2 } from "node:fs/promises";
import { join as join2 } from "node:path";
var CacheIndex = class {
  root;
  /** Entries read or written by this process (bounded; immutable entries never change). */
  memo = /* @__PURE__ */ new Map();
  maxMemo;
  constructor(dataDir, maxMemo = 1e5) {
    this.root = join2(dataDir, "proxy", "index");
    this.maxMemo = maxMemo;
  }
  fileFor(repo, path) {
    const h = createHash3("sha256").update(path).digest("hex");
    return join2(this.root, repo, h.slice(0, 2), `${h}.json`);
  }
  async get(repo, path) {
    const key = `${repo}\0${path}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    let text;
    try {
      text = await readFile2(this.fileFor(repo, path), "utf8");
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      return null;
    }
    if (entry.path !== path || !isSha256Hex(entry.blob) || !Number.isSafeInteger(entry.size)) return null;
    this.remember(key, entry);
    return entry;
  }
  async set(repo, entry) {
    await writeFileAtomic(this.fileFor(repo, entry.path), JSON.stringify(entry));
    this.remember(`${repo}\0${entry.path}`, entry);
  }
  remember(key, entry) {
    if (this.memo.size >= this.maxMemo) this.memo.delete(this.memo.keys().next().value);
    this.memo.set(key, entry);
  }
};

// proxy/passthrough/download.ts
import { createHash as createHash4, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rm } from "node:fs/promises";
import { join as join3 } from "node:path";
var Download = class {
  url;
  /** Total bytes, when upstream or the metadata said; null for a chunked body of unknown length. */
  size = null;
  contentType = null;
  etag = null;
  lastModified = null;
  written = 0;
  verified = false;
  failure = null;
  /** Resolves once the body is verified (and stored, when asked); rejects on any failure. */
  finished;
  fh = null;
  readers = 0;
  closed = false;
  settled = false;
  waiters = [];
  settleFinished;
  constructor(url) {
    this.url = url;
    this.finished = new Promise((resolve, reject) => this.settleFinished = { resolve, reject });
    this.finished.catch(() => {
    });
  }
  /** Bytes a reader may take now: all of them once verified, else all but the last. */
  get available() {
    if (this.verified) return this.written;
    const cap = this.size === null ? this.written - 1 : Math.min(this.written, this.size - 1);
    return Math.max(0, cap);
  }
  get done() {
    return this.verified || this.failure !== null;
  }
  /** Waits for more bytes, verification or failure. */
  changed() {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  /** The temp file's descriptor for positional reads (valid after the unlink while the download is acquired). */
  get fd() {
    if (!this.fh) throw new Error("download has no body yet");
    return this.fh.fd;
  }
  acquire() {
    this.readers++;
  }
  release() {
    this.readers--;
    void this.maybeClose();
  }
  /** @internal */
  notify() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** @internal */
  attach(fh) {
    this.fh = fh;
  }
  /** @internal */
  fail(e) {
    if (this.failure || this.verified) return;
    this.failure = e;
    this.settled = true;
    this.notify();
    this.settleFinished.reject(e);
    void this.maybeClose();
  }
  /** @internal */
  succeed(r) {
    this.settled = true;
    this.settleFinished.resolve(r);
    void this.maybeClose();
  }
  async maybeClose() {
    if (this.closed || this.readers > 0 || !this.settled) return;
    this.closed = true;
    await this.fh?.close().catch(() => {
    });
  }
};
var Downloads = class {
  tmpDir;
  blobs;
  onBytes;
  inflight = /* @__PURE__ */ new Map();
  constructor(options) {
    this.tmpDir = join3(options.dataDir, "proxy", "tmp");
    this.blobs = options.blobs;
    this.onBytes = options.onBytes ?? (() => {
    });
  }
  /** Creates the temp directory and removes what a killed process left there. */
  async init() {
    await mkdir(this.tmpDir, { recursive: true });
    for (const name of await readdir(this.tmpDir)) {
      const pid = Number(name.split(".")[0]);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
      await rm(join3(this.tmpDir, name), { force: true });
    }
  }
  get(key) {
    return this.inflight.get(key);
  }
  get size() {
    return this.inflight.size;
  }
  /** Waits (at most `ms`) for the downloads in flight to end, so a stop leaves no half-stored blob. */
  async drain(ms) {
    let t;
    const all = Promise.all([...this.inflight.values()].map((d) => d.finished.catch(() => {
    })));
    await Promise.race([all, new Promise((resolve) => t = setTimeout(resolve, ms))]).finally(() => clearTimeout(t));
  }
  /**
   * The download for `key`: the running one, or a new one that `open()` starts. Resolves once the
   * response headers are known (the caller can answer its client), rejects when upstream refused.
   * The returned download is acquired for the caller, who must release() it when done reading.
   * `onVerified` runs after the bytes are stored (write the cache entry there) and before the download
   * stops being findable, so a later request finds either the download or the entry.
   */
  async join(key, spec, open3, onVerified) {
    let dl = this.inflight.get(key);
    if (!dl || dl.failure) {
      dl = new Download(spec.url);
      this.inflight.set(key, dl);
      dl.headersKnown = this.run(key, dl, spec, open3, onVerified);
      dl.headersKnown.catch(() => {
      });
    }
    dl.acquire();
    try {
      await dl.headersKnown;
    } catch (e) {
      dl.release();
      throw e;
    }
    return dl;
  }
  run(key, dl, spec, open3, onVerified) {
    let headersDone;
    let headersFailed;
    const headers = new Promise((resolve, reject) => (headersDone = resolve, headersFailed = reject));
    const tmp = join3(this.tmpDir, `${process.pid}.${randomBytes(8).toString("hex")}.part`);
    let fh = null;
    let res = null;
    const work = async () => {
      res = await open3();
      if (res.status !== 200) {
        res.body.resume();
        throw statusError(spec.url, res.status);
      }
      const lengthHeader = res.headers["content-length"];
      const length = lengthHeader === void 0 ? null : Number(lengthHeader);
      if (res.headers["content-encoding"] && res.headers["content-encoding"] !== "identity") {
        throw new UpstreamError(`upstream sent ${spec.url} with content-encoding ${res.headers["content-encoding"]}`, { status: 502 });
      }
      if (spec.size != null && length !== null && length !== spec.size) {
        throw new ChecksumMismatchError(`upstream sent ${length} bytes for ${spec.url}; the metadata says ${spec.size}`);
      }
      dl.size = spec.size ?? (length !== null && Number.isSafeInteger(length) ? length : null);
      dl.contentType = header2(res.headers["content-type"]);
      dl.etag = header2(res.headers.etag);
      dl.lastModified = header2(res.headers["last-modified"]);
      fh = await open_(tmp);
      dl.attach(fh);
      headersDone();
      const sha2562 = createHash4("sha256");
      const other = spec.checksum && spec.checksum.algo !== "sha256" ? createHash4(spec.checksum.algo) : null;
      for await (const chunk of res.body) {
        if (dl.size !== null && dl.written + chunk.length > dl.size) {
          throw new ChecksumMismatchError(`upstream sent more than the ${dl.size} bytes expected for ${spec.url}`);
        }
        sha2562.update(chunk);
        other?.update(chunk);
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, dl.written + off);
          off += bytesWritten;
        }
        dl.written += chunk.length;
        this.onBytes(chunk.length);
        dl.notify();
      }
      if (dl.size !== null && dl.written !== dl.size) {
        throw new UpstreamError(`upstream closed ${spec.url} after ${dl.written} of ${dl.size} bytes`, { status: 502 });
      }
      const hex = sha2562.digest("hex");
      if (spec.checksum) {
        const got = other ? other.digest("hex") : hex;
        if (got !== spec.checksum.hex) {
          throw new ChecksumMismatchError(`${spec.url}: ${spec.checksum.algo} is ${got}, the metadata says ${spec.checksum.hex}`);
        }
      }
      dl.size = dl.written;
      dl.verified = true;
      dl.notify();
      const result = {
        sha256: hex,
        size: dl.written,
        stored: false,
        contentType: dl.contentType,
        etag: dl.etag,
        lastModified: dl.lastModified
      };
      if (spec.store) {
        await this.blobs.put(createReadStream(tmp), { sha256: hex, size: dl.written });
        result.stored = true;
        await onVerified(result);
      }
      await rm(tmp, { force: true }).catch(() => {
      });
      dl.succeed(result);
    };
    work().catch(async (e) => {
      const err = e instanceof Error && "code" in e && String(e.code).startsWith("YV_") ? e : toUpstreamError(spec.url, e);
      res?.body.destroy();
      await rm(tmp, { force: true }).catch(() => {
      });
      headersFailed(err);
      dl.fail(err);
    }).finally(async () => {
      if (this.inflight.get(key) === dl) this.inflight.delete(key);
      await rm(tmp, { force: true });
    });
    return headers;
  }
};
async function open_(path) {
  return open(path, "w+", 384);
}
function header2(v) {
  if (v === void 0) return null;
  return Array.isArray(v) ? v[0] ?? null : v;
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// proxy/passthrough/hotCache.ts
import { createHash as createHash5 } from "node:crypto";
import { readFile as readFile3 } from "node:fs/promises";
var HotBlobCache = class {
  maxBytes;
  maxItemBytes;
  items = /* @__PURE__ */ new Map();
  loading = /* @__PURE__ */ new Map();
  bytes = 0;
  constructor(maxBytes, maxItemBytes = Math.min(8 * 1024 * 1024, maxBytes / 8)) {
    this.maxBytes = maxBytes;
    this.maxItemBytes = maxItemBytes;
  }
  /** Would a blob of this size be kept? */
  fits(size) {
    return this.maxBytes > 0 && size <= this.maxItemBytes;
  }
  /** The blob's bytes from memory, loading them from `path` on first use; null when it cannot be had. */
  async get(sha2562, path, size) {
    const hit = this.items.get(sha2562);
    if (hit) {
      this.items.delete(sha2562);
      this.items.set(sha2562, hit);
      return hit;
    }
    if (!this.fits(size)) return null;
    let p = this.loading.get(sha2562);
    if (!p) {
      p = this.load(sha2562, path, size).finally(() => this.loading.delete(sha2562));
      this.loading.set(sha2562, p);
    }
    return p;
  }
  async load(sha2562, path, size) {
    let buf;
    try {
      buf = await readFile3(path);
    } catch {
      return null;
    }
    if (buf.length !== size || createHash5("sha256").update(buf).digest("hex") !== sha2562) return null;
    this.items.set(sha2562, buf);
    this.bytes += buf.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.length;
    }
    return buf;
  }
};

// proxy/passthrough/respond.ts
import { read as fsRead } from "node:fs";
import { open as open2 } from "node:fs/promises";
import { randomBytes as randomBytes2 } from "node:crypto";

// proxy/passthrough/ranges.ts
function parseRangeHeader(header3, size) {
  if (!header3) return null;
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header3);
  if (!m) return null;
  const specs = m[1].split(",");
  if (specs.length > 256) return null;
  const out = [];
  for (const spec of specs) {
    const r = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec);
    if (!r || r[1] === "" && r[2] === "") return null;
    let start;
    let end2;
    if (r[1] === "") {
      const n = Number(r[2]);
      if (n === 0) continue;
      start = Math.max(0, size - n);
      end2 = size - 1;
    } else {
      start = Number(r[1]);
      end2 = r[2] === "" ? size - 1 : Math.min(Number(r[2]), size - 1);
      if (r[2] !== "" && Number(r[2]) < start) return null;
    }
    if (start >= size || start > end2) continue;
    out.push({ start, end: end2 });
  }
  return out.length ? out : "unsatisfiable";
}
function planMultipart(ranges, size, contentType, boundary) {
  const heads = ranges.map(
    (r, i) => `${i === 0 ? "" : "\r\n"}--${boundary}\r
Content-Type: ${contentType}\r
Content-Range: bytes ${r.start}-${r.end}/${size}\r
\r
`
  );
  const tail = `\r
--${boundary}--\r
`;
  let contentLength = Buffer.byteLength(tail);
  for (let i = 0; i < ranges.length; i++) contentLength += Buffer.byteLength(heads[i]) + ranges[i].end - ranges[i].start + 1;
  return { boundary, heads, tail, contentLength };
}

// proxy/passthrough/respond.ts
var CHUNK = 256 * 1024;
var MEMORY_SLICE = 256 * 1024;
var BlobMissingError = class extends Error {
};
async function sendBody(req, res, blobs, source, options) {
  let fh = null;
  const local = source.kind === "blob" ? blobs.localPath?.(source.sha256) : void 0;
  if (local) {
    try {
      fh = await open2(local, "r");
    } catch (e) {
      if (e.code === "ENOENT") throw new BlobMissingError(`blob ${local} is gone`);
      throw e;
    }
  }
  try {
    return await sendOpened(req, res, blobs, source, options, fh);
  } finally {
    await fh?.close().catch(() => {
    });
  }
}
async function sendOpened(req, res, blobs, source, options, fh) {
  let size = source.kind === "blob" ? source.size : source.kind === "memory" ? source.buffer.length : source.download.size;
  if (size === null && source.kind === "download") {
    if (req.headers.range && options.ranges !== false) {
      await source.download.finished;
      size = source.download.size;
    }
  }
  const head = req.method === "HEAD";
  res.setHeader("Content-Type", options.contentType);
  res.setHeader("Accept-Ranges", options.ranges === false ? "none" : "bytes");
  for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
  const ranges = size !== null && options.ranges !== false ? parseRangeHeader(req.headers.range, size) : null;
  if (ranges === "unsatisfiable") {
    res.writeHead(416, { "Content-Range": `bytes */${size}`, "Content-Length": 0 }).end();
    return { whole: false, bytes: 0 };
  }
  if (!ranges) {
    if (size !== null) res.setHeader("Content-Length", size);
    res.writeHead(200);
    if (head) return end(res, false, 0);
    const bytes2 = await copy(res, blobs, fh, source, 0, size === null ? null : size - 1);
    return end(res, true, bytes2);
  }
  if (ranges.length === 1) {
    const r = ranges[0];
    res.writeHead(206, { "Content-Range": `bytes ${r.start}-${r.end}/${size}`, "Content-Length": r.end - r.start + 1 });
    if (head) return end(res, false, 0);
    const bytes2 = await copy(res, blobs, fh, source, r.start, r.end);
    return end(res, r.end === size - 1 && r.start > 0, bytes2);
  }
  const plan = planMultipart(ranges, size, options.contentType, `yumvault-${randomBytes2(12).toString("hex")}`);
  res.writeHead(206, { "Content-Type": `multipart/byteranges; boundary=${plan.boundary}`, "Content-Length": plan.contentLength });
  if (head) return end(res, false, 0);
  let bytes = 0;
  for (let i = 0; i < ranges.length; i++) {
    await write(res, Buffer.from(plan.heads[i]));
    bytes += await copy(res, blobs, fh, source, ranges[i].start, ranges[i].end);
  }
  await write(res, Buffer.from(plan.tail));
  return end(res, false, bytes);
}
function end(res, whole, bytes) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (finished) => {
      if (settled) return;
      settled = true;
      res.off("close", onClose);
      resolve({ whole: whole && finished, bytes });
    };
    const onClose = () => finish(res.writableFinished);
    res.once("close", onClose);
    res.end(() => finish(true));
  });
}
async function copy(res, blobs, fh, source, start, endAt) {
  if (endAt !== null && endAt < start) return 0;
  if (source.kind === "memory") {
    for (let pos2 = start; pos2 <= endAt; pos2 += MEMORY_SLICE) await write(res, source.buffer.subarray(pos2, Math.min(endAt + 1, pos2 + MEMORY_SLICE)));
    return endAt - start + 1;
  }
  if (source.kind === "blob") {
    if (fh) return copyFd(res, fh.fd, start, endAt);
    return pipeStream(res, await blobs.get(source.sha256, { start, end: endAt }));
  }
  const dl = source.download;
  let pos = start;
  for (; ; ) {
    if (endAt !== null && pos > endAt) break;
    if (dl.failure) throw dl.failure;
    const avail = dl.available;
    if (pos < avail) {
      const upto = endAt === null ? avail - 1 : Math.min(endAt, avail - 1);
      pos += await copyFd(res, dl.fd, pos, upto);
      continue;
    }
    if (dl.verified) break;
    await dl.changed();
  }
  return pos - start;
}
async function copyFd(res, fd, start, end2) {
  let pos = start;
  let pending = null;
  try {
    while (pos <= end2) {
      const buf = BUFFERS.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
      let n;
      try {
        n = await readAt(fd, buf, Math.min(CHUNK, end2 - pos + 1), pos);
      } catch (e) {
        BUFFERS.push(buf);
        throw e;
      }
      if (n === 0) {
        BUFFERS.push(buf);
        throw new Error(`blob shorter than expected at byte ${pos}`);
      }
      if (pending) await pending;
      pending = writeOwned(res, buf, n);
      pending.catch(() => {
      });
      pos += n;
    }
    if (pending) await pending;
  } catch (e) {
    await pending?.catch(() => {
    });
    throw e;
  }
  return pos - start;
}
var BUFFERS = [];
var MAX_POOLED = 256;
function readAt(fd, buf, length, position) {
  return new Promise((resolve, reject) => fsRead(fd, buf, 0, length, position, (err, n) => err ? reject(err) : resolve(n)));
}
function writeOwned(res, buf, n) {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      if (BUFFERS.length < MAX_POOLED) BUFFERS.push(buf);
      return reject(new Error("client went away"));
    }
    const onClose = () => reject(new Error("client went away"));
    res.once("close", onClose);
    res.write(buf.subarray(0, n), (err) => {
      res.off("close", onClose);
      if (BUFFERS.length < MAX_POOLED) BUFFERS.push(buf);
      if (err) reject(err);
      else resolve();
    });
  });
}
function pipeStream(res, stream) {
  return new Promise((resolve, reject) => {
    let n = 0;
    const onData = (c) => {
      n += c.length;
    };
    const cleanup = () => {
      stream.off("data", onData);
      res.off("close", onClose);
      stream.unpipe(res);
    };
    const onClose = () => {
      cleanup();
      stream.destroy();
      reject(new Error("client went away"));
    };
    stream.on("data", onData);
    stream.pipe(res, { end: false });
    res.once("close", onClose);
    stream.once("error", (e) => {
      cleanup();
      reject(e);
    });
    stream.once("end", () => {
      cleanup();
      resolve(n);
    });
  });
}
function write(res, buf) {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error("client went away"));
    if (res.write(buf)) return resolve();
    const onDrain = () => {
      res.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      res.off("drain", onDrain);
      reject(new Error("client went away"));
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

// proxy/passthrough/handler.ts
var UNIT = /* @__PURE__ */ new Set(["repodata/repomd.xml", "repodata/repomd.xml.asc", "repodata/repomd.xml.key"]);
var CHECKSUM_NAMED = /^repodata\/([0-9a-f]{32,128})-[^/]+$/;
async function handleRepoRequest(deps, req, res, rest) {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": 0 }).end();
      return { status: 405 };
    }
    const { repo, path } = parseRepoPath(rest);
    const runtime = deps.repos.get(repo);
    if (!runtime) throw new NotFoundError(`no repository named ${JSON.stringify(repo)} on this proxy`);
    const client = req.socket.remoteAddress ?? "";
    if (UNIT.has(path)) return await serveUnit(deps, runtime, req, res, path, client);
    const listed = runtime.metadata.listedFile(path);
    if (listed) {
      const hit = await tryServeBlob(deps, req, res, listed.blob, listed.size, contentTypeFor(path), {});
      if (hit) return hit;
      const [algo, hex] = (listed.checksum ?? "").split(":");
      return await serveImmutable(deps, runtime, req, res, path, algo && hex ? { algo, hex } : null);
    }
    if (path.endsWith(".rpm")) return await servePackage(deps, runtime, req, res, path);
    const named = CHECKSUM_NAMED.exec(path);
    const byName = named ? checksumFromName(named[1]) : null;
    if (byName) return await serveImmutable(deps, runtime, req, res, path, byName);
    return await serveMutable(deps, runtime, req, res, path);
  } catch (e) {
    const status = sendProxyError(res, e);
    if (status >= 500) deps.logger.warn(`${req.method} /repos/${rest}: ${e.message}`);
    return { status };
  }
}
async function serveUnit(deps, rt, req, res, path, client) {
  const name = path.slice("repodata/".length);
  const served = name === "repomd.xml" ? await rt.metadata.repomd(client) : await rt.metadata.companion(name, client);
  if (!served) throw new NotFoundError(`upstream ${rt.config.name} has no ${path}`);
  if (served.warning) deps.metrics.staleServed++;
  const headers = { "Cache-Control": "no-cache", "X-Yumvault-Revision": served.revision.revision };
  if (served.warning) headers.Warning = served.warning;
  if (name === "repomd.xml" && served.revision.lastModified) headers["Last-Modified"] = served.revision.lastModified;
  return serveBlob(deps, req, res, served.ref.blob, served.ref.size, contentTypeFor(path), headers);
}
async function servePackage(deps, rt, req, res, path) {
  const repo = rt.config.name;
  const cached = await deps.index.get(repo, path);
  let expect = await rt.metadata.expectationFor(path);
  const current = !cached || !expect || !cached.checksum || cached.checksum === `${expect.checksum.algo}:${expect.checksum.hex}`;
  if (cached && current) {
    const pkgid = cached.checksum?.startsWith("sha256:") ? cached.checksum.slice(7) : null;
    const hit = await tryServeBlob(deps, req, res, cached.blob, cached.size, contentTypeFor(path), {}, (whole) => whole && recordDownload(deps, repo, path, pkgid, cached));
    if (hit) return hit;
  }
  const row = await deps.catalog.findByLocation(repo, path).catch(() => null);
  if (row?.blobSha256 && (!expect || expect.checksum.algo !== "sha256" || expect.checksum.hex === row.pkgid)) {
    const st = await deps.blobs.stat(row.blobSha256);
    const hit = st ? await tryServeBlob(deps, req, res, row.blobSha256, st.size, contentTypeFor(path), {}) : null;
    if (hit) return hit;
  }
  if (!rt.metadata.current) {
    await rt.metadata.revalidate().catch(() => {
    });
    expect = await rt.metadata.expectationFor(path);
  }
  if (!expect && row && checksumAlgo(row.checksumType)) {
    expect = { checksum: { algo: checksumAlgo(row.checksumType), hex: row.pkgid }, size: row.size, pkgid: checksumAlgo(row.checksumType) === "sha256" ? row.pkgid : null };
  }
  if (req.method === "HEAD" && expect && !req.headers.range) {
    res.writeHead(200, { "Content-Type": contentTypeFor(path), "Accept-Ranges": "bytes", "Content-Length": expect.size }).end();
    return { status: 200 };
  }
  return serveMiss(deps, rt, req, res, path, expect ? { checksum: expect.checksum, size: expect.size } : null, !!expect, (r, whole) => {
    if (whole && r.stored) recordDownload(deps, repo, path, expect?.pkgid ?? null, { blob: r.sha256, size: r.size });
  });
}
async function serveImmutable(deps, rt, req, res, path, checksum) {
  const cached = await deps.index.get(rt.config.name, path);
  const hit = cached ? await tryServeBlob(deps, req, res, cached.blob, cached.size, contentTypeFor(path), {}) : null;
  if (hit) return hit;
  return serveMiss(deps, rt, req, res, path, checksum ? { checksum, size: null } : null, true);
}
async function serveMutable(deps, rt, req, res, path) {
  const repo = rt.config.name;
  const cached = await deps.index.get(repo, path);
  const usable = cached && await deps.blobs.has(cached.blob) ? cached : null;
  if (usable && deps.now() - usable.checkedAt < rt.config.metadataTtlMs) {
    return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), {});
  }
  const conditional = {};
  if (usable?.etag) conditional["if-none-match"] = usable.etag;
  if (usable?.lastModified) conditional["if-modified-since"] = usable.lastModified;
  try {
    return await serveMiss(deps, rt, req, res, path, null, true, void 0, conditional);
  } catch (e) {
    if (!usable || res.headersSent) throw e;
    if (e instanceof NotModifiedSignal) {
      const fresh = { ...usable, checkedAt: deps.now() };
      await deps.index.set(repo, fresh);
      return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), {});
    }
    const status = httpStatusFor(e);
    if (status === 404) throw e;
    deps.metrics.staleServed++;
    const warning = status === 504 ? '110 - "Response is Stale"' : '111 - "Revalidation Failed"';
    return serveBlob(deps, req, res, usable.blob, usable.size, usable.contentType ?? contentTypeFor(path), { Warning: warning });
  }
}
async function serveMiss(deps, rt, req, res, path, expect, store, after, conditional = {}) {
  const repo = rt.config.name;
  const base = await rt.mirrors.baseUrl();
  const url = `${base}${encodePath(path)}`;
  deps.metrics.cacheMisses++;
  const dl = await deps.downloads.join(
    `${repo}\0${path}`,
    { url, checksum: expect?.checksum ?? null, size: expect?.size ?? null, store },
    async () => {
      const r = await deps.upstream.get(url, conditional);
      if (r.status === 304 && Object.keys(conditional).length > 0) {
        r.body.resume();
        throw new NotModifiedSignal();
      }
      if (r.status !== 200) {
        r.body.resume();
        throw statusError(url, r.status);
      }
      return r;
    },
    (r) => deps.index.set(repo, {
      path,
      blob: r.sha256,
      size: r.size,
      checkedAt: deps.now(),
      etag: r.etag,
      lastModified: r.lastModified,
      contentType: r.contentType,
      checksum: expect ? `${expect.checksum.algo}:${expect.checksum.hex}` : null
    })
  );
  try {
    if (dl.size !== null && dl.size <= deps.verifyBeforeSendBytes) await dl.finished;
    const source = { kind: "download", download: dl };
    const outcome = await sendBody(req, res, deps.blobs, source, { contentType: contentTypeFor(path) });
    deps.metrics.bytesServed += outcome.bytes;
    if (after) dl.finished.then((r) => after(r, outcome.whole), () => {
    });
    return { status: res.statusCode };
  } catch (e) {
    if (isYumvaultError(dl.failure) && dl.failure.code === "YV_CHECKSUM_MISMATCH") deps.metrics.checksumMismatches++;
    throw dl.failure ?? e;
  } finally {
    dl.release();
  }
}
async function serveBlob(deps, req, res, blob, size, contentType, headers, after) {
  const local = deps.hot.fits(size) ? deps.blobs.localPath?.(blob) : void 0;
  const buffer = local ? await deps.hot.get(blob, local, size) : null;
  const source = buffer ? { kind: "memory", buffer } : { kind: "blob", sha256: blob, size };
  const outcome = await sendBody(req, res, deps.blobs, source, { contentType, headers });
  deps.metrics.cacheHits++;
  deps.metrics.bytesServed += outcome.bytes;
  after?.(outcome.whole);
  return { status: res.statusCode };
}
async function tryServeBlob(...args) {
  try {
    return await serveBlob(...args);
  } catch (e) {
    if (e instanceof BlobMissingError) return null;
    throw e;
  }
}
function recordDownload(deps, repo, location, pkgid, blob) {
  const key = `${repo}\0${location}\0${blob.blob}`;
  if (deps.recorded.has(key)) return;
  if (deps.recorded.size > 2e5) deps.recorded.clear();
  deps.recorded.add(key);
  deps.catalog.recordDownload(repo, { location, pkgid, blob: { sha256: blob.blob, size: blob.size } }, deps.now()).catch((e) => {
    deps.recorded.delete(key);
    deps.logger.warn(`${repo}: cannot record the download of ${location}: ${e.message}`);
  });
}
function checksumFromName(hex) {
  const algo = { 32: "md5", 40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512" }[hex.length];
  return algo ? { algo, hex } : null;
}

// proxy/repoFile.ts
function renderRepoFile(repo, proxyBase) {
  const baseurl = `${proxyBase}repos/${repo.name}/`;
  const keys = repo.gpgkey.length ? repo.gpgkey : repo.repoGpgcheck ? [`${baseurl}repodata/repomd.xml.key`] : [];
  const lines = [
    `[${repo.name}]`,
    `name=${repo.name} (via yumvault)`,
    `baseurl=${baseurl}`,
    "enabled=1",
    `gpgcheck=${repo.gpgcheck ? 1 : 0}`,
    `repo_gpgcheck=${repo.repoGpgcheck ? 1 : 0}`
  ];
  if (keys.length) lines.push(`gpgkey=${keys.join(" ")}`);
  return `${lines.join("\n")}
`;
}

// proxy/server.ts
async function createProxyServer(config, deps) {
  const now = deps.now ?? Date.now;
  const { catalog, blobs, logger } = deps;
  const metrics = new ProxyMetrics();
  const upstream = new UpstreamClient({
    timeoutMs: config.upstreamTimeoutMs,
    idleTimeoutMs: config.upstreamIdleTimeoutMs,
    dispatcher: deps.dispatcher,
    onError: () => metrics.upstreamErrors++,
    maxFails: config.upstreamMaxFails,
    failTimeoutMs: config.upstreamFailTimeoutMs,
    now
  });
  const index = new CacheIndex(config.dataDir);
  const downloads = new Downloads({ dataDir: config.dataDir, blobs, onBytes: (n) => metrics.bytesFetched += n });
  await downloads.init();
  let stopped = false;
  const pending = /* @__PURE__ */ new Set();
  const runRepoPass = (name) => {
    if (!deps.monitor || stopped) return;
    const p = deps.monitor.runPass({ repos: [name] }).catch((e) => logger.error(`monitor pass for ${name} failed: ${e.message}`));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const repos = /* @__PURE__ */ new Map();
  for (const repo of config.repos) {
    const mirrors = new MirrorChooser(repo, upstream, now);
    const metadata = new RepoMetadata({
      repo,
      dataDir: config.dataDir,
      blobs,
      index,
      downloads,
      upstream,
      logger,
      now,
      baseUrl: () => mirrors.baseUrl(),
      adoptWaitMs: deps.adoptWaitMs,
      // The proxy sees a new upstream revision as soon as a client asks: the monitor records its versions
      // right away, so a build that appears, is fetched and is evicted between two timed passes is known.
      onAdopted: (name) => runRepoPass(name)
    });
    await metadata.load();
    repos.set(repo.name, { config: repo, metadata, mirrors });
    await catalog.upsertRepo(repo.name, repo.upstream || repo.metalink || repo.mirrorlist || "");
  }
  const passDeps = {
    repos,
    blobs,
    catalog,
    index,
    downloads,
    upstream,
    metrics,
    logger,
    now,
    verifyBeforeSendBytes: deps.verifyBeforeSendBytes ?? 1024 * 1024,
    recorded: /* @__PURE__ */ new Set(),
    hot: new HotBlobCache(config.hotCacheBytes)
  };
  const app = (0, import_express2.default)();
  app.disable("x-powered-by");
  app.set("etag", false);
  const router = import_express2.default.Router();
  app.use(router);
  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok\n");
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(Promise.all([catalog.totals(), blobs.has("0".repeat(64))]), 5e3);
      res.type("text/plain").send("ready\n");
    } catch (e) {
      res.status(503).type("text/plain").send(`not ready: ${e.message}
`);
    }
  });
  app.get("/metrics", async (_req, res) => {
    const totals = await catalog.totals().catch(() => null);
    res.type("text/plain; version=0.0.4").send(metrics.render(totals, { versionsLostSinceStart: deps.monitor?.lostCount ?? 0, inflight: downloads.size }));
  });
  app.get("/", async (_req, res) => {
    const list = [...repos.values()].map((r) => ({ name: r.config.name, upstream: r.config.upstream || r.config.metalink || r.config.mirrorlist || "", servedRevision: r.metadata.current?.revision ?? null }));
    const page3 = await renderDashboard(catalog, list, now());
    res.status(page3.status).set(page3.headers).send(page3.body);
  });
  app.use(createApiRouter({
    catalog,
    token: config.token,
    monitor: deps.monitor,
    now,
    policies: Object.fromEntries(config.repos.map((r) => [r.name, r.policy]))
  }));
  app.use(createVaultRouter({ catalog, blobs, dataDir: config.dataDir }));
  app.use((req, res) => {
    res.status(404).type("text/plain").send(`404 no route for ${req.method} ${req.path}
`);
  });
  const reposRoute = (req, res, rawPath) => {
    const route = routeOf(rawPath);
    if (route === "repos") {
      void handleRepoRequest(passDeps, req, res, rawPath.slice("/repos/".length));
      return true;
    }
    if (route !== "repo_file") return false;
    const name = decodeURIComponent(rawPath.slice("/repos/".length, -".repo".length));
    const repo = repos.get(name);
    if (!repo || req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(repo ? 405 : 404, { "Content-Type": "text/plain" }).end(repo ? "405 GET only\n" : `404 no repository named ${JSON.stringify(name)}
`);
      return true;
    }
    const base = config.publicUrl ?? `http://${req.headers.host ?? `${config.host}:${config.port}`}/`;
    const body = renderRepoFile(repo.config, base);
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? void 0 : body);
    return true;
  };
  const refused = (res, rawPath) => {
    if (!hasTraversal(rawPath) && rawPath.startsWith("/")) return false;
    sendProxyError(res, new PathTraversalError(`refused path ${JSON.stringify(rawPath.slice(0, 200))}`));
    return true;
  };
  router.use((req, res, next) => {
    const rawPath = pathOf(req.originalUrl ?? req.url ?? "/");
    if (refused(res, rawPath) || reposRoute(req, res, rawPath)) return;
    next();
  });
  const handle = (req, res) => {
    const rawPath = pathOf(req.url ?? "/");
    const route = routeOf(rawPath);
    res.once("close", () => metrics.countRequest(route, res.statusCode));
    if (refused(res, rawPath) || reposRoute(req, res, rawPath)) return;
    app(req, res);
  };
  const server = createServer({ keepAliveTimeout: 65e3, requestTimeout: 0 }, handle);
  let timer;
  let passRunning = null;
  const runPass = () => {
    if (!deps.monitor || passRunning) return;
    passRunning = deps.monitor.runPass().catch((e) => logger.error(`monitor pass failed: ${e.message}`)).finally(() => passRunning = null);
  };
  return {
    app,
    server,
    metrics,
    repos,
    async start() {
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      if (deps.monitor && config.monitorIntervalMs > 0) {
        timer = setInterval(runPass, config.monitorIntervalMs);
        timer.unref();
        setTimeout(runPass, 0).unref();
      }
      const addr = server.address();
      const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address === "0.0.0.0" ? "127.0.0.1" : addr.address;
      return `http://${host}:${addr.port}/`;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2e3).unref();
      });
      await passRunning?.catch(() => {
      });
      await Promise.all(pending);
      await downloads.drain(5e3);
      await upstream.close();
    }
  };
}
function pathOf(url) {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}
function routeOf(rawPath) {
  if (rawPath.startsWith("/repos/")) return /^\/repos\/[^/]+\.repo$/.test(rawPath) ? "repo_file" : "repos";
  if (rawPath.startsWith("/vault/")) return "vault";
  if (rawPath.startsWith("/api/")) return "api";
  if (rawPath === "/healthz" || rawPath === "/readyz" || rawPath === "/metrics") return rawPath.slice(1);
  if (rawPath === "/") return "dashboard";
  return "other";
}
function withTimeout(p, ms) {
  let t;
  return Promise.race([p, new Promise((_, reject) => t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]).finally(() => clearTimeout(t));
}

export {
  createProxyServer
};
