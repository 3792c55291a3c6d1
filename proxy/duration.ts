// Durations in configuration are written as people write them ('30s', '5m', '1h', '250ms', '2d'); they are
// parsed here once, into milliseconds, and nowhere else.
import { ConfigError } from '../src/errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '30s' → 30000. A bare number is seconds. `where` names the setting in the error message. */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
  if (typeof value !== 'string') throw new ConfigError(`${where} must be a duration like '30s' or '5m'; got ${JSON.stringify(value)}`);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) throw new ConfigError(`${where} must be a duration like '30s' or '5m'; got ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
}
