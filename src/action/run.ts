import * as core from '@actions/core';
import { isYumvaultError } from '../errors.ts';

/** The one place that turns a failure into the step's error annotation and exit status. */
export async function run(impl: () => Promise<void>): Promise<void> {
  try {
    await impl();
  } catch (e) {
    core.setFailed(isYumvaultError(e) ? `${e.message} [${e.code}]` : ((e as Error)?.message ?? String(e)));
  }
}
