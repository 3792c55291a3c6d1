// Ctrl-C (SIGINT) or SIGTERM during a restore: the real CLI process exits 130/143 and leaves neither its
// half-written image nor its temp directory behind. The restore is held mid-way by a repository that
// never answers for one package.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { cli, makeImageFixture, type ImageFixture } from './fixture.ts';

let fx: ImageFixture;
let server: TestHttpServer;
let dir: string;

beforeAll(async () => {
  fx = makeImageFixture('yv-interrupt-');
  dir = join(fx.work, 'd');
  expect((await cli('decompose', fx.tar, '--repo', fx.repoDir, '--out', dir)).code).toBe(0);
  server = await startTestHttpServer(fx.repoDir);
}, 120_000);

afterAll(async () => {
  await server?.close();
  fx?.cleanup();
});

const cliPath = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

describe('an interrupted restore', () => {
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: exits ${exitCode}, its temp image and temp directory removed`, async () => {
      const alpha = readdirSync(fx.repoDir).find((f) => f.startsWith('alpha-') && f.endsWith('.rpm'))!;
      server.setFault(`/${alpha}`, { kind: 'hang' });
      const outDir = join(fx.work, `out-${signal}`);
      const tmp = mkdtempSync(join(tmpdir(), 'yv-interrupt-tmp-'));
      mkdirSync(outDir);
      try {
        const child = spawn(process.execPath, [cliPath, 'restore', dir, '--repo', server.url, '--out', join(outDir, 'image.tar')], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        // Under way: its temp image beside the target and its temp directory exist, alpha's download hangs.
        const underWay = () => readdirSync(outDir).some((f) => f.endsWith('.tmp')) && readdirSync(tmp).some((f) => f.startsWith('yumvault-restore-')) && server.requests.some((q) => q.path === `/${alpha}`);
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && !underWay()) await new Promise((r) => setTimeout(r, 20));
        expect(underWay()).toBe(true);
        child.kill(signal);
        expect(await exited).toBe(exitCode);
        expect(stderr).toMatch(new RegExp(`interrupted \\(${signal}\\); its temporary files are removed`));
        expect(readdirSync(outDir)).toEqual([]);
        expect(readdirSync(tmp)).toEqual([]);
        expect(existsSync(join(outDir, 'image.tar'))).toBe(false);
      } finally {
        server.clearFaults();
        rmSync(tmp, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
