// What each repository keeps (DESIGN.md "Retention"): the policy set and the skipMinor variation.
import { ConfigError } from '../errors.ts';
import type { RetainReason } from '../store/catalog.ts';
import type { Nevra } from '../rpm/types.ts';

export interface RetentionPolicy {
  /** Default: referenced + downloaded. `all` keeps every version ever listed. */
  keep: readonly RetainReason[];
  /** Do not retain a build superseded by a bug-fix update of the same upstream version. Default false. */
  skipMinor: boolean;
}

export const DEFAULT_POLICY: RetentionPolicy = Object.freeze({ keep: Object.freeze(['referenced', 'downloaded'] as RetainReason[]), skipMinor: false });

const REASONS: readonly RetainReason[] = ['referenced', 'downloaded', 'all'];

/** Checks a policy from configuration, with messages that name the bad value. */
export function parsePolicy(input: { keep?: unknown; skipMinor?: unknown } | undefined, where = 'retention'): RetentionPolicy {
  if (input === undefined) return DEFAULT_POLICY;
  let keep: RetainReason[] = [...DEFAULT_POLICY.keep];
  if (input.keep !== undefined) {
    const list = typeof input.keep === 'string' ? input.keep.split(/[,+\s]+/).filter(Boolean) : input.keep;
    if (!Array.isArray(list) || list.some((r) => !REASONS.includes(r as RetainReason))) {
      throw new ConfigError(`${where}.keep must be a list of ${REASONS.join(', ')}; got ${JSON.stringify(input.keep)}`);
    }
    keep = [...new Set(list as RetainReason[])];
  }
  if (input.skipMinor !== undefined && typeof input.skipMinor !== 'boolean') {
    throw new ConfigError(`${where}.skipMinor must be true or false; got ${JSON.stringify(input.skipMinor)}`);
  }
  return { keep, skipMinor: input.skipMinor === true };
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * Is `newer` only a bug-fix update of `older`? Same epoch and version with another release (a rebuild or a
 * distribution patch), or a semver-style patch bump (X.Y.Z → X.Y.Z' with Z' > Z). The caller has already
 * established that `newer` sorts after `older`.
 */
export function isMinorUpdate(older: Pick<Nevra, 'epoch' | 'version' | 'release'>, newer: Pick<Nevra, 'epoch' | 'version' | 'release'>): boolean {
  if (older.epoch !== newer.epoch) return false;
  if (older.version === newer.version) return older.release !== newer.release;
  const a = SEMVER.exec(older.version);
  const b = SEMVER.exec(newer.version);
  if (!a || !b) return false;
  return a[1] === b[1] && a[2] === b[2] && Number(b[3]) > Number(a[3]);
}
