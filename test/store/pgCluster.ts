// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, listening only on a unix socket in
// that dir (no TCP port at all), removed on stop. Needs Debian's `postgresql` package (initdb, pg_ctl).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  url: string;
  stop(): void;
}

function findBin(name: string): string | null {
  for (const dir of ['/usr/local/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin']) {
    const p = join(dir, name);
    if (spawnSync('test', ['-x', p]).status === 0) return p;
  }
  const w = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return w.status === 0 ? w.stdout.trim() : null;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function pgUnavailableReason(): string | null {
  if (!findBin('initdb') || !findBin('pg_ctl')) return 'PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql';
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0) return 'running as root and no postgres user to run initdb as';
  return null;
}

export function startPgCluster(): PgCluster {
  const initdb = findBin('initdb')!;
  const pgCtl = findBin('pg_ctl')!;
  const dir = mkdtempSync(join(tmpdir(), 'yv-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: run the server as the postgres user, owning the temp dir.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): void => {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
    else execFileSync(cmd, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  run(initdb, ['-D', data, '-A', 'trust', '-U', 'yv', '--no-sync', '-E', 'UTF8', '--locale=C']);
  run(pgCtl, ['-D', data, '-w', '-s', '-l', join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses= -F -c max_connections=50`, 'start']);
  return {
    url: `postgresql://yv@localhost/postgres?host=${encodeURIComponent(dir)}`,
    stop() {
      try {
        run(pgCtl, ['-D', data, '-w', '-s', '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
