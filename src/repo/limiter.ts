// A counting semaphore: at most `limit` holders at once, the rest wait in FIFO order.

import { ConfigError } from '../errors.ts';

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  // A plain field, not a parameter property: Node runs .ts by stripping types only.
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
    if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`options.concurrency must be a positive integer, got ${limit}`);
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
