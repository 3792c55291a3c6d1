// A small real-tool image shared by the failure and policy tests (built once per test file).

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { silentProgress } from '../../src/util/progress.ts';
import { buildPackages, createRepo, deltaPackage, editRoot, installRoot, standardPackages, tarRoot } from '../fixtures-gen/imageGen.ts';

export interface ImageFixture {
  work: string;
  repoDir: string;
  rpms: string[];
  tar: string;
  cleanup(): void;
}

export function makeImageFixture(prefix: string): ImageFixture {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const repoDir = join(work, 'repo');
  const rpms = buildPackages(work, [...standardPackages(), deltaPackage('1.0', '1')], repoDir);
  createRepo(repoDir);
  const root = join(work, 'root');
  installRoot(root, rpms);
  editRoot(root, {});
  const tar = join(work, 'image.tar');
  tarRoot(root, tar, 'pax');
  return { work, repoDir, rpms, tar, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

export const sha256Of = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Runs the CLI in-process; answers exit code, stdout and stderr. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), progress: silentProgress });
  return { code, stdout, stderr };
}
