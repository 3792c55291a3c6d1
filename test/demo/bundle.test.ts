// The bundle as users run it: `node dist/cli.js demo` — the README's first command — exercises decompose
// through the proxy (HTTP), retention and restore from the vault in the bundled code, where module
// loading differs from the sources the other tests run (a lazily imported CommonJS module, for one, is
// only a default export there). test/run.mjs builds dist/ before the tests.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

describe('the bundled CLI', () => {
  it('runs the demo cycle end to end and restores the image bit for bit', async () => {
    expect(existsSync(cli)).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'demo', '--json'], { timeout: 120_000 });
    const r = JSON.parse(stdout);
    expect(r.restored.matches).toBe(true);
    expect(r.restored.sha256).toBe(r.image.sha256);
    expect(r.retainedByProxy).toBe(r.packages);
  }, 150_000);
});
