// /api/v1: register and read image manifests, list repos, package versions and retention events, trigger
// a monitor pass (DESIGN.md "API routes"). Writes need the bearer token, checked before anything else.
import express, { type Request, type Router } from 'express';
import { MonitorBusyError, NotFoundError, UsageError } from '../../src/errors.ts';
import type { PassReport } from '../../src/retention/monitor.ts';
import type { Catalog, EventKind, ManifestBuild, PackageVersion } from '../../src/store/catalog.ts';
import { formatNevra } from '../../src/rpm/nevra.ts';
import { requireTokenForWrites } from './auth.ts';
import { jsonErrorHandler } from './errors.ts';
import { parseRegistration, resolveRepoName } from './manifestBody.ts';

/** What the API needs from the monitor (src/retention's Monitor fits). */
export interface MonitorRunner {
  runPass(options?: { repos?: readonly string[] }): Promise<PassReport>;
  readonly repoNames: readonly string[];
}

export interface ApiDeps {
  catalog: Catalog;
  /** The bearer token for writes; null refuses every write. */
  token: string | null;
  monitor?: MonitorRunner;
  /** Policy per repo, shown by GET /api/v1/repos. */
  policies?: Record<string, { keep: readonly string[]; skipMinor: boolean }>;
  now?: () => number;
  /** Largest manifest body accepted (default 32 MiB). */
  maxBodyBytes?: number;
}

export type BuildState = 'upstream' | 'retained' | 'lost' | 'skipped' | 'gone' | 'unknown';

export interface BuildReport extends ManifestBuild {
  nevra: string;
  state: BuildState;
  held: boolean;
  /** The repo the build was found in. */
  foundIn: string | null;
  advisory: { id: string; severity: string | null } | null;
}

const EVENT_KINDS: readonly EventKind[] = ['appeared', 'superseded', 'gone', 'retained', 'lost', 'advisory', 'skipped'];

export function createApiRouter(deps: ApiDeps): Router {
  const { catalog } = deps;
  const now = deps.now ?? Date.now;
  const router = express.Router();
  const api = express.Router();
  router.use('/api/v1', requireTokenForWrites(deps.token), api);
  api.use(express.json({ limit: deps.maxBodyBytes ?? 32 * 1024 * 1024, type: () => true }));

  api.post('/manifests', async (req, res) => {
    const input = parseRegistration(req.body);
    // A build's `repo` is usually a URL (the proxy's /repos/NAME/): recorded as the repo's name when known.
    const repos = [...(await catalog.listRepos()), ...(deps.monitor?.repoNames ?? []).map((name) => ({ name, upstreamUrl: '' }))];
    const builds = input.builds.map((b) => ({ ...b, repo: resolveRepoName(b.repo, repos) ?? b.repo }));
    const { id, created } = await catalog.registerManifest({ ...input, builds, body: req.body }, now());
    // Hold every referenced build now, while upstream still has it (DESIGN.md: retention cannot wait).
    let pass: PassReport | null = null;
    if (deps.monitor && req.query.wait !== 'false') {
      const names = new Set(input.builds.map((b) => resolveRepoName(b.repo, repos)));
      pass = await deps.monitor.runPass(names.has(null) ? {} : { repos: [...names] as string[] });
    }
    const reports = await buildReports(catalog, id);
    res.status(created ? 201 : 200).json({
      id,
      created,
      held: pass ? pass.ran : false,
      counts: countStates(reports),
      lost: reports.filter((b) => b.state === 'lost').map((b) => b.nevra),
    });
  });

  api.get('/manifests', async (req, res) => {
    res.json({ manifests: await catalog.listManifests(page(req)) });
  });

  api.get('/manifests/:id', async (req, res) => {
    const id = Number(req.params.id);
    const m = Number.isSafeInteger(id) && id > 0 ? await catalog.getManifest(id) : null;
    if (!m) throw new NotFoundError(`no manifest with id ${JSON.stringify(req.params.id)}`);
    const builds = await buildReports(catalog, id);
    res.json({ id: m.id, imageSha256: m.imageSha256, imageName: m.imageName, createdAt: m.createdAt, counts: countStates(builds), builds, manifest: m.body });
  });

  api.get('/repos', async (_req, res) => {
    const repos = await catalog.listRepos();
    res.json({ repos: repos.map((r) => ({ ...r, policy: deps.policies?.[r.name] ?? null })) });
  });

  api.get('/packages', async (req, res) => {
    const repo = await knownRepo(catalog, req.query.repo);
    const p = page(req);
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const flag = (v: unknown): boolean => v === '1' || v === 'true';
    const rows = await catalog.listPackages(repo, p, {
      name: str(req.query.name), pkgid: str(req.query.pkgid), withAdvisory: flag(req.query.advisory), lost: flag(req.query.lost),
    });
    // `next` is the offset of the following page, null on the last one.
    res.json({ repo, packages: rows.map(packageView), next: rows.length === p.limit ? p.offset + rows.length : null });
  });

  api.get('/events', async (req, res) => {
    const repo = req.query.repo === undefined ? undefined : await knownRepo(catalog, req.query.repo);
    const kind = req.query.kind;
    if (kind !== undefined && !EVENT_KINDS.includes(kind as EventKind)) throw new UsageError(`kind must be one of ${EVENT_KINDS.join(', ')}`);
    const events = await catalog.listEvents({ repo, kind: kind as EventKind | undefined, afterId: intParam(req.query, 'after', 0), limit: Math.min(intParam(req.query, 'limit', 1000), 10_000) });
    res.json({ events });
  });

  api.post('/monitor', async (req, res) => {
    if (!deps.monitor) throw new MonitorBusyError('this proxy runs no monitor');
    const repo = req.query.repo === undefined ? undefined : String(req.query.repo);
    if (repo !== undefined && !deps.monitor.repoNames.includes(repo)) throw new NotFoundError(`no monitored repo named ${JSON.stringify(repo)}`);
    const report = await deps.monitor.runPass(repo ? { repos: [repo] } : {});
    if (!report.ran) throw new MonitorBusyError('another monitor pass holds the lock; try again later');
    res.json(report);
  });

  api.use((req, res) => {
    res.status(404).json({ error: { code: 'YV_NOT_FOUND', message: `no API route ${req.method} /api/v1${req.path}` } });
  });
  api.use(jsonErrorHandler);
  return router;
}

async function knownRepo(catalog: Catalog, value: unknown): Promise<string> {
  if (typeof value !== 'string' || value === '') throw new UsageError('the repo query parameter is required (?repo=NAME)');
  if (!(await catalog.getRepo(value))) throw new NotFoundError(`no repo named ${JSON.stringify(value)}`);
  return value;
}

function intParam(query: Request['query'], name: string, dflt: number): number {
  const v = query[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`query parameter ${name} must be a non-negative integer; got ${JSON.stringify(v)}`);
  return n;
}

function page(req: Request): { limit: number; offset: number } {
  return { limit: Math.min(intParam(req.query, 'limit', 1000), 10_000), offset: intParam(req.query, 'offset', 0) };
}

function packageView(p: PackageVersion): Record<string, unknown> {
  const reasons = [p.referenced && 'referenced', p.downloaded && 'downloaded'].filter(Boolean);
  return { ...p, nevra: formatNevra(p), reasons, held: p.blobSha256 !== null, lost: p.lostAt !== null };
}

/** Each build with where it stands: listed upstream, retained by us, lost, or never seen. */
export async function buildReports(catalog: Catalog, manifestId: number): Promise<BuildReport[]> {
  const out: BuildReport[] = [];
  for (const { build: b, versions: rows } of await catalog.manifestBuildVersions(manifestId)) {
    const row = rows.find((r) => r.upstream) ?? rows.find((r) => r.retained) ?? rows.find((r) => r.blobSha256) ?? rows[0];
    let state: BuildState = 'unknown';
    if (row) state = row.upstream ? 'upstream' : row.retained ? 'retained' : row.lostAt ? 'lost' : row.skipReason ? 'skipped' : 'gone';
    out.push({
      ...b,
      nevra: formatNevra(b),
      state,
      held: rows.some((r) => r.blobSha256 !== null),
      foundIn: row?.repo ?? null,
      advisory: row?.advisoryId ? { id: row.advisoryId, severity: row.advisorySeverity } : null,
    });
  }
  return out;
}

function countStates(builds: readonly BuildReport[]): Record<string, number> {
  const counts: Record<string, number> = { upstream: 0, retained: 0, lost: 0, skipped: 0, gone: 0, unknown: 0, advisory: 0, held: 0 };
  for (const b of builds) {
    counts[b.state]!++;
    if (b.advisory) counts.advisory!++;
    if (b.held) counts.held!++;
  }
  return counts;
}
