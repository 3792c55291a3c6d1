import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { CACHE_KEY_PREFIX } from './constants.ts';

/**
 * The cache is an optimisation: when the service is missing or fails, we warn and go on (actions/cache's
 * failure policy), except for input errors, which the caller must see.
 */
export class DirCache {
  private warned = false;

  constructor(private readonly enabled: boolean) {}

  /** Key for one decomposition: a later run knows only the name, so restore matches by the name prefix. */
  static keyFor(name: string, imageSha256: string): string {
    return `${CACHE_KEY_PREFIX}${name}-${imageSha256}`;
  }

  static prefixFor(name: string): string {
    return `${CACHE_KEY_PREFIX}${name}-`;
  }

  private available(): boolean {
    if (!this.enabled) return false;
    if (cache.isFeatureAvailable()) return true;
    if (!this.warned) {
      core.warning('The GitHub cache service is not available here (no ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL); going on without the cache.');
      this.warned = true;
    }
    return false;
  }

  /** Restores `dir` from the newest cache entry for `name`; answers the key that matched. */
  async restore(dir: string, name: string): Promise<string | undefined> {
    if (!this.available()) return undefined;
    const prefix = DirCache.prefixFor(name);
    try {
      return await cache.restoreCache([dir], prefix, [prefix]);
    } catch (e) {
      if (e instanceof cache.ValidationError) throw e;
      core.warning(`Cache restore failed, going on without it: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Saves `dir` under `key`; an entry that already exists (same image decomposed again) is fine. */
  async save(dir: string, key: string): Promise<boolean> {
    if (!this.available()) return false;
    try {
      const id = await cache.saveCache([dir], key);
      return id !== -1;
    } catch (e) {
      if (e instanceof cache.ValidationError) throw e;
      if (e instanceof cache.ReserveCacheError) {
        core.info(`Cache entry ${key} exists already: ${(e as Error).message}`);
        return true;
      }
      core.warning(`Cache save failed, going on without it: ${(e as Error).message}`);
      return false;
    }
  }
}
