// The proxy's configuration: every option with its documented default in one place. Sources, later wins:
// defaults < yumvault.yaml (--config) < environment (YUMVAULT_*) < command line.
//
// yumvault.yaml:
//   data: /var/lib/yumvault            # YUMVAULT_DATA      --data
//   listen: 127.0.0.1:8080             # YUMVAULT_LISTEN    --listen
//   token: s3cret                      # YUMVAULT_TOKEN     --token
//   catalog: postgres://…              # YUMVAULT_CATALOG   (default DATA/catalog.sqlite)
//   blobs: s3://BUCKET/PREFIX?endpoint=https://s3.example  # YUMVAULT_BLOBS (default DATA/blobs; AWS_* credentials)
//   publicUrl: https://yum.example/    # YUMVAULT_PUBLIC_URL (base URL written into .repo files)
//   metadataTtl: 1m                    # YUMVAULT_METADATA_TTL: repomd.xml & co are revalidated after this
//   monitorInterval: 15m               # YUMVAULT_MONITOR_INTERVAL; 0 turns the in-process monitor off
//   upstreamTimeout: 30s               # YUMVAULT_UPSTREAM_TIMEOUT: connect + response headers
//   upstreamIdleTimeout: 60s           # a body that sends nothing for this long is a failed download
//   hotCacheMb: 256                    # YUMVAULT_HOT_CACHE_MB: memory for the hottest small blobs; 0 = off
//   upstreamMaxFails: 3                # connection failures/timeouts in a row that make an upstream host
//   upstreamFailTimeout: 30s           #   offline for this long (requests fail at once; stale copies served)
//   retention: { keep: [referenced, downloaded], skipMinor: false }
//   repos:
//     baseos:
//       upstream: https://mirror.example/9/BaseOS/x86_64/os/
//       mirrorlist: https://…           # optional: base URLs to try, one a line
//       metalink: https://…             # optional: a metalink whose <url>s are base URLs + repodata/repomd.xml
//       metadataTtl: 5m
//       retention: { keep: [all] }
//       skipMinor: true
//       gpgcheck: true                  # written into /repos/NAME.repo
//       repoGpgcheck: true
//       gpgkey: [https://…/RPM-GPG-KEY]
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, UsageError } from '../src/errors.ts';
import { DEFAULT_POLICY, parsePolicy, type RetentionPolicy } from '../src/retention/policy.ts';
import { parseDuration } from './duration.ts';

export interface RepoConfig {
  name: string;
  /** Upstream base URL, ending in '/'. */
  upstream: string;
  mirrorlist: string | null;
  metalink: string | null;
  metadataTtlMs: number;
  policy: RetentionPolicy;
  gpgcheck: boolean;
  repoGpgcheck: boolean;
  gpgkey: string[];
}

export interface ProxyConfig {
  dataDir: string;
  host: string;
  port: number;
  token: string | null;
  catalogUrl: string | null;
  /** s3://… for S3-compatible blob storage; null: DATA/blobs. */
  blobsUrl: string | null;
  publicUrl: string | null;
  metadataTtlMs: number;
  monitorIntervalMs: number;
  upstreamTimeoutMs: number;
  upstreamIdleTimeoutMs: number;
  /** Consecutive connection failures/timeouts after which an upstream host is offline for upstreamFailTimeoutMs. */
  upstreamMaxFails: number;
  upstreamFailTimeoutMs: number;
  /** Memory for the hottest small blobs (0 turns it off). */
  hotCacheBytes: number;
  repos: RepoConfig[];
}

export const DEFAULTS = Object.freeze({
  listen: '127.0.0.1:8080',
  metadataTtl: '1m',
  monitorInterval: '15m',
  upstreamTimeout: '30s',
  upstreamIdleTimeout: '60s',
  hotCacheMb: 256,
  upstreamMaxFails: 3,
  upstreamFailTimeout: '30s',
});

/** Command-line values (already split by parseArgs); undefined means "not given". */
export interface ConfigArgs {
  config?: string;
  data?: string;
  listen?: string;
  token?: string;
  upstreams?: readonly string[];
}

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isValidRepoName(name: string): boolean {
  return REPO_NAME.test(name) && !name.endsWith('.repo');
}

/** Loads the configuration from the file (if any), the environment and the command line. */
export async function loadProxyConfig(args: ConfigArgs, env: NodeJS.ProcessEnv = process.env): Promise<ProxyConfig> {
  let file: Record<string, unknown> = {};
  if (args.config) {
    let text: string;
    try {
      text = await readFile(args.config, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read config file ${args.config}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw new ConfigError(`${args.config} is not valid YAML: ${(e as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`${args.config} must hold a mapping of settings`);
    }
    file = (parsed ?? {}) as Record<string, unknown>;
  }
  return buildConfig(file, env, args);
}

/** Pure: merges the three sources and checks every value. */
export function buildConfig(file: Record<string, unknown>, env: NodeJS.ProcessEnv, args: ConfigArgs): ProxyConfig {
  const pick = (key: string, envName: string, arg?: string): unknown => arg ?? env[envName] ?? file[key];
  const data = pick('data', 'YUMVAULT_DATA', args.data);
  if (typeof data !== 'string' || data === '') throw new UsageError('--data DIR is required (or data: in the config, or YUMVAULT_DATA)');
  const listen = String(pick('listen', 'YUMVAULT_LISTEN', args.listen) ?? DEFAULTS.listen);
  const { host, port } = parseListen(listen);
  const token = pick('token', 'YUMVAULT_TOKEN', args.token);
  const catalog = pick('catalog', 'YUMVAULT_CATALOG');
  const blobs = pick('blobs', 'YUMVAULT_BLOBS');
  const publicUrl = pick('publicUrl', 'YUMVAULT_PUBLIC_URL');
  const metadataTtlMs = parseDuration(pick('metadataTtl', 'YUMVAULT_METADATA_TTL') ?? DEFAULTS.metadataTtl, 'metadataTtl');
  const globalPolicy = file.retention === undefined ? DEFAULT_POLICY : parsePolicy(file.retention as { keep?: unknown; skipMinor?: unknown }, 'retention');

  const repos = new Map<string, RepoConfig>();
  for (const repo of reposFromFile(file.repos, metadataTtlMs, globalPolicy)) repos.set(repo.name, repo);
  for (const spec of args.upstreams ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--upstream takes NAME=URL; got ${JSON.stringify(spec)}`);
    const name = spec.slice(0, eq);
    const prior = repos.get(name);
    repos.set(name, {
      ...(prior ?? defaultRepo(name, metadataTtlMs, globalPolicy)),
      name: checkRepoName(name),
      upstream: baseUrl(spec.slice(eq + 1), `--upstream ${name}`),
    });
  }
  if (repos.size === 0) throw new UsageError('no repositories: give --upstream NAME=URL or repos: in the config');

  return {
    dataDir: resolve(data),
    host,
    port,
    token: typeof token === 'string' && token !== '' ? token : null,
    catalogUrl: typeof catalog === 'string' && catalog !== '' ? catalog : null,
    blobsUrl: typeof blobs === 'string' && blobs !== '' ? blobs : null,
    publicUrl: typeof publicUrl === 'string' && publicUrl !== '' ? baseUrl(publicUrl, 'publicUrl') : null,
    metadataTtlMs,
    monitorIntervalMs: parseDuration(pick('monitorInterval', 'YUMVAULT_MONITOR_INTERVAL') ?? DEFAULTS.monitorInterval, 'monitorInterval'),
    upstreamTimeoutMs: parseDuration(pick('upstreamTimeout', 'YUMVAULT_UPSTREAM_TIMEOUT') ?? DEFAULTS.upstreamTimeout, 'upstreamTimeout'),
    upstreamIdleTimeoutMs: parseDuration(pick('upstreamIdleTimeout', 'YUMVAULT_UPSTREAM_IDLE_TIMEOUT') ?? DEFAULTS.upstreamIdleTimeout, 'upstreamIdleTimeout'),
    upstreamMaxFails: count(pick('upstreamMaxFails', 'YUMVAULT_UPSTREAM_MAX_FAILS') ?? DEFAULTS.upstreamMaxFails, 'upstreamMaxFails'),
    upstreamFailTimeoutMs: parseDuration(pick('upstreamFailTimeout', 'YUMVAULT_UPSTREAM_FAIL_TIMEOUT') ?? DEFAULTS.upstreamFailTimeout, 'upstreamFailTimeout'),
    hotCacheBytes: megabytes(pick('hotCacheMb', 'YUMVAULT_HOT_CACHE_MB') ?? DEFAULTS.hotCacheMb, 'hotCacheMb') * 1024 * 1024,
    repos: [...repos.values()],
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen takes HOST:PORT (port 0 picks a free one); got ${JSON.stringify(listen)}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function defaultRepo(name: string, metadataTtlMs: number, policy: RetentionPolicy): RepoConfig {
  return { name, upstream: '', mirrorlist: null, metalink: null, metadataTtlMs, policy, gpgcheck: false, repoGpgcheck: false, gpgkey: [] };
}

function reposFromFile(value: unknown, metadataTtlMs: number, policy: RetentionPolicy): RepoConfig[] {
  if (value === undefined || value === null) return [];
  // Either a mapping NAME → settings, or a list of settings each with a `name`.
  if (typeof value !== 'object') throw new ConfigError('repos must be a mapping of NAME → settings');
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v) => [String((v as { name?: unknown } | null)?.name ?? ''), v])
    : Object.entries(value as Record<string, unknown>);
  return entries.map(([name, raw]) => {
    const where = `repos.${name}`;
    checkRepoName(name);
    if (typeof raw === 'string') return { ...defaultRepo(name, metadataTtlMs, policy), upstream: baseUrl(raw, where) };
    if (!raw || typeof raw !== 'object') throw new ConfigError(`${where} must be a mapping with at least upstream: URL`);
    const r = raw as Record<string, unknown>;
    const optUrl = (k: string): string | null => (r[k] === undefined || r[k] === null ? null : url(r[k], `${where}.${k}`));
    const mirrorlist = optUrl('mirrorlist');
    const metalink = optUrl('metalink');
    if (r.upstream === undefined && !mirrorlist && !metalink) throw new ConfigError(`${where} needs upstream: URL (or mirrorlist:/metalink:)`);
    const retention = r.retention === undefined && r.skipMinor === undefined
      ? policy
      : parsePolicy({ keep: (r.retention as { keep?: unknown } | undefined)?.keep ?? policy.keep, skipMinor: r.skipMinor ?? (r.retention as { skipMinor?: unknown } | undefined)?.skipMinor ?? policy.skipMinor }, `${where}.retention`);
    const gpgkey = r.gpgkey === undefined ? [] : (Array.isArray(r.gpgkey) ? r.gpgkey : [r.gpgkey]).map((k, i) => url(k, `${where}.gpgkey[${i}]`));
    return {
      name,
      upstream: r.upstream === undefined ? '' : baseUrl(r.upstream, `${where}.upstream`),
      mirrorlist,
      metalink,
      metadataTtlMs: r.metadataTtl === undefined ? metadataTtlMs : parseDuration(r.metadataTtl, `${where}.metadataTtl`),
      policy: retention,
      gpgcheck: bool(r.gpgcheck, gpgkey.length > 0, `${where}.gpgcheck`),
      repoGpgcheck: bool(r.repoGpgcheck, false, `${where}.repoGpgcheck`),
      gpgkey,
    };
  });
}

function count(v: unknown, where: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ConfigError(`${where} must be a whole number of at least 1; got ${JSON.stringify(v)}`);
  return n;
}

function megabytes(v: unknown, where: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ConfigError(`${where} must be a number of MiB (0 turns it off); got ${JSON.stringify(v)}`);
  return n;
}

function checkRepoName(name: string): string {
  if (!isValidRepoName(name)) throw new ConfigError(`repository name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-' (and not end in .repo)`);
  return name;
}

function bool(v: unknown, dflt: boolean, where: string): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ConfigError(`${where} must be true or false; got ${JSON.stringify(v)}`);
  return v;
}

function url(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new ConfigError(`${where} must be an http(s) URL; got ${JSON.stringify(v)}`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`${where} must be an http(s) URL; got ${JSON.stringify(v)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`${where} must be an http(s) URL; got ${JSON.stringify(v)}`);
  return u.href;
}

/** A repository base URL always ends in '/', so relative hrefs resolve under it. */
function baseUrl(v: unknown, where: string): string {
  const href = url(v, where);
  return href.endsWith('/') ? href : `${href}/`;
}
