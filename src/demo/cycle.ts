// The whole yumvault cycle on a generated repository, end to end and in-process: the README's first
// command. Each step is timed; a failure names its step. The pieces (proxy, decompose, monitor, restore,
// verify, repodata) are passed in as DemoServices, so this file only tells the story.

import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { YumvaultError } from '../errors.ts';
import { hashFile } from '../util/hashFile.ts';
import { DEMO_BUILDS, binaryBytes } from './demoPackages.ts';
import { buildImage, type ImageEdits } from './imageBuilder.ts';
import { startStaticServer, type StaticServer } from './staticServer.ts';
import { generatePool, publish, window, type PoolBuild, type RepodataWriter } from './upstreamRepo.ts';

/** How many builds of each package upstream keeps (a mirror that keeps the last few). */
export const UPSTREAM_KEEP = 3;
export const DEMO_REPO = 'demo';

export interface DecomposeOutcome {
  packages: number;
  packagesFound: number;
  /** manifest.json + residual.zst bytes. */
  storedBytes: number;
  /** The id the proxy gave the registered manifest. */
  manifestId?: string;
}

export interface RunningProxy {
  /** Base URL ending in "/". */
  url: string;
  close(): Promise<void>;
}

export interface DemoServices {
  writeRepodata: RepodataWriter;
  startProxy(o: { dataDir: string; upstreams: Record<string, string>; token: string; metadataTtl?: string }): Promise<RunningProxy>;
  decompose(o: { image: string; repos: string[]; out: string; register: { url: string; token: string } }): Promise<DecomposeOutcome>;
  /** One retention pass over every repo (POST /api/v1/monitor). */
  monitor(proxy: RunningProxy, token: string): Promise<void>;
  /** How many of the image's builds the proxy holds now that upstream evicted them. */
  retained(o: { proxy: RunningProxy; token: string; manifestId?: string; fileNames: readonly string[] }): Promise<number>;
  restore(o: { dir: string; repos: string[]; out: string }): Promise<void>;
  /** Throws when IMAGE does not match the manifest in DIR. */
  verify(dir: string, image: string): Promise<void>;
}

export interface DemoStep {
  name: string;
  ms: number;
}

export interface DemoResult {
  workDir: string;
  packages: number;
  imageSha256: string;
  imageSize: number;
  storedBytes: number;
  ratio: number;
  buildsEvictedUpstream: number;
  imageBuildsEvictedUpstream: number;
  retainedByProxy: number;
  restoredSha256: string;
  restoredMatches: boolean;
  steps: DemoStep[];
}

/** A step of the demo failed: the message names the step, the cause says why. */
export class DemoStepError extends YumvaultError {
  readonly step: string;
  constructor(step: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('YV_DEMO_STEP', `step '${step}' failed: ${why}`, { cause });
    this.step = step;
  }
}

/** The edits a built image carries beyond its packages. */
function imageEdits(): ImageEdits {
  return {
    extraFiles: [
      { path: '/etc/hostname', contents: 'demo-image\n' },
      { path: '/etc/machine-id', contents: '5f1c2b9e0d8a4e6fb7a3c1d2e4f60718\n', mode: 0o444 },
      { path: '/var/log/build.log', contents: 'image built by the yumvault demo\n'.repeat(40) },
      { path: '/root/.bash_history', contents: 'dnf install demo-server\nvi /etc/demod.conf\n', mode: 0o600 },
      // Data no package provides stays in the residual whole: an application cache.
      { path: '/var/cache/demod/state.bin', contents: binaryBytes('demod runtime state', 96_000), mode: 0o640 },
    ],
    modified: [{ path: '/etc/demod.conf', contents: 'listen = 0.0.0.0:8080\nworkers = 4\n' }],
    removed: ['/usr/share/doc/demo-tools/NEWS'],
  };
}

export interface DemoOptions {
  /** Working directory (created); the caller removes it unless the user asked to keep it. */
  workDir: string;
  services: DemoServices;
  /** Called as each step ends (the CLI prints progress from it). */
  onStep?: (step: DemoStep) => void;
  token?: string;
  /** A step that takes longer fails the demo, naming the step (default 120 s: the whole cycle takes seconds). */
  stepTimeoutMs?: number;
  /** Runs after verification while the proxy still serves (tests point real dnf at the vault here). */
  beforeShutdown?: (ctx: { proxyUrl: string; upstreamUrl: string }) => Promise<void>;
}

export async function runDemoCycle(opts: DemoOptions): Promise<DemoResult> {
  const { workDir, services } = opts;
  const token = opts.token ?? createHash('sha256').update(`${process.pid}:${Date.now()}:${Math.random()}`).digest('hex').slice(0, 32);
  const steps: DemoStep[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const limit = opts.stepTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${limit / 1000} s`)), limit);
    });
    try {
      const out = await Promise.race([fn(), timeout]);
      const s = { name, ms: Math.round(performance.now() - t0) };
      steps.push(s);
      opts.onStep?.(s);
      return out;
    } catch (e) {
      throw e instanceof DemoStepError ? e : new DemoStepError(name, e);
    } finally {
      clearTimeout(timer);
    }
  };

  await mkdir(workDir, { recursive: true });
  const repoDir = join(workDir, 'upstream', DEMO_REPO);
  const imagePath = join(workDir, 'image.tar');
  const decomposedDir = join(workDir, 'decomposed');
  const restoredPath = join(workDir, 'restored.tar');
  const current = UPSTREAM_KEEP - 1; // the newest build upstream has when the image is built
  let upstream: StaticServer | undefined;
  let proxy: RunningProxy | undefined;
  try {
    const pool = await step(`generate ${DEMO_BUILDS.length} builds of each demo package`, () => generatePool());
    await step(`publish upstream repository (${UPSTREAM_KEEP} builds per package)`, async () => {
      await publish(repoDir, window(pool, 0, UPSTREAM_KEEP), services.writeRepodata);
      upstream = await startStaticServer(join(workDir, 'upstream'));
    });
    const upstreamUrl = `${upstream!.url}${DEMO_REPO}/`;
    proxy = await step('start the proxy', () =>
      services.startProxy({ dataDir: join(workDir, 'proxy-data'), upstreams: { [DEMO_REPO]: upstreamUrl }, token }),
    );
    const imageBuilds: PoolBuild[] = [...pool.values()].map((builds) => builds[current]!);
    const image = await step('build an image from the current builds', () =>
      buildImage(
        imagePath,
        imageBuilds.map((b) => ({ spec: b.spec, rpm: b.rpm.bytes })),
        imageEdits(),
      ),
    );
    const decomposed = await step('decompose the image through the proxy', () =>
      services.decompose({
        image: imagePath,
        repos: [`${proxy!.url}repos/${DEMO_REPO}/`],
        out: decomposedDir,
        register: { url: proxy!.url, token },
      }),
    );
    const evicted = await step('upstream publishes newer builds and evicts old ones', () =>
      publish(repoDir, window(pool, DEMO_BUILDS.length - UPSTREAM_KEEP, DEMO_BUILDS.length), services.writeRepodata),
    );
    const imageFiles = imageBuilds.map((b) => b.rpm.fileName);
    const goneUpstream = await step('check upstream no longer has the image builds', async () => {
      let gone = 0;
      for (const f of imageFiles) {
        const r = await fetch(`${upstreamUrl}Packages/${f}`, { method: 'HEAD' });
        if (r.status === 404) gone++;
      }
      if (gone !== imageFiles.length) throw new Error(`upstream still serves ${imageFiles.length - gone} of the image's builds`);
      return gone;
    });
    await step('run a monitor pass', () => services.monitor(proxy!, token));
    const retained = await step('count the image builds the proxy retained', () =>
      services.retained({ proxy: proxy!, token, manifestId: decomposed.manifestId, fileNames: imageFiles }),
    );
    await step('restore the image from the vault', () =>
      services.restore({ dir: decomposedDir, repos: [`${proxy!.url}vault/${DEMO_REPO}/`], out: restoredPath }),
    );
    const restoredSha256 = await step('verify the restored image', async () => {
      await services.verify(decomposedDir, restoredPath);
      const sha = (await hashFile(restoredPath)).digest;
      if (sha !== image.sha256) throw new Error(`restored sha256 ${sha} differs from the image's ${image.sha256}`);
      return sha;
    });
    await opts.beforeShutdown?.({ proxyUrl: proxy.url, upstreamUrl });
    const stored = decomposed.storedBytes || (await storedSize(decomposedDir));
    return {
      workDir,
      packages: imageBuilds.length,
      imageSha256: image.sha256,
      imageSize: image.size,
      storedBytes: stored,
      ratio: stored > 0 ? image.size / stored : 0,
      buildsEvictedUpstream: evicted.evicted.length,
      imageBuildsEvictedUpstream: goneUpstream,
      retainedByProxy: retained,
      restoredSha256,
      restoredMatches: restoredSha256 === image.sha256,
      steps,
    };
  } finally {
    await proxy?.close().catch(() => undefined);
    await upstream?.close().catch(() => undefined);
  }
}

async function storedSize(dir: string): Promise<number> {
  let n = 0;
  for (const f of ['manifest.json', 'residual.zst']) n += (await stat(join(dir, f))).size;
  return n;
}
