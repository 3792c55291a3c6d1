// The demo's closing table (and its --json object).

import { humanBytes } from '../util/format.ts';
import type { DemoResult } from './cycle.ts';

export function demoTable(r: DemoResult): string {
  const rows: Array<[string, string]> = [
    ['packages in the image', String(r.packages)],
    ['image size', humanBytes(r.imageSize)],
    ['stored (manifest + residual)', humanBytes(r.storedBytes)],
    ['ratio', `${r.ratio.toFixed(1)}x`],
    ['builds evicted upstream', `${r.buildsEvictedUpstream} (${r.imageBuildsEvictedUpstream} of them in the image)`],
    ['retained by the proxy', `${r.retainedByProxy} of ${r.packages}`],
    ['restored sha256 matches', r.restoredMatches ? 'yes' : 'NO'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const total = r.steps.reduce((n, s) => n + s.ms, 0);
  return [
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `  ${'image sha256'.padEnd(width)}  ${r.imageSha256}`,
    `  ${'total time'.padEnd(width)}  ${(total / 1000).toFixed(1)} s`,
  ].join('\n');
}

export function demoJson(r: DemoResult): Record<string, unknown> {
  return {
    packages: r.packages,
    image: { sha256: r.imageSha256, size: r.imageSize },
    storedBytes: r.storedBytes,
    ratio: Number(r.ratio.toFixed(2)),
    buildsEvictedUpstream: r.buildsEvictedUpstream,
    imageBuildsEvictedUpstream: r.imageBuildsEvictedUpstream,
    retainedByProxy: r.retainedByProxy,
    restored: { sha256: r.restoredSha256, matches: r.restoredMatches },
    steps: r.steps,
    workDir: r.workDir,
  };
}
