// rpmvercmp against the real rpm: several hundred pairs (the awkward cases rpm's own test suite
// names, plus every pair from a pool of odd version strings) compared in ONE rpm run, through its lua
// interpreter's rpm.vercmp.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNevra, nevraKey, parseNevra } from '../../src/rpm/nevra.ts';
import { compareEvr, formatEvr, parseEvr, rpmvercmp } from '../../src/rpm/vercmp.ts';

const AWKWARD: [string, string][] = [
  ['1.0', '1.0'], ['1.0', '2.0'], ['2.0.1', '2.0.1a'], ['5.5p1', '5.5p2'], ['5.5p10', '5.5p1'], ['10xyz', '10.1xyz'],
  ['xyz10', 'xyz10.1'], ['xyz.4', '8'], ['xyz.4', '2'], ['5.5p2', '5.6p1'], ['5.6p1', '6.5p1'], ['6.0.rc1', '6.0'],
  ['10b2', '10a1'], ['1.0aa', '1.0a'], ['10.0001', '10.0039'], ['4.999.9', '5.0'], ['20101121', '20101122'],
  ['2_0', '2_0'], ['2.0', '2_0'], ['a', 'a'], ['a+', 'a+'], ['a+', 'a_'], ['+a', '+a'], ['+a', '_a'], ['+_', '_+'],
  ['+', '_'], ['_', '+'], ['', ''], ['', '1'], ['1', ''], ['~', ''], ['^', ''],
  ['1.0~rc1', '1.0'], ['1.0~rc1', '1.0~rc1'], ['1.0~rc1', '1.0~rc2'], ['1.0~rc1~git123', '1.0~rc1'], ['1.0', '1.0~'],
  ['1.0^', '1.0'], ['1.0^git1', '1.0'], ['1.0^git1', '1.0^git2'], ['1.0^git1', '1.01'], ['1.0^20160101', '1.0.1'],
  ['1.0^20160101^git1', '1.0^20160101'], ['1.0~rc1^git1', '1.0~rc1'], ['1.0^git1~pre', '1.0^git1'], ['1.0^', '1.0^'],
  ['1.0a', '1.0.a'], ['001', '1'], ['1.001', '1.1'], ['1.0.0', '1.0'], ['1..0', '1.0'], ['1.0.', '1.0'], ['.1.0', '1.0'],
  ['1.0-1', '1.0.1'], ['a1', 'a01'], ['a1b', 'a1c'], ['1a', '1b'], ['1a', '1'], ['a', '1'], ['A', 'a'], ['Z', 'a'],
  ['99999999999999999999999', '99999999999999999999998'], ['0000000000000000000000001', '1'], ['123456789012345678901', '9'],
  ['1.ü', '1.u'], ['1.ü', '1.'], ['ü1', '1'], ['1#2', '1.2'], ['1@', '1'], ['1.0~', '1.0^'], ['~1', '~2'], ['~~1', '~1'],
  ['^1', '1'], ['1^', '1~'], ['rc', 'RC'], ['0', ''], ['0', '00'], ['1.a', '1.1'], ['1.a.1', '1.1.a'],
];

const POOL = [
  '', '0', '1', '01', '1.0', '1.0.0', '1.00', '1.0a', '1.0.a', '1a', '1.a', '1~', '1.0~rc1', '1.0~rc2', '1.0~', '~',
  '1.0^', '1.0^git1', '1^1', '1.0.1', '1.1', '2', '10', '9.9', 'a', 'b', 'A', 'alpha', 'beta1', '1.0_1', '1.0+1',
  '1..1', '_1', 'z9', '9z', '2.0.0~beta^post', '00010', 'ü', '1.ü2',
];

function pairs(): [string, string][] {
  const all: [string, string][] = [...AWKWARD];
  for (const a of POOL) for (const b of POOL) all.push([a, b]);
  return all;
}

/**
 * rpm.vercmp for every pair, in one rpm process. rpm.vercmp parses both sides as [E:]V[-R] (rpmverParse)
 * and compares them with rpmverCmp, so a pair with ':' or '-' checks parseEvr + compareEvr too, and a
 * string rpm will not parse (the empty one) answers NaN.
 */
function realRpmVercmp(list: [string, string][]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'yv-vercmp-'));
  try {
    // Lua long strings take any bytes without escaping; the level is chosen to clash with nothing.
    const lit = (s: string): string => `[==[${s}]==]`;
    const script = `local p = {\n${list.map(([a, b]) => `{${lit(a)}, ${lit(b)}}`).join(',\n')}\n}\nlocal out = {}\n` +
      'for i, x in ipairs(p) do local ok, r = pcall(rpm.vercmp, x[1], x[2]); out[#out + 1] = ok and tostring(r) or "E" end\n' +
      'print(table.concat(out, ","))\n';
    const file = join(dir, 'vercmp.lua');
    writeFileSync(file, script);
    const out = execFileSync('rpm', ['--eval', `%{lua: dofile("${file}")}`], { encoding: 'utf8' }).trim();
    return out.split(',').map((v) => (v === 'E' ? Number.NaN : Number(v)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rpmvercmp', () => {
  it('agrees with the real rpm on every pair', () => {
    const list = pairs();
    expect(list.length).toBeGreaterThan(500);
    const want = realRpmVercmp(list);
    expect(want).toHaveLength(list.length);
    const ours = (a: string, b: string): number => (/[-:]/.test(a + b) ? compareEvr(parseEvr(a), parseEvr(b)) : rpmvercmp(a, b));
    const checked = list.filter((_, i) => !Number.isNaN(want[i]));
    expect(checked.length).toBeGreaterThan(400);
    expect(list.filter((_, i) => Number.isNaN(want[i])).every(([a, b]) => a === '' || b === '')).toBe(true);
    const disagreements = list.map(([a, b], i) => [a, b, want[i], ours(a, b)]).filter(([, , w, g]) => !Number.isNaN(w) && w !== g);
    expect(disagreements).toEqual([]);
    // The comparison is antisymmetric where rpm's is.
    for (const [a, b] of AWKWARD) expect(rpmvercmp(a, b)).toBe(-rpmvercmp(b, a) || 0);
  });

  it('known answers', () => {
    expect(rpmvercmp('1.0~rc1', '1.0')).toBe(-1);
    expect(rpmvercmp('1.0^git1', '1.0')).toBe(1);
    expect(rpmvercmp('1.0^git1', '1.0.1')).toBe(-1);
    expect(rpmvercmp('1.0a', '1.0.a')).toBe(0);
    expect(rpmvercmp('001', '1')).toBe(0);
    expect(rpmvercmp('1.0', '1_0')).toBe(0);
    expect(rpmvercmp('2.0', '10')).toBe(-1);
    expect(rpmvercmp('a', '1')).toBe(-1);
  });
});

describe('EVR helpers', () => {
  it('parseEvr follows rpm: epoch only from leading digits before ":", release after the last "-"', () => {
    expect(parseEvr('1:2.3-4')).toEqual({ epoch: 1, version: '2.3', release: '4' });
    expect(parseEvr('2.3-4.el9')).toEqual({ epoch: null, version: '2.3', release: '4.el9' });
    expect(parseEvr('2.3')).toEqual({ epoch: null, version: '2.3', release: null });
    expect(parseEvr('0:1-2-3')).toEqual({ epoch: 0, version: '1-2', release: '3' });
    expect(parseEvr(':1.0')).toEqual({ epoch: 0, version: '1.0', release: null });
    expect(parseEvr('a:1.0')).toEqual({ epoch: null, version: 'a:1.0', release: null });
  });

  it('compareEvr: epoch first (absent = 0), then version, then release when both have one', () => {
    expect(compareEvr({ epoch: 1, version: '1.0', release: '1' }, { epoch: 0, version: '9.0', release: '1' })).toBe(1);
    expect(compareEvr({ version: '1.0', release: '1' }, { epoch: 0, version: '1.0', release: '1' })).toBe(0);
    expect(compareEvr({ epoch: '2', version: '1.0' }, { epoch: 10, version: '1.0' })).toBe(-1);
    expect(compareEvr({ version: '1.0', release: '2' }, { version: '1.0', release: '10' })).toBe(-1);
    expect(compareEvr({ version: '1.0' }, { version: '1.0', release: '10' })).toBe(0);
    expect(compareEvr(parseEvr('1:1.0~rc1-1'), parseEvr('1:1.0-1'))).toBe(-1);
  });

  it('formats NEVRA and EVR with the epoch only when non-zero', () => {
    expect(formatNevra({ name: 'bash', epoch: 0, version: '5.1', release: '1.el9', arch: 'x86_64' })).toBe('bash-5.1-1.el9.x86_64');
    expect(formatNevra({ name: 'bash', epoch: 2, version: '5.1', release: '1.el9', arch: 'x86_64' })).toBe('bash-2:5.1-1.el9.x86_64');
    expect(formatEvr({ epoch: 3, version: '1', release: '2' })).toBe('3:1-2');
    expect(formatEvr({ version: '1' })).toBe('1');
  });
});

describe('NEVRA strings', () => {
  it('parseNevra splits from the right; nevraKey always carries the epoch', () => {
    expect(parseNevra('bash-5.1.8-6.el9.x86_64')).toEqual({ name: 'bash', epoch: 0, version: '5.1.8', release: '6.el9', arch: 'x86_64' });
    expect(parseNevra('python3-dnf-plugins-core-2:4.3.0-5.el9.noarch.rpm')).toEqual({ name: 'python3-dnf-plugins-core', epoch: 2, version: '4.3.0', release: '5.el9', arch: 'noarch' });
    expect(parseNevra('bash')).toBeNull();
    expect(parseNevra('bash-5.1')).toBeNull();
    expect(parseNevra('bash-x:1-2.noarch')).toBeNull();
    const n = { name: 'a-b', epoch: 3, version: '1.0~rc1', release: '1.fc40', arch: 'aarch64' };
    expect(parseNevra(formatNevra(n))).toEqual(n);
    expect(nevraKey({ ...n, epoch: 0 })).toBe('a-b-0:1.0~rc1-1.fc40.aarch64');
  });
});
