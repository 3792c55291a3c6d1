import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export type HashingTap = Transform & { sha256(): string; size(): number };

/** A pass-through that hashes (sha256) and counts the bytes flowing through it. */
export function hashingTap(): HashingTap {
  const h = createHash('sha256');
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    },
  }) as HashingTap;
  let digest: string | undefined;
  t.sha256 = () => (digest ??= h.digest('hex'));
  t.size = () => n;
  return t;
}
