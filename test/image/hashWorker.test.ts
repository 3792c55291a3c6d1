// The image hash on a worker thread gives what an in-thread sha256 gives, whatever the chunking, and
// holds the caller back when it runs ahead.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStreamHasher } from '../../src/image/hashWorker.ts';
import { pseudoRandom } from '../fixtures-gen/imageGen.ts';

describe('stream hasher', () => {
  it('matches sha256 on a worker thread, small and large chunks, reused buffers', async () => {
    const data = pseudoRandom(9, 12 << 20);
    const h = createStreamHasher(data.length, 0);
    const reused = Buffer.alloc(3 << 20);
    let waits = 0;
    for (let off = 0; off < data.length; ) {
      const n = Math.min(off % 2 === 0 ? 1000 : 3 << 20, data.length - off);
      data.copy(reused, 0, off, off + n);
      const p = h.update(reused.subarray(0, n));
      if (p) {
        waits++;
        await p;
      }
      reused.fill(0);
      off += n;
    }
    expect(await h.digest()).toBe(createHash('sha256').update(data).digest('hex'));
    expect(waits).toBeGreaterThanOrEqual(0);
    const small = createStreamHasher(10);
    small.update(Buffer.from('abc'));
    expect(await small.digest()).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});
