// Bundles the CLI and the GitHub Action into dist/ (committed: the action runs from it with no node_modules).
import { build } from 'esbuild';

// `var`, not const: some bundled modules declare their own __filename. ESM bundles that contain CommonJS dependencies (express, @actions/*) need require, __filename and __dirname.
const banner = [
  "import { createRequire as __yvCreateRequire } from 'node:module';",
  "import { fileURLToPath as __yvFileURLToPath } from 'node:url';",
  "import { dirname as __yvDirname } from 'node:path';",
  'var require = __yvCreateRequire(import.meta.url);',
  'var __filename = __yvFileURLToPath(import.meta.url);',
  'var __dirname = __yvDirname(__filename);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: banner },
  // Optional native accelerators are never bundled: the action's path carries no native addon.
  external: ['lzma-native', 'pg-native'],
};

import { existsSync } from 'node:fs';

await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node\n' + banner } });
const actionEntries = Object.fromEntries(
  Object.entries({ action: 'src/action/main.ts', 'action-post': 'src/action/post.ts' }).filter(([, file]) => existsSync(file)),
);
// The main and post steps share one chunk instead of carrying two copies of everything.
if (Object.keys(actionEntries).length > 0) {
  await build({ ...common, entryPoints: actionEntries, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
}
