import { YumvaultError } from '../errors.ts';
import type { CliIo } from './io.ts';

// Placeholder until its issue lands: replaced by the real command.
export async function runServe(_argv: string[], _io: CliIo): Promise<number> {
  throw new YumvaultError('YV_UNIMPLEMENTED', 'serve is not built yet');
}
