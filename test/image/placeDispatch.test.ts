// Who writes which build in a restore in place: workers kept fed up to DEPTH jobs each, the main thread
// taking one whenever it is free and the workers are full, a failure reported to the build that failed only.

import { describe, expect, it } from 'vitest';
import { DEPTH, placeDispatch, type PlaceWorkers } from '../../src/image/placeDispatch.ts';
import type { PlaceJob } from '../../src/image/spoolWorkers.ts';

/** Workers that finish their jobs in order, one every `ms` milliseconds each; job "bad" fails. */
function fakeWorkers(count: number, ms: number) {
  const held: PlaceJob[][] = Array.from({ length: count }, () => []);
  const log: string[] = [];
  let most = 0;
  const workers: PlaceWorkers = {
    tryPlace(job, depth) {
      const w = held.reduce((best, q, i) => (q.length < held[best]!.length ? i : best), 0);
      if (held[w]!.length >= depth) return undefined;
      held[w]!.push(job);
      most = Math.max(most, held[w]!.length);
      const ahead = held[w]!.length;
      return new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          held[w]!.shift();
          log.push(`w${w} ${job.rpmPath}`);
          if (job.rpmPath === 'bad') reject(new Error('bad build'));
          else resolve();
        }, ms * ahead),
      );
    },
  };
  return { workers, log, most: () => most };
}

const job = (name: string): PlaceJob => ({ job: { index: 0, choice: 'exact', nevra: { name, epoch: 0, version: '1', release: '1', arch: 'noarch' } }, rpmPath: name, needs: [], outPath: '/dev/null' });

describe('placeDispatch', () => {
  it('fills each worker up to DEPTH first, gives the main thread one build at a time, places every build once', async () => {
    const { workers, log, most } = fakeWorkers(2, 5);
    let mainBusy = false;
    const onMain = async (j: PlaceJob) => {
      expect(mainBusy).toBe(false);
      mainBusy = true;
      await new Promise((r) => setTimeout(r, 7));
      log.push(`main ${j.rpmPath}`);
      mainBusy = false;
    };
    const place = placeDispatch(workers, onMain);
    const names = Array.from({ length: 40 }, (_, i) => `b${i}`);
    await Promise.all(names.map((n) => place(job(n))));
    expect(log).toHaveLength(40);
    expect(new Set(log.map((l) => l.split(' ')[1]))).toEqual(new Set(names));
    expect(most()).toBe(DEPTH);
    // The first 2 × DEPTH builds go to the workers; the main thread takes some of the rest.
    const byMain = log.filter((l) => l.startsWith('main')).map((l) => Number(l.slice(6)));
    expect(byMain.length).toBeGreaterThan(0);
    expect(Math.min(...byMain)).toBeGreaterThanOrEqual(2 * DEPTH);
  });

  it('a build that fails rejects its own promise; the others are still placed', async () => {
    const { workers, log } = fakeWorkers(1, 2);
    const place = placeDispatch(workers, async (j) => {
      if (j.rpmPath === 'bad-main') throw new Error('bad on main');
      log.push(`main ${j.rpmPath}`);
    });
    const results = await Promise.allSettled(['a', 'bad', 'c', 'd', 'e', 'bad-main', 'g', 'h', 'i'].map((n) => place(job(n))));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${i} ${(r.reason as Error).message}`] : []));
    expect(failed).toContain('1 bad build');
    // 'bad-main' fails only if the main thread got it: either way no other build fails.
    expect(failed.filter((f) => !f.startsWith('1 ') && !f.startsWith('5 '))).toEqual([]);
    expect(log.filter((l) => !l.includes('bad'))).toHaveLength(7);
  });
});

describe('SpoolWorkers.tryPlace', () => {
  it('a worker that stops fails the jobs it held and gets no others: the main thread places the rest', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { pathToFileURL } = await import('node:url');
    const { SpoolWorkers } = await import('../../src/image/spoolWorkers.ts');
    const dir = mkdtempSync(join(tmpdir(), 'yv-dispatch-'));
    try {
      // Answers its first job, then dies on the second (as a thread whose native code crashed would).
      const entry = join(dir, 'dies.mjs');
      writeFileSync(entry, `import { parentPort } from 'node:worker_threads';\nlet n = 0;\nparentPort.on('message', () => { if (++n === 2) process.exit(3); parentPort.postMessage({ ok: true }); });\n`);
      const workers = new SpoolWorkers(pathToFileURL(entry), 1);
      workers.warm(1);
      const byMain: string[] = [];
      const place = placeDispatch(workers, async (j) => {
        await new Promise((r) => setTimeout(r, 20));
        byMain.push(j.rpmPath);
      });
      const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => place(job(n))));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      expect(results[0]!.status).toBe('fulfilled');
      expect(failed.length).toBeGreaterThan(0);
      for (const i of failed) expect(String((results[i] as PromiseRejectedResult).reason)).toMatch(/a restore worker stopped \(exit code 3\)/);
      // Nothing hangs; what the dead worker did not hold, the main thread placed.
      expect(byMain.length + failed.length + 1).toBe(8);
      expect(workers.started).toBe(0);
      expect(workers.tryPlace(job('z'), 4)).toBeUndefined();
      await workers.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MemoryBudget', () => {
  it('lets claims through while they fit, the next in line once enough is given back, and one too large alone', async () => {
    const { MemoryBudget } = await import('../../src/image/builds.ts');
    const budget = new MemoryBudget(100);
    const order: string[] = [];
    const a = await budget.claim(60);
    const b = await budget.claim(40);
    const c = budget.claim(50).then((r) => (order.push('c'), r));
    const d = budget.claim(10).then((r) => (order.push('d'), r)); // fits, but waits its turn behind c
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    a();
    a(); // giving back twice gives back once
    const [rc, rd] = await Promise.all([c, d]);
    expect(order).toEqual(['c', 'd']);
    const e = budget.claim(500).then((r) => (order.push('e'), r)); // over the limit: only when nothing is held
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['c', 'd']);
    b();
    rc();
    rd();
    (await e)();
    expect(order).toEqual(['c', 'd', 'e']);
    (await budget.claim(100))();
  });
});
