// The demo's story with stand-in services (a copying "decompose", a proxy that keeps what it saw):
// checks the orchestration, the numbers in the table and the failing-step report, whatever the state of
// the real pieces. The real cycle runs in demo.test.ts.
import { copyFile, mkdir, writeFile, readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemoCycle, DemoStepError, type DemoServices } from '../../src/demo/cycle.ts';
import { demoTable, demoJson } from '../../src/demo/report.ts';
import { startStaticServer } from '../../src/demo/staticServer.ts';
import type { RepodataWriter } from '../../src/demo/upstreamRepo.ts';
import { run } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-cycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const createrepo: RepodataWriter = async (repoDir, packages) => {
  const list = join(repoDir, '..', 'pkglist');
  writeFileSync(list, packages.map((p) => `${p.relativePath}\n`).join(''));
  const r = run('createrepo_c', ['-q', '--pkglist', list, repoDir]);
  if (r.status !== 0) throw new Error(r.stderr);
};

function fakeServices(overrides: Partial<DemoServices> = {}): DemoServices & { held: Set<string> } {
  const held = new Set<string>();
  let upstreamUrl = '';
  return {
    held,
    writeRepodata: createrepo,
    async startProxy(o) {
      upstreamUrl = o.upstreams.demo!;
      const s = await startStaticServer(o.dataDir);
      return { url: s.url, close: () => s.close() };
    },
    async decompose(o) {
      await mkdir(o.out, { recursive: true });
      await copyFile(o.image, join(o.out, 'residual.zst'));
      // The upstream is being served while the image is decomposed.
      const r = await fetch(`${upstreamUrl}repodata/repomd.xml`);
      expect(r.status).toBe(200);
      await writeFile(join(o.out, 'manifest.json'), '{}');
      return { packages: 5, packagesFound: 5, storedBytes: 1000 };
    },
    async monitor() {},
    async retained(o) {
      o.fileNames.forEach((f) => held.add(f));
      return o.fileNames.length;
    },
    async restore(o) {
      await copyFile(join(o.dir, 'residual.zst'), o.out);
    },
    async verify(d, image) {
      expect(Buffer.compare(await readFile(join(d, 'residual.zst')), await readFile(image))).toBe(0);
    },
    ...overrides,
  };
}

describe('runDemoCycle', () => {
  it('runs every step in order and reports the numbers', async () => {
    const steps: string[] = [];
    const services = fakeServices();
    const r = await runDemoCycle({ workDir: join(dir, 'ok'), services, onStep: (s) => steps.push(s.name) });
    expect(steps).toHaveLength(11);
    expect(steps[0]).toMatch(/^generate/);
    expect(steps.at(-1)).toBe('verify the restored image');
    expect(r.packages).toBe(5);
    expect(r.buildsEvictedUpstream).toBe(15);
    expect(r.imageBuildsEvictedUpstream).toBe(5);
    expect(r.retainedByProxy).toBe(5);
    expect(r.restoredMatches).toBe(true);
    expect(r.restoredSha256).toBe(r.imageSha256);
    expect(r.ratio).toBeCloseTo(r.imageSize / 1000, 5);
    expect([...services.held].sort()).toEqual([
      'demo-data-1.1-1.x86_64.rpm',
      'demo-libs-1.1-1.x86_64.rpm',
      'demo-server-1.1-1.x86_64.rpm',
      'demo-shell-1.1-1.x86_64.rpm',
      'demo-tools-1.1-1.x86_64.rpm',
    ]);
    const table = demoTable(r);
    expect(table).toMatch(/restored sha256 matches\s+yes/);
    expect(table).toMatch(/builds evicted upstream\s+15 \(5 of them in the image\)/);
    expect(demoJson(r)).toMatchObject({ packages: 5, restored: { matches: true }, retainedByProxy: 5 });
  });

  it('names the step that failed, and closes its servers', async () => {
    const err = await runDemoCycle({
      workDir: join(dir, 'bad'),
      services: fakeServices({
        async restore() {
          throw new Error('build demo-libs-1.1-1.x86_64 is not in the vault');
        },
      }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DemoStepError);
    expect((err as DemoStepError).step).toBe('restore the image from the vault');
    expect((err as Error).message).toBe("step 'restore the image from the vault' failed: build demo-libs-1.1-1.x86_64 is not in the vault");
  });

  it('fails a step that hangs, naming it', async () => {
    const err = await runDemoCycle({
      workDir: join(dir, 'hang'),
      stepTimeoutMs: 5000, // longer than any real step of the stand-in cycle takes on a loaded machine
      services: fakeServices({ monitor: () => new Promise<void>(() => {}) }),
    }).catch((e: unknown) => e);
    expect((err as DemoStepError).step).toBe('run a monitor pass');
    expect((err as Error).message).toBe("step 'run a monitor pass' failed: no result after 5 s");
  });

  it('fails verification when the restored bytes differ', async () => {
    const err = await runDemoCycle({
      workDir: join(dir, 'differ'),
      services: fakeServices({
        async restore(o) {
          await writeFile(o.out, 'not the image');
        },
        async verify() {},
      }),
    }).catch((e: unknown) => e);
    expect((err as DemoStepError).step).toBe('verify the restored image');
    expect((err as Error).message).toMatch(/restored sha256 [0-9a-f]{64} differs/);
  });
});
