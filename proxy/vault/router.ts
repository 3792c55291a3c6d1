// GET /vault/NAME/...: a real yum repository of every version of NAME the proxy holds (upstream's current
// builds it has cached and the retained ones). Repodata comes from the publication under
// DATA/vault/NAME/repodata (publish.ts); packages are served from blobs, looked up by their location
// href in the catalog — a request path is never used as a file path except a checked repodata file name.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { NotFoundError, PathTraversalError } from '../../src/errors.ts';
import type { BlobStore } from '../../src/store/blobStore.ts';
import type { Catalog, PackageVersion } from '../../src/store/catalog.ts';
import { sendProxyError } from '../errors.ts';
import { contentTypeFor } from '../contentType.ts';

export interface VaultDeps {
  catalog: Catalog;
  blobs: BlobStore;
  /** DATA: publications live in DATA/vault/NAME/repodata. */
  dataDir: string;
  /**
   * Signature checking for /vault/NAME.repo: the vault's repodata is ours (unsigned), but its packages keep
   * upstream's signatures, so upstream's gpgcheck and keys still apply. Default: gpgcheck=0.
   */
  gpgFor?: (repo: string) => { gpgcheck: boolean; gpgkey: readonly string[] } | undefined;
  /** Base URL clients reach the proxy at (publicUrl); default: the request's Host. */
  publicUrl?: string | null;
}

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REPODATA_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function vaultRepodataDir(dataDir: string, repo: string): string {
  if (!REPO_NAME.test(repo)) throw new PathTraversalError(`not a repository name: ${JSON.stringify(repo)}`);
  return join(dataDir, 'vault', repo, 'repodata');
}

/** Checks a location href: relative, no `.`/`..` segments, no backslash or NUL, no empty segment. */
export function checkLocation(location: string): string {
  const segments = location.split('/');
  if (location === '' || location.startsWith('/') || /[\\\0]/.test(location) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new PathTraversalError(`bad path in the vault: ${JSON.stringify(location).slice(0, 200)}`);
  }
  return location;
}

export function createVaultRouter(deps: VaultDeps): Router {
  const router = express.Router();

  router.get('/vault/:name.repo', async (req, res) => {
    const name = String(req.params.name);
    if (!REPO_NAME.test(name) || !(await deps.catalog.getRepo(name))) throw new NotFoundError(`no vault named ${JSON.stringify(name)}`);
    const root = deps.publicUrl ? deps.publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const gpg = deps.gpgFor?.(name);
    const lines = [
      `[${name}-vault]`,
      `name=${name} (yumvault vault: current and retained builds)`,
      `baseurl=${root}/vault/${name}/`,
      'enabled=1',
      `gpgcheck=${gpg?.gpgcheck ? 1 : 0}`,
      ...(gpg?.gpgcheck && gpg.gpgkey.length ? [`gpgkey=${gpg.gpgkey.join(' ')}`] : []),
      // Our repodata is not signed (upstream's key cannot sign it): repo_gpgcheck stays off for the vault.
      'repo_gpgcheck=0',
      'metadata_expire=60',
    ];
    res.type('text/plain').send(`${lines.join('\n')}\n`);
  });

  router.get('/vault/:name/repodata/:file', async (req, res) => {
    const name = String(req.params.name);
    const file = String(req.params.file);
    if (!REPODATA_FILE.test(file)) throw new PathTraversalError(`bad repodata file name ${JSON.stringify(file)}`);
    const path = join(vaultRepodataDir(deps.dataDir, name), file);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new NotFoundError(`vault ${name} has no repodata/${file}${file === 'repomd.xml' ? ' (not published yet: run a monitor pass)' : ''}`);
    // repomd.xml changes with each publication; the files it lists are named by checksum and never change.
    const mutable = file.startsWith('repomd.xml');
    await sendLocalFile(req, res, path, mutable ? 'no-cache' : 'public, max-age=31536000, immutable', contentTypeFor(file));
  });

  router.get('/vault/:name/*location', async (req, res) => {
    const name = String(req.params.name);
    const raw = (req.params as Record<string, unknown>).location;
    const location = checkLocation(Array.isArray(raw) ? raw.join('/') : String(raw));
    if (!REPO_NAME.test(name)) throw new NotFoundError(`no vault named ${JSON.stringify(name)}`);
    const pkg = await deps.catalog.findByLocation(name, location);
    if (!pkg || !servable(pkg)) throw new NotFoundError(`vault ${name} holds no ${location}`);
    const blob = pkg.blobSha256!;
    res.set('ETag', `"${blob}"`);
    const local = deps.blobs.localPath?.(blob);
    if (local) {
      await sendLocalFile(req, res, local, 'public, max-age=31536000, immutable', 'application/x-rpm');
      return;
    }
    // A remote store (S3): one byte range at most (dnf resumes with `bytes=N-`), else the whole blob.
    const st = await deps.blobs.stat(blob);
    if (!st) throw new NotFoundError(`vault ${name}: the blob for ${location} is missing`);
    res.set({ 'Content-Type': 'application/x-rpm', 'Accept-Ranges': 'bytes' });
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.get('range') ?? '');
    let range: { start: number; end: number } | undefined;
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : st.size - 1, st.size - 1);
      if (start > end) return void res.status(416).set('Content-Range', `bytes */${st.size}`).end();
      range = { start, end };
      res.status(206).set('Content-Range', `bytes ${start}-${end}/${st.size}`);
    }
    res.set('Content-Length', String(range ? range.end - range.start + 1 : st.size));
    if (req.method === 'HEAD') return void res.end();
    const body = await deps.blobs.get(blob, range);
    // pipe() alone leaves the source paused when the client goes away: a remote store's connection would
    // stay open until its body timeout. The answer's end (done or aborted) releases the blob stream.
    body.on('error', () => res.destroy());
    res.on('close', () => body.destroy());
    body.pipe(res);
  });

  // A repository route: plain-text errors (dnf shows the body to its user), from the proxy's one table.
  router.use('/vault', ((err, _req, res, _next) => void sendProxyError(res, err)) as ErrorRequestHandler);
  return router;
}

function servable(p: PackageVersion): boolean {
  return p.blobSha256 !== null && (p.upstream || p.retained);
}

/** express's sendFile (via `send`): Range, HEAD and conditional requests; exact Content-Length, no encoding. */
function sendLocalFile(req: Request, res: Response, path: string, cacheControl: string, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.type(type);
    res.sendFile(path, { dotfiles: 'allow', cacheControl: false, lastModified: true, headers: { 'Cache-Control': cacheControl } }, (err) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new NotFoundError(`${req.path} is gone`));
      // The client went away or a range was unsatisfiable (send already answered 416).
      if (res.headersSent) return resolve();
      reject(err);
    });
  });
}
