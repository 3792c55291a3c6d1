// Which thread writes which build in a restore in place: the worker threads, and the main thread too. On a
// machine of few cores a thread costs what it saves (a worker thread takes tens of milliseconds of CPU to
// start), and once the residual is scanned the main thread has little else to do than wait: it takes a
// build whenever it is free. Builds go out in the order they are ready (the order the image needs them).

import type { PlaceJob } from './spoolWorkers.ts';

/** What the dispatch needs of the workers (SpoolWorkers.tryPlace). */
export interface PlaceWorkers {
  tryPlace(job: PlaceJob, depth: number): Promise<void> | undefined;
}

/**
 * Returns `place(job)`: resolves once the build is written. A job goes to the least busy worker while one
 * holds fewer than DEPTH, else to the main thread (`onMain`) when it is free, else waits. Workers are kept
 * fed first: while the main thread writes a build of its own, it cannot hand out the next one, so each
 * worker has its next jobs already (measured: with one job at a time, the worker idled 10–20% of the time).
 */
export function placeDispatch(workers: PlaceWorkers, onMain: (job: PlaceJob) => Promise<void>): (job: PlaceJob) => Promise<void> {
  const queue: { job: PlaceJob; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let mainFree = true;
  const pump = () => {
    while (queue.length > 0) {
      const item = queue[0]!;
      const sent = workers.tryPlace(item.job, DEPTH);
      if (sent) {
        queue.shift();
        sent.then(item.resolve, item.reject).finally(pump);
      } else if (mainFree) {
        queue.shift();
        mainFree = false;
        // On a later turn: the answers of workers that are done get heard first, and they get their next jobs.
        setImmediate(() => {
          onMain(item.job)
            .then(item.resolve, item.reject)
            .finally(() => {
              mainFree = true;
              pump();
            });
        });
      } else return;
    }
  };
  return (job) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      pump();
    });
}

/** Jobs a worker holds at most (the one it works on and those it takes next). */
export const DEPTH = 4;
