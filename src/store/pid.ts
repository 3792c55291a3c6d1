// Whether the writer of a temp file, staging dir or lock row still runs. Each names its writer by pid and
// by this process's random token: in a container the proxy is pid 1 on every start, so a pid equal to
// ours is only ours when the token is too; otherwise it is a leftover of an earlier start.
import { randomBytes } from 'node:crypto';

/** Random per process start (module state on purpose: it identifies this process, nothing more). */
export const PROCESS_TOKEN = randomBytes(6).toString('hex');

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Does the writer named by (pid, token) still run? */
export function isLiveWriter(pid: number, token: string): boolean {
  if (pid === process.pid) return token === PROCESS_TOKEN;
  return isProcessAlive(pid);
}
