// What a long command leaves behind when it is interrupted. Temp files and directories in flight are
// registered here; a command that opts in (cleanupOnSignals: decompose, restore, verify, inspect, demo)
// turns SIGINT/SIGTERM into removing them and exiting 130/143 — an interrupted restore used to leave a
// half-written image of hundreds of MiB beside its target. `serve` handles its signals itself.

import { rmSync } from 'node:fs';

const inFlight = new Set<string>();

/** Removes `path` (file or directory) if the process is interrupted before the returned function is called. */
export function removeIfInterrupted(path: string): () => void {
  inFlight.add(path);
  return () => void inFlight.delete(path);
}

let installed = false;

export function cleanupOnSignals(write: (text: string) => void = (t) => void process.stderr.write(t)): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const path of inFlight) {
        try {
          rmSync(path, { recursive: true, force: true });
        } catch {
          // best effort: the process is on its way out
        }
      }
      write(`\nyumvault: interrupted (${signal})${inFlight.size > 0 ? '; its temporary files are removed' : ''}\n`);
      process.exit(code);
    });
  }
}
