// `yumvault monitor --once` without --json: every lost and every failed version is named with its reason.
import { expect, test } from 'vitest';
import { passSummary } from '../../src/cli/monitor.ts';
import type { RepoPassReport } from '../../src/retention/monitor.ts';

test('the summary names each failed version and why, not only a count', () => {
  const repo: RepoPassReport = {
    repo: 'base', revision: '7', scanned: true, appeared: 2, gone: 0, superseded: 1, advisories: 0,
    retained: 1, downloaded: 1, skipped: 0, published: true, error: null,
    lost: [{ nevra: 'a-1-1.noarch', pkgid: 'ab'.repeat(32), manifests: [3] }],
    failed: [{ nevra: 'b-1-1.noarch', error: 'upstream answered 500 [YV_UPSTREAM]' }],
  };
  expect(passSummary({ ran: true, repos: [repo] }).split('\n')).toEqual([
    'base: revision 7: 2 appeared, 0 gone, 1 superseded, 1 retained (1 downloaded), 0 skipped, 0 advisories, 1 lost, 1 failed',
    '  LOST a-1-1.noarch (breaks manifests 3)',
    '  failed b-1-1.noarch: upstream answered 500 [YV_UPSTREAM]',
    '',
  ]);
});
