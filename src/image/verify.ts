// verify DIR IMAGE: does IMAGE (a tar, compressed or not, or a directory) hash to the manifest's image?

import { ManifestError } from '../errors.ts';
import { prepareImage } from './imageInput.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { hashFile } from '../util/hashFile.ts';
import type { Progress } from '../util/progress.ts';

export async function verifyImage(dir: string, image: string, opts: { progress?: Progress; log?: (line: string) => void } = {}): Promise<{ ok: boolean; reason?: string; sha256: string; size: number }> {
  const manifest: Manifest = await readManifest(dir);
  const prepared = await prepareImage(image, opts);
  try {
    const { digest, size } = await hashFile(prepared.tarPath);
    if (digest === manifest.image.sha256 && size === manifest.image.size) return { ok: true, sha256: digest, size };
    return { ok: false, reason: `${image} has sha256 ${digest} (${size} bytes); the manifest in ${dir} says ${manifest.image.sha256} (${manifest.image.size} bytes)`, sha256: digest, size };
  } finally {
    await prepared.cleanup();
  }
}

export { readManifest, ManifestError };
