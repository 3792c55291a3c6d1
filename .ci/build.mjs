// Bundles the CLI and the GitHub Action into dist/ (committed: the action runs from it with no node_modules).
// One build with code splitting: each CLI command and each action step loads only the chunks it uses
// (`yumvault inspect` does not parse express), and the CLI and the action share their library code.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

// `var`, not const: some bundled modules declare their own __filename. ESM bundles that contain CommonJS
// dependencies (express, @actions/*) need require, __filename and __dirname.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __yvCreateRequire } from 'node:module';",
  "import { fileURLToPath as __yvFileURLToPath } from 'node:url';",
  "import { dirname as __yvDirname } from 'node:path';",
  'var require = __yvCreateRequire(import.meta.url);',
  'var __filename = __yvFileURLToPath(import.meta.url);',
  'var __dirname = __yvDirname(__filename);',
].join('\n');

const entryPoints = Object.fromEntries(
  Object.entries({
    cli: 'src/cli/main.ts',
    action: 'src/action/main.ts',
    'action-post': 'src/action/post.ts',
    // restore's extraction threads (src/image/spoolWorkers.ts looks for it beside the chunk that runs it)
    'restore-worker': 'src/image/restoreWorker.ts',
  }).filter(([, file]) =>
    existsSync(file),
  ),
);

// Stale chunks would otherwise pile up in the committed dist/.
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: banner },
  // Optional native accelerators are never bundled: the action's path carries no native addon.
  external: ['lzma-native', 'pg-native'],
});
