import type { Progress } from '../util/progress.ts';

/** What a command talks to: injected so tests can capture output and the action can reuse commands. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  progress: Progress;
}

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

/**
 * The log of a long command: progress lines on a terminal only (they would be noise in CI logs), but
 * warnings always, on stderr — a vulnerable build restored anyway or an image without an rpm database must
 * reach a CI log too.
 */
export function commandLog(io: CliIo): (line: string) => void {
  return (line) => {
    if (line.startsWith('warning:') && !process.stderr.isTTY) io.stderr(`${line}\n`);
    else io.progress.note(line);
  };
}
