// Hardlink sets of a package's file list, as rpm groups them (lib/rpmfi.c rpmfilesBuildNLink): regular
// files sharing FILEDEVICES + FILEINODES. rpm writes the contents once, with the last member of the set in
// the payload (lib/fsm.c); every member has the same digest and size in the header.
import { FileFlags, type RpmFile } from './types.ts';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export interface HardlinkSetOptions {
  /**
   * Leave %ghost files out: they are not in the payload, so the cpio reader groups without them.
   * Default false (the header's view: a ghost sharing an inode is part of the set).
   */
  skipGhosts?: boolean;
}

/** Indexes into `files` of each set of two or more, in header order. */
export function hardlinkSets(files: readonly RpmFile[], opts: HardlinkSetOptions = {}): number[][] {
  const byInode = new Map<string, number[]>();
  files.forEach((f, i) => {
    if ((f.mode & S_IFMT) !== S_IFREG || f.inode <= 0) return;
    if (opts.skipGhosts && f.flags & FileFlags.GHOST) return;
    const key = `${f.device}:${f.inode}`;
    const set = byInode.get(key);
    if (set) set.push(i);
    else byInode.set(key, [i]);
  });
  return [...byInode.values()].filter((s) => s.length > 1);
}
