import { VerificationError } from '../errors.ts';
import { verifyImage } from '../image/verify.ts';
import { parseArgs } from '../util/args.ts';
import { commandLog, type CliIo } from './io.ts';

const HELP = `usage: yumvault verify DIR IMAGE

Exit 0 when IMAGE (a tar, compressed or not, or a directory) has the sha256 and size the manifest in DIR
records; exit 1 naming the difference otherwise.`;

export async function runVerify(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const args = parseArgs(argv, { flags: ['json'], positionals: [2, 2] }, 'verify');
  const [dir, image] = args.positionals as [string, string];
  const r = await verifyImage(dir, image, { progress: io.progress, log: commandLog(io) });
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(r)}\n`);
  if (!r.ok) throw new VerificationError(r.reason ?? 'the image does not match the manifest');
  if (!args.flags.has('json')) io.stdout(`ok: ${image} matches ${dir} (sha256 ${r.sha256})\n`);
  return 0;
}
