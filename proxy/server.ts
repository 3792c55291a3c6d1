// The proxy's HTTP server: /repos (pass-through cache, handled before express for speed), /repos/NAME.repo,
// the vault and API routers (proxy/vault, proxy/api), /healthz, /readyz, /metrics and the dashboard page.
// Everything it uses is passed in; start() listens, stop() closes (the caller closes the stores).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Dispatcher } from 'undici';
import { PathTraversalError } from '../src/errors.ts';
import type { Logger } from '../src/retention/logger.ts';
import type { Monitor } from '../src/retention/monitor.ts';
import type { BlobStore } from '../src/store/blobStore.ts';
import type { Catalog } from '../src/store/catalog.ts';
import { createApiRouter } from './api/router.ts';
import type { ProxyConfig } from './config.ts';
import { renderDashboard } from './dashboard.ts';
import { sendProxyError } from './errors.ts';
import { RepoMetadata } from './metadata/revisions.ts';
import { ProxyMetrics } from './metrics.ts';
import { CacheIndex } from './passthrough/cacheIndex.ts';
import { Downloads } from './passthrough/download.ts';
import { HotBlobCache } from './passthrough/hotCache.ts';
import { handleRepoRequest, type PassthroughDeps, type RepoRuntime } from './passthrough/handler.ts';
import { MirrorChooser } from './passthrough/mirrors.ts';
import { UpstreamClient } from './passthrough/upstream.ts';
import { hasTraversal } from './paths.ts';
import { renderRepoFile } from './repoFile.ts';
import { createVaultRouter } from './vault/router.ts';

export interface ProxyDeps {
  catalog: Catalog;
  blobs: BlobStore;
  logger: Logger;
  /** The retention monitor (runs on config.monitorIntervalMs, and on POST /api/v1/monitor). */
  monitor?: Monitor;
  now?: () => number;
  /** undici dispatcher for upstream requests (tests inject faults); default: an Agent with the timeouts. */
  dispatcher?: Dispatcher;
  /** Misses up to this size are verified before the answer starts (default 1 MiB). */
  verifyBeforeSendBytes?: number;
  /** How long a repomd.xml request waits for a new revision before it gets the previous one (default 5 s). */
  adoptWaitMs?: number;
}

export interface ProxyServer {
  app: Express;
  server: Server;
  metrics: ProxyMetrics;
  /** Listens on config.host:port; resolves with the base URL ("http://127.0.0.1:PORT/"). */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** Per repo: the runtime (metadata revisions, mirror choice). */
  repos: ReadonlyMap<string, RepoRuntime>;
}

export async function createProxyServer(config: ProxyConfig, deps: ProxyDeps): Promise<ProxyServer> {
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
    now,
  });
  const index = new CacheIndex(config.dataDir);
  const downloads = new Downloads({ dataDir: config.dataDir, blobs, onBytes: (n) => (metrics.bytesFetched += n) });
  await downloads.init();

  let stopped = false;
  const pending = new Set<Promise<unknown>>();
  const runRepoPass = (name: string) => {
    if (!deps.monitor || stopped) return;
    const p = deps.monitor.runPass({ repos: [name] }).catch((e: unknown) => logger.error(`monitor pass for ${name} failed: ${(e as Error).message}`));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const repos = new Map<string, RepoRuntime>();
  for (const repo of config.repos) {
    const mirrors = new MirrorChooser(repo, upstream, now);
    const metadata = new RepoMetadata({
      repo, dataDir: config.dataDir, blobs, index, downloads, upstream, logger, now,
      baseUrl: () => mirrors.baseUrl(),
      adoptWaitMs: deps.adoptWaitMs,
      // The proxy sees a new upstream revision as soon as a client asks: the monitor records its versions
      // right away, so a build that appears, is fetched and is evicted between two timed passes is known.
      onAdopted: (name) => runRepoPass(name),
    });
    await metadata.load();
    repos.set(repo.name, { config: repo, metadata, mirrors });
    await catalog.upsertRepo(repo.name, repo.upstream || repo.metalink || repo.mirrorlist || '');
  }

  const passDeps: PassthroughDeps = {
    repos, blobs, catalog, index, downloads, upstream, metrics, logger, now,
    verifyBeforeSendBytes: deps.verifyBeforeSendBytes ?? 1024 * 1024,
    recorded: new Set(),
    hot: new HotBlobCache(config.hotCacheBytes),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const router = express.Router();
  app.use(router);

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(Promise.all([catalog.totals(), blobs.has('0'.repeat(64))]), 5000);
      res.type('text/plain').send('ready\n');
    } catch (e) {
      res.status(503).type('text/plain').send(`not ready: ${(e as Error).message}\n`);
    }
  });
  app.get('/metrics', async (_req, res) => {
    const totals = await catalog.totals().catch(() => null);
    res.type('text/plain; version=0.0.4').send(metrics.render(totals, { versionsLostSinceStart: deps.monitor?.lostCount ?? 0, inflight: downloads.size }));
  });
  app.get('/', async (_req, res) => {
    const list = [...repos.values()].map((r) => ({ name: r.config.name, upstream: r.config.upstream || r.config.metalink || r.config.mirrorlist || '', servedRevision: r.metadata.current?.revision ?? null }));
    const page = await renderDashboard(catalog, list, now()); res.status(page.status).set(page.headers).send(page.body);
  });
  app.use(createApiRouter({
    catalog, token: config.token, monitor: deps.monitor, now,
    policies: Object.fromEntries(config.repos.map((r) => [r.name, r.policy])),
  }));
  app.use(createVaultRouter({ catalog, blobs, dataDir: config.dataDir }));
  app.use((req, res) => {
    res.status(404).type('text/plain').send(`404 no route for ${req.method} ${req.path}\n`);
  });

  /** /repos/NAME/… and /repos/NAME.repo; false for every other path. */
  const reposRoute = (req: IncomingMessage, res: ServerResponse, rawPath: string): boolean => {
    const route = routeOf(rawPath);
    if (route === 'repos') {
      void handleRepoRequest(passDeps, req, res, rawPath.slice('/repos/'.length));
      return true;
    }
    if (route !== 'repo_file') return false;
    const name = decodeURIComponent(rawPath.slice('/repos/'.length, -'.repo'.length));
    const repo = repos.get(name);
    if (!repo || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(repo ? 405 : 404, { 'Content-Type': 'text/plain' }).end(repo ? '405 GET only\n' : `404 no repository named ${JSON.stringify(name)}\n`);
      return true;
    }
    const base = config.publicUrl ?? `http://${req.headers.host ?? `${config.host}:${config.port}`}/`;
    const body = renderRepoFile(repo.config, base);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
  /** Traversal in any spelling is refused before any router sees the path. */
  const refused = (res: ServerResponse, rawPath: string): boolean => {
    if (!hasTraversal(rawPath) && rawPath.startsWith('/')) return false;
    sendProxyError(res, new PathTraversalError(`refused path ${JSON.stringify(rawPath.slice(0, 200))}`));
    return true;
  };
  // The same routes when `app` is mounted on its own (the server below reaches /repos without express).
  router.use((req, res, next) => {
    const rawPath = pathOf(req.originalUrl ?? req.url ?? '/');
    if (refused(res, rawPath) || reposRoute(req, res, rawPath)) return;
    next();
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const rawPath = pathOf(req.url ?? '/');
    const route = routeOf(rawPath);
    res.once('close', () => metrics.countRequest(route, res.statusCode));
    if (refused(res, rawPath) || reposRoute(req, res, rawPath)) return;
    app(req, res);
  };
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, handle);

  let timer: NodeJS.Timeout | undefined;
  let passRunning: Promise<unknown> | null = null;
  const runPass = () => {
    if (!deps.monitor || passRunning) return;
    passRunning = deps.monitor.runPass().catch((e: unknown) => logger.error(`monitor pass failed: ${(e as Error).message}`)).finally(() => (passRunning = null));
  };

  return {
    app,
    server,
    metrics,
    repos,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (deps.monitor && config.monitorIntervalMs > 0) {
        timer = setInterval(runPass, config.monitorIntervalMs);
        timer.unref();
        setTimeout(runPass, 0).unref();
      }
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
      return `http://${host}:${addr.port}/`;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Transfers in progress get a moment to finish, then are cut: a client resumes with Range.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await passRunning?.catch(() => {});
      await Promise.all(pending);
      await downloads.drain(5000);
      await upstream.close();
    },
  };
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function routeOf(rawPath: string): string {
  if (rawPath.startsWith('/repos/')) return /^\/repos\/[^/]+\.repo$/.test(rawPath) ? 'repo_file' : 'repos';
  if (rawPath.startsWith('/vault/')) return 'vault';
  if (rawPath.startsWith('/api/')) return 'api';
  if (rawPath === '/healthz' || rawPath === '/readyz' || rawPath === '/metrics') return rawPath.slice(1);
  if (rawPath === '/') return 'dashboard';
  return 'other';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}
