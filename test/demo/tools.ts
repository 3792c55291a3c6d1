// Runs the real rpm, rpm2cpio, cpio, createrepo_c, dnf and tar for the demo writers' cross-checks.
import { spawn, spawnSync } from 'node:child_process';

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], input?: Uint8Array | string): Ran {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a shell pipeline (for rpm2cpio | cpio). */
export function sh(script: string): Ran {
  return run('sh', ['-c', script]);
}

/** rpm against a root directory, with the Red Hat %_dbpath (Debian's rpm defaults to ~/.rpmdb). */
export function rpmRoot(root: string, args: readonly string[]): Ran {
  return run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', ...args]);
}

/** Like run, without blocking the event loop: needed when the command talks to a server in this process. */
export function runAsync(cmd: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}
