import type { Progress } from '../util/progress.ts';

/** What a command talks to: injected so tests can capture output and the action can reuse commands. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  progress: Progress;
}

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;
