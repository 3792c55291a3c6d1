import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/util/args.ts';
import { UsageError } from '../src/errors.ts';

describe('parseArgs', () => {
  it('reads options, repeatable options and flags', () => {
    const a = parseArgs(['x', '--repo', 'a', '--repo=b', '--json'], { flags: ['json'], repeatable: ['repo'], positionals: [1, 1] }, 't');
    expect(a.positionals).toEqual(['x']);
    expect(a.options.get('repo')).toEqual(['a', 'b']);
    expect(a.flags.has('json')).toBe(true);
  });
  it('rejects unknown options with a usage error', () => {
    expect(() => parseArgs(['--nope'], {}, 't')).toThrow(UsageError);
  });
  it('runs on Node 24', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });
});
