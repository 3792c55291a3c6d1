#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);

// src/cli/io.ts
function commandLog(io) {
  return (line) => {
    if (line.startsWith("warning:") && !process.stderr.isTTY) io.stderr(`${line}
`);
    else io.progress.note(line);
  };
}

export {
  commandLog
};
