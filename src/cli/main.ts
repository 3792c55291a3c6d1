import { isYumvaultError } from '../errors.ts';
import { cleanupOnSignals } from '../util/interrupt.ts';
import { terminalProgress } from '../util/progress.ts';
import type { CliIo, CommandRunner } from './io.ts';

const USAGE = `usage: yumvault <command> [options]

  serve      run the caching, retaining yum proxy
  monitor    --once: one retention pass, then exit
  decompose  IMAGE --repo URL... --out DIR   split an image into manifest + residual
  restore    DIR --repo URL... --out IMAGE   rebuild an image bit for bit, verified
  verify     DIR IMAGE                       does IMAGE match the manifest in DIR?
  inspect    rpm FILE | rpmdb ROOT_DIR_OR_IMAGE   [--json]
  demo       the whole decompose → eviction → retention → restore → verify cycle on a generated repository

'yumvault <command> --help' tells more.`;

// Each command loads its own code: `yumvault inspect` must not pay for express.
const commands: Record<string, () => Promise<CommandRunner>> = {
  serve: async () => (await import('./serve.ts')).runServe,
  monitor: async () => (await import('./monitor.ts')).runMonitor,
  decompose: async () => (await import('./decompose.ts')).runDecompose,
  restore: async () => (await import('./restore.ts')).runRestore,
  verify: async () => (await import('./verify.ts')).runVerify,
  inspect: async () => (await import('./inspect.ts')).runInspect,
  demo: async () => (await import('./demo.ts')).runDemo,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('yumvault 0.1.0\n');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`yumvault: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest, io);
  } catch (e) {
    io.progress.done();
    if (isYumvaultError(e)) {
      io.stderr(`yumvault ${name}: ${e.message} [${e.code}]\n`);
      return e.exitCode;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && err.syscall) {
      io.stderr(`yumvault ${name}: ${err.message}\n`);
      return 1;
    }
    io.stderr(`yumvault ${name}: unexpected error: ${err?.message ?? String(e)}\n`);
    if (process.env.YUMVAULT_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && /(?:^|[\\/])(?:cli\.js|main\.ts|yumvault)$/.test(process.argv[1]);
if (isEntry) {
  const io: CliIo = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    progress: terminalProgress(),
  };
  // Ctrl-C on a decompose or restore removes its temp files (serve and monitor stop in their own way).
  if (!['serve', 'monitor'].includes(process.argv[2] ?? '')) cleanupOnSignals((t) => io.stderr(t));
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`yumvault: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
