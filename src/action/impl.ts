import * as core from '@actions/core';
import { DirCache } from './cache.ts';
import { State } from './constants.ts';
import { readSettings } from './inputs.ts';
import { autoMainStep, decomposeStep, restoreStep } from './steps.ts';

/** The main step: decompose, restore, or (auto) restore-or-defer to the post step. */
export async function mainImpl(): Promise<void> {
  const s = readSettings();
  const cache = new DirCache(s.cache);
  if (s.command === 'decompose') await decomposeStep(s, cache);
  else if (s.command === 'restore') await restoreStep(s, cache, true);
  else await autoMainStep(s, cache);
}

/** The post step (post-if: success()): only `command: auto` after a miss has work here. */
export async function postImpl(): Promise<void> {
  if (core.getState(State.DecomposeInPost) !== 'true') return;
  const s = readSettings();
  await decomposeStep(s, new DirCache(s.cache));
}
