import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { optionValue, parseArgs } from '../util/args.ts';
import { runDemoCycle } from '../demo/cycle.ts';
import { demoJson, demoTable } from '../demo/report.ts';
import { defaultDemoServices } from '../demo/services.ts';
import type { CliIo } from './io.ts';

const HELP = `usage: yumvault demo [--keep DIR] [--json]

Runs the whole cycle on a generated repository, in-process, in under a minute: generate an upstream
repository, start the proxy, build an image, decompose it through the proxy, let upstream publish newer
builds and evict old ones, run a monitor pass, restore the image from the vault, verify it.

  --keep DIR   work in DIR (created, must be empty) and keep everything there afterwards
  --json       print one JSON object instead of the table
`;

export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const args = parseArgs(argv, { flags: ['json'], options: ['keep'], positionals: [0, 0] }, 'demo');
  const json = args.flags.has('json');
  const keep = optionValue(args, 'keep');
  let workDir: string;
  if (keep !== undefined) {
    workDir = resolve(keep);
    const existing = await readdir(workDir).catch(() => [] as string[]);
    if (existing.length > 0) throw new UsageError(`demo: --keep ${keep} is not empty; give a new or empty directory`);
  } else {
    workDir = await mkdtemp(join(tmpdir(), 'yumvault-demo-'));
  }
  try {
    if (!json) io.stdout('yumvault demo: decompose → upstream eviction → retention → restore → verify\n');
    const result = await runDemoCycle({
      workDir,
      services: defaultDemoServices(),
      onStep: (s) => {
        if (!json) io.stdout(`  ✓ ${s.name} (${(s.ms / 1000).toFixed(1)} s)\n`);
      },
    });
    if (json) io.stdout(`${JSON.stringify({ ...demoJson(result), workDir: keep !== undefined ? workDir : null })}\n`);
    else {
      io.stdout(`\n${demoTable(result)}\n`);
      if (keep !== undefined) io.stdout(`\n  everything is kept in ${workDir}\n`);
    }
    return result.restoredMatches ? 0 : 1;
  } finally {
    if (keep === undefined) await rm(workDir, { recursive: true, force: true });
  }
}
