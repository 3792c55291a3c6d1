// The digest of a file on disk, read into a few reused buffers: a stream's fresh 1 MiB chunk per read
// (160 MB of packages in the image benchmark) made the garbage collector run every few packages.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const buffers: Buffer[] = [];

/** Digest (hex, `algo`, sha256 by default) and size of the file at `path`; fs errors as they come. */
export async function hashFile(path: string, algo = 'sha256'): Promise<{ digest: string; size: number }> {
  const h = createHash(algo);
  let size = 0;
  const buf = buffers.pop() ?? Buffer.allocUnsafeSlow(1 << 20);
  try {
    const fh = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        h.update(buf.subarray(0, bytesRead));
        size += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } finally {
    if (buffers.length < 8) buffers.push(buf);
  }
  return { digest: h.digest('hex'), size };
}
