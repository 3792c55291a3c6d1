// Owned by the bench helper (B): the "ideal" of issue 4's image benchmark, computed without yumvault.
// Ideal = zstd -19 of a GNU tar of only the files no package provides byte-identical. "Provides" is
// decided from rpm's own view: every file digest + size the repository's packages carry in their headers
// (`rpm -qp --qf '[%{FILEDIGESTS} %{FILESIZES}\n]'`, sha256 since the packages use digest algo 8), matched
// against the sha256 of each regular file in the installed root. Independent of src/image, so it cannot
// share a bug with the code it measures.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** "sha256hex:size" of every regular file any of these packages carries. */
export function providedDigests(rpms: readonly string[]): Set<string> {
  const out = execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', '[%{FILEDIGESTS} %{FILESIZES}\\n]', ...rpms], {
    maxBuffer: 1 << 28,
  }).toString();
  const set = new Set<string>();
  for (const line of out.split('\n')) {
    const [digest, size] = line.split(' ');
    if (digest && digest.length === 64) set.add(`${digest}:${size}`);
  }
  return set;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface IdealResult {
  /** Regular files in the root / those not provided by any package. */
  files: number;
  unprovidedFiles: number;
  unprovidedBytes: number;
  /** zstd -LEVEL -T0 of a GNU tar holding only the unprovided files (with their tar headers). */
  idealBytes: number;
}

/** Walks `root`, lists each regular file (first link of a hardlink set) whose content no package provides. */
export async function computeIdeal(root: string, rpms: readonly string[], level: number, listFile: string): Promise<IdealResult> {
  const provided = providedDigests(rpms);
  const seenInodes = new Set<string>();
  const unprovided: string[] = [];
  let files = 0;
  let unprovidedBytes = 0;
  const walk = async (rel: string): Promise<void> => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, r));
      if (st.isDirectory()) await walk(r);
      else if (st.isFile()) {
        const inode = `${st.dev}:${st.ino}`;
        if (seenInodes.has(inode)) continue;
        seenInodes.add(inode);
        files++;
        const key = `${await sha256File(join(root, r))}:${st.size}`;
        if (!provided.has(key)) {
          unprovided.push(`./${r}`);
          unprovidedBytes += st.size;
        }
      }
    }
  };
  await walk('');
  writeFileSync(listFile, unprovided.map((p) => `${p}\0`).join(''));
  const r = spawnSync('bash', ['-c', `tar --format=gnu --no-recursion --null -C '${root}' -cf - -T '${listFile}' | zstd -${level} -T0 -q -c | wc -c`], {
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`ideal tar | zstd failed: ${r.stderr.toString()}`);
  return { files, unprovidedFiles: unprovided.length, unprovidedBytes, idealBytes: Number(r.stdout.toString().trim()) };
}
