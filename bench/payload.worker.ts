// Worker for bench/payload.ts: walks the payloads it is sent (decompress + cpio + hash every file).
import { parentPort } from 'node:worker_threads';
import { verifyPayloadDigests } from '../src/rpm/payload.ts';

parentPort!.on('message', async (path: string) => {
  const r = await verifyPayloadDigests(path);
  parentPort!.postMessage({ path, mismatches: r.mismatches.length });
});
