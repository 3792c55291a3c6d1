// Worker threads that extract builds for restore (restoreWorker.ts): a streaming restore has them extract
// builds into its spool (run), a restore in place has them write builds into the image (tryPlace) while
// the main thread plans, downloads and writes builds too. The entry is found next to this module: the .ts source
// (tests, `npx node src/cli/main.ts`) or the bundle's dist/restore-worker.js (.ci/build.mjs); when neither
// is there, restore extracts on its own thread (spool.ts).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as errors from '../errors.ts';
import type { RefNeed, SpoolJob, SpooledFile } from './spool.ts';

export interface WorkerJob {
  job: SpoolJob;
  rpmPath: string;
  needs: RefNeed[];
  /** Keep the files in memory (one buffer, transferred back) rather than in `spoolFile`. */
  inMemory: boolean;
  spoolFile: string;
}

/** A build to write in place (place.ts) into `outPath`, made at the image's full size beforehand. */
export interface PlaceJob {
  job: SpoolJob;
  rpmPath: string;
  needs: RefNeed[];
  outPath: string;
  /** The .rpm itself when it was downloaded into memory (then nothing is at rpmPath); transferred, not copied. */
  rpmBytes?: ArrayBuffer;
  /** The .rpm was not hashed yet (a repository's file read in place): it must hash to this before it is used. */
  expectSha256?: string;
  /**
   * With expectSha256: the build's main header digest (the manifest's headerSha256). A file whose header
   * hashes to it is used without hashing it whole (openPayloadFiles); the restore's caller then checks the
   * whole file if the image does not verify.
   */
  expectHeaderSha256?: string;
}

export type PlaceAnswer = { ok: true } | { ok: false; error: { name: string; code?: string; message: string } };

/** refKey, offset, size, where: 0 the spool file, 1 the answer's `buffer`, 2 its `whole` (the inflated payload). */
export type WorkerRef = [refKey: string, offset: number, size: number, where: 0 | 1 | 2];

export type WorkerAnswer =
  | { ok: true; refs: WorkerRef[]; logs: string[]; buffer?: ArrayBuffer; whole?: ArrayBuffer }
  | { ok: false; error: { name: string; code?: string; message: string } };

/** The worker's entry file, or undefined when this copy of the code has none beside it. */
export function restoreWorkerEntry(): URL | undefined {
  const here = import.meta.url;
  const candidates = here.endsWith('.ts') ? ['./restoreWorker.ts'] : ['./restore-worker.js', '../restore-worker.js'];
  for (const c of candidates) {
    const url = new URL(c, here);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** The typed error the worker threw (matched by class name; callers match on `code`). */
function revive(e: { name: string; code?: string; message: string }): Error {
  const cls = (errors as Record<string, unknown>)[e.name];
  if (typeof cls === 'function' && cls.prototype instanceof errors.YumvaultError && cls !== errors.YumvaultError) {
    return new (cls as new (message: string) => Error)(e.message);
  }
  if (e.code) return new errors.YumvaultError(e.code, e.message);
  return new Error(e.message);
}

export class SpoolWorkers {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly entry: URL;
  private readonly size: number;

  constructor(entry: URL, size: number) {
    this.entry = entry;
    this.size = Math.max(1, size);
  }

  /** Starts the threads now (they load their code while the caller reads the residual). */
  warm(count = this.size): void {
    while (this.all.length < Math.min(count, this.size)) {
      const w = new Worker(this.entry);
      this.all.push(w);
      this.idle.push(w);
    }
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.all.length < this.size) {
      const fresh = new Worker(this.entry);
      this.all.push(fresh);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  /** Sends one message to a free worker and waits for its answer; a worker that broke is replaced. */
  private async call<A extends { ok: boolean }>(msg: WorkerJob): Promise<A> {
    const w = await this.acquire();
    let broken = false;
    try {
      return await new Promise<A>((resolve, reject) => {
        const onMessage = (a: A) => {
          cleanup();
          resolve(a);
        };
        const onError = (e: Error) => {
          broken = true;
          cleanup();
          reject(e);
        };
        const onExit = (code: number) => onError(new Error(`a restore worker stopped (exit code ${code})`));
        const cleanup = () => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.postMessage(msg);
      });
    } finally {
      if (broken) {
        this.all.splice(this.all.indexOf(w), 1);
        void w.terminate();
      } else this.release(w);
    }
  }

  /** Extracts one build on a worker: refKey → spooled file; the worker's log lines go to `log`. */
  async run(job: WorkerJob, log: (line: string) => void): Promise<Map<string, SpooledFile>> {
    const answer = await this.call<WorkerAnswer>(job);
    if (!answer.ok) throw revive(answer.error);
    for (const l of answer.logs) log(l);
    const buffers = [undefined, answer.buffer, answer.whole];
    const out = new Map<string, SpooledFile>();
    for (const [key, offset, size, where] of answer.refs) {
      const b = buffers[where];
      out.set(key, b ? { file: '', offset: 0, size, data: Buffer.from(b, offset, size) } : { file: job.spoolFile, offset, size });
    }
    return out;
  }

  /** Place jobs sent to each started worker and not answered yet, oldest first (tryPlace). */
  private readonly placing = new Map<Worker, { resolve: () => void; reject: (e: Error) => void }[]>();

  /**
   * Sends a place job to the started worker with the fewest unanswered ones, if it has fewer than `depth`;
   * undefined when none has. A worker takes its jobs in order, so one sent while it still works on another
   * starts as soon as that one ends, without waiting for this thread to hear of it. (Not to be mixed with
   * run() on the same workers.)
   */
  tryPlace(job: PlaceJob, depth: number): Promise<void> | undefined {
    let best: Worker | undefined;
    for (const w of this.all) if (!best || this.inFlight(w) < this.inFlight(best)) best = w;
    if (!best || this.inFlight(best) >= depth) return undefined;
    const w = best;
    let queue = this.placing.get(w);
    if (!queue) {
      const q: { resolve: () => void; reject: (e: Error) => void }[] = [];
      this.placing.set(w, (queue = q));
      // A worker that stopped answers nothing more: its jobs fail, and it gets no others.
      const fail = (e: Error) => {
        const at = this.all.indexOf(w);
        if (at >= 0) this.all.splice(at, 1);
        for (const p of q.splice(0)) p.reject(e);
      };
      w.on('message', (a: PlaceAnswer) => {
        const p = q.shift();
        if (a.ok) p?.resolve();
        else p?.reject(revive(a.error));
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`a restore worker stopped (exit code ${code})`)));
    }
    const answered = new Promise<void>((resolve, reject) => queue.push({ resolve, reject }));
    w.postMessage(job, job.rpmBytes ? [job.rpmBytes] : []);
    return answered;
  }

  private inFlight(w: Worker): number {
    return this.placing.get(w)?.length ?? 0;
  }

  /** Worker threads started so far. */
  get started(): number {
    return this.all.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
