import { humanBytes } from './format.ts';

/**
 * A progress bar for long work: drawn on stderr when it is a terminal, silent otherwise (CI logs, pipes,
 * --json). Redraws at most 10 times a second so it never costs real time.
 */
export interface Progress {
  /** Start (or restart) a phase with a total in `unit`s; total 0 means unknown. */
  start(label: string, total: number, unit?: 'bytes' | 'items'): void;
  update(done: number): void;
  /** A one-line message that stays on screen (printed above the bar on a terminal, dropped otherwise). */
  note(message: string): void;
  done(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, note() {}, done() {} };

function human(n: number, unit: 'bytes' | 'items'): string {
  return unit === 'items' ? String(n) : humanBytes(n);
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  let label = '';
  let total = 0;
  let unit: 'bytes' | 'items' = 'items';
  let last = 0;
  let current = 0;
  let active = false;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    let line: string;
    if (total > 0) {
      const frac = Math.min(1, current / total);
      const filled = Math.round(frac * width);
      line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${human(current, unit)}/${human(total, unit)}`;
    } else {
      line = `${label} ${human(current, unit)}`;
    }
    stream.write(`\r\x1b[2K${line}`);
    active = true;
  };
  const clear = () => {
    if (active) stream.write('\r\x1b[2K');
    active = false;
  };
  return {
    start(l, t, u = 'items') {
      clear();
      label = l;
      total = t;
      unit = u;
      current = 0;
      draw(true);
    },
    update(d) {
      current = d;
      draw(false);
    },
    note(message) {
      clear();
      stream.write(`${message}\n`);
      if (label) draw(true);
    },
    done() {
      clear();
      label = '';
    },
  };
}
