// openPayloadFiles (restore's payload reader) on real rpmbuild packages: every compression, streamed and
// inflated whole (worker mode), including an uncompressed w0.ufdio payload, whose header names a
// compressor its bytes do not use. Bodies must hash to the header digests rpm wrote.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openPayloadFiles } from '../../src/image/payloadFiles.ts';
import { buildRpm } from '../fixtures-gen/rpmbuild.ts';
import type { PayloadCompression } from '../fixtures-gen/rpmSpec.ts';

const files = [
  { path: '/usr/share/pf/a.txt', content: 'alpha\n'.repeat(5000) },
  { path: '/usr/share/pf/b.bin', content: new Uint8Array(70_000).map((_, i) => (i * 7919) & 0xff) },
  { path: '/usr/share/pf/empty' },
];

async function collect(rpm: string, whole: boolean): Promise<Map<string, string>> {
  const p = await openPayloadFiles(rpm, { whole });
  const got = new Map<string, string>();
  for await (const e of p.payload) {
    const h = createHash('sha256');
    for await (const c of e.body) h.update(c);
    got.set(p.files[e.fileIndex]!.path, h.digest('hex'));
  }
  p.close();
  return got;
}

describe('restore payload reader', () => {
  for (const compression of ['none', 'gzip', 'zstd', 'xz'] as PayloadCompression[]) {
    it(`${compression}: streamed and whole give the header's digests`, async () => {
      const rpm = await buildRpm({ name: `pf-${compression}`, compression, digestAlgo: 'sha256', files });
      if (compression === 'none') {
        // rpm writes a bare cpio archive but may still name a compressor in the header
        expect(execFileSync('rpm', ['-qp', '--qf', '%{PAYLOADCOMPRESSOR}', rpm]).toString()).not.toBe('');
      }
      const p = await openPayloadFiles(rpm);
      const want = new Map(p.files.filter((f) => f.digest).map((f) => [f.path, f.digest]));
      p.close();
      expect(want.size).toBe(3);
      for (const whole of [false, true]) {
        const got = await collect(rpm, whole);
        for (const [path, digest] of want) {
          if (path.endsWith('empty')) continue; // no data: nothing to hash
          expect(got.get(path), `${path} whole=${whole}`).toBe(digest);
        }
      }
    });
  }
});
