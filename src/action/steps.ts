import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decomposeImage } from '../image/decompose.ts';
import { restoreImage } from '../image/restore.ts';
import { DirCache } from './cache.ts';
import { Outputs, State } from './constants.ts';
import type { ActionSettings } from './inputs.ts';
import { rows, writeJobSummary } from './summary.ts';
import { withVaultFallbacks } from './vaultRepos.ts';

async function storedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of ['manifest.json', 'residual.zst']) {
    try {
      total += (await stat(join(dir, f))).size;
    } catch {
      // Counted as 0: the caller fails on a missing manifest before this matters.
    }
  }
  return total;
}

/** Decompose `image` into `dir`, register with the proxy, save `dir` in the cache. Shared by `decompose` and auto's post step. */
export async function decomposeStep(s: ActionSettings, cache: DirCache): Promise<void> {
  const summary = await core.group(`Decompose ${s.image}`, () =>
    decomposeImage({
      image: s.image,
      repos: s.repos,
      outDir: s.dir,
      register: s.proxy ? { proxyUrl: s.proxy, token: s.token } : undefined,
      log: (line) => core.info(line),
    }),
  );
  const key = DirCache.keyFor(s.name, summary.image.sha256);
  const saved = await core.group('Save to the cache', () => cache.save(s.dir, key));
  core.setOutput(Outputs.Sha256, summary.image.sha256);
  core.setOutput(Outputs.ImageBytes, String(summary.image.size));
  core.setOutput(Outputs.StoredBytes, String(summary.storedBytes));
  core.setOutput(Outputs.Packages, String(summary.packages));
  core.setOutput(Outputs.Dir, s.dir);
  core.setOutput(Outputs.CacheKey, saved ? key : '');
  for (const nevra of summary.packagesMissing) {
    core.warning(`${nevra}: no repository has this exact build; its files are stored in the residual`);
  }
  await writeJobSummary(
    `yumvault decompose: ${s.name}`,
    [
      rows.text('Image', `${s.image} (${summary.image.compression})`),
      rows.text('sha256', summary.image.sha256),
      rows.bytes('Image size', summary.image.size),
      rows.text('Packages found', `${summary.packagesFound} of ${summary.packages}`),
      rows.text('Files referenced', summary.filesReferenced),
      rows.bytes('Bytes referenced', summary.bytesReferenced),
      rows.bytes('Stored (manifest + residual)', summary.storedBytes),
      rows.text('Stored / image', summary.ratio.toFixed(4)),
      rows.text('Registered with proxy', s.proxy ? (summary.manifestId ? `yes (${summary.manifestId})` : 'no') : 'no proxy given'),
      rows.text('Cache key', saved ? key : 'not saved'),
    ],
    [{ heading: 'Packages not found (kept in the residual)', items: summary.packagesMissing }],
  );
}

/**
 * Restore `dir` from the cache when it is not here, then the image. Answers whether the image was
 * restored; `required` makes a missing decomposition an error (command: restore) rather than a miss (auto).
 */
export async function restoreStep(s: ActionSettings, cache: DirCache, required: boolean): Promise<boolean> {
  let key: string | undefined;
  if (!existsSync(join(s.dir, 'manifest.json'))) {
    key = await core.group('Restore from the cache', () => cache.restore(s.dir, s.name));
  }
  core.setOutput(Outputs.CacheKey, key ?? '');
  core.setOutput(Outputs.Dir, s.dir);
  if (!existsSync(join(s.dir, 'manifest.json'))) {
    if (required) {
      throw new Error(`no decomposition of '${s.name}' in ${s.dir} or in the cache: run this action with command: decompose first`);
    }
    core.info(`No decomposition of '${s.name}' in ${s.dir} or in the cache.`);
    core.setOutput(Outputs.CacheHit, 'false');
    return false;
  }
  const summary = await core.group(`Restore ${s.image}`, () =>
    restoreImage({
      dir: s.dir,
      repos: withVaultFallbacks(s.repos, s.proxy),
      out: s.image,
      upgrades: s.upgrades,
      substitute: s.substitute,
      allowVulnerable: s.allowVulnerable,
      proxyUrl: s.proxy,
      log: (line) => core.info(line),
    }),
  );
  const stored = await storedBytes(s.dir);
  core.setOutput(Outputs.Sha256, summary.sha256);
  core.setOutput(Outputs.ImageBytes, String(summary.size));
  core.setOutput(Outputs.StoredBytes, String(stored));
  core.setOutput(Outputs.Packages, String(summary.packages));
  core.setOutput(Outputs.CacheHit, 'true');
  for (const a of summary.advisories) core.warning(`restored a build superseded by a security advisory: ${a}`);
  await writeJobSummary(
    `yumvault restore: ${s.name}`,
    [
      rows.text('Image', s.image),
      rows.text('sha256', summary.sha256),
      rows.bytes('Image size', summary.size),
      rows.text('Verified', summary.verified === 'exact' ? 'bit for bit (sha256 of the original)' : 'per file (upgraded packages)'),
      rows.text('Packages', summary.packages),
      rows.bytes('Restored from (manifest + residual)', stored),
      rows.text('Cache key', key ?? (existsSync(join(s.dir, 'manifest.json')) ? 'already in dir' : 'none')),
    ],
    [
      { heading: 'Substituted builds', items: summary.substitutions },
      { heading: 'Upgraded builds', items: summary.upgrades },
      { heading: 'Security advisories', items: summary.advisories },
    ],
  );
  return true;
}

/** `command: auto`, main step: restore when possible; otherwise leave the decomposition to the post step. */
export async function autoMainStep(s: ActionSettings, cache: DirCache): Promise<void> {
  const restored = await restoreStep(s, cache, false);
  if (!restored) {
    core.saveState(State.DecomposeInPost, 'true');
    core.info(`The image will be decomposed from ${s.image} after the job's steps succeed.`);
  }
}
