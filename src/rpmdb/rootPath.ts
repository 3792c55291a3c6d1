// Resolves a path inside a root file system (a directory tree or an image) the way the kernel would after
// chroot: symlinks are followed against that root, absolute targets restart at the root, and `..` never
// climbs above it. `/var/lib/rpm -> ../../usr/lib/sysimage/rpm` in an image must land in the image, never
// on the host running yumvault.

import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type RootEntry = { type: 'symlink'; target: string } | { type: 'dir' } | { type: 'file' } | null;

/** What a path (absolute, inside the root, no symlinks resolved) is; null when it does not exist. */
export type RootLookup = (path: string) => Promise<RootEntry>;

const MAX_SYMLINKS = 40; // Linux's limit (MAXSYMLINKS) before ELOOP

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * The real path inside the root of `path` with every symlink followed, or null when some component does
 * not exist, is not a directory where one is needed, or symlinks loop.
 */
export async function resolveInRoot(path: string, lookup: RootLookup): Promise<string | null> {
  const done: string[] = [];
  let todo = components(path);
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const current = `/${[...done, name].join('/')}`;
    const entry = await lookup(current);
    if (!entry) return null;
    if (entry.type === 'symlink') {
      if (++links > MAX_SYMLINKS) return null;
      if (entry.target.startsWith('/')) done.length = 0;
      todo = [...components(entry.target), ...todo];
      continue;
    }
    if (entry.type === 'file' && todo.length > 0) return null;
    done.push(name);
  }
  return `/${done.join('/')}`;
}

/** A RootLookup over a directory on this machine that is the root of some other system. */
export function directoryLookup(root: string): RootLookup {
  return async (path) => {
    const host = join(root, path);
    try {
      const st = await lstat(host);
      if (st.isSymbolicLink()) return { type: 'symlink', target: await readlink(host) };
      return st.isDirectory() ? { type: 'dir' } : { type: 'file' };
    } catch {
      return null;
    }
  };
}
