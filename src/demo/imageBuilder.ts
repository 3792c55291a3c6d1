// Builds a root-filesystem image tar from generated packages as if rpm had installed them, without root
// and without unpacking anything to disk: each package's files (from its spec), the rpmdb.sqlite that
// rpm would have written at /var/lib/rpm, plus the edits real images carry (files no package owns, a
// changed config file, a deleted doc). Entries come in the order `tar --sort=name -C root -cf - .`
// gives: depth first, each directory's children sorted by name. Deterministic: same input, same bytes.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createAtomicFile } from '../util/fs.ts';
import { writeRpmdb } from './rpmdbWriter.ts';
import type { RpmSpec } from './rpmWriter.ts';
import { endBlocks, entryBlocks, recordPadding, type TarEntry } from './tarWriter.ts';

export interface InstalledPackage {
  spec: RpmSpec;
  /** The package file (its headers go into the rpmdb). */
  rpm: Uint8Array;
}

export interface ImageFile {
  path: string;
  contents: Uint8Array | string;
  mode?: number;
  mtime?: number;
}

export interface ImageEdits {
  /** Files no package owns (hostname, logs, caches, user data). */
  extraFiles?: readonly ImageFile[];
  /** Package files whose contents changed after installation (an edited config file). */
  modified?: readonly ImageFile[];
  /** Package files deleted after installation (docs stripped from an image). */
  removed?: readonly string[];
}

export interface BuiltImage {
  path: string;
  sha256: string;
  size: number;
  entries: number;
}

/** Where rpm 4.18 keeps its sqlite database inside a root (the Red Hat family's %_dbpath). */
export const RPMDB_PATH = '/var/lib/rpm/rpmdb.sqlite';
const DEFAULT_MTIME = 1_700_000_200;
const USERS: Record<string, number> = { root: 0, bin: 1, daemon: 2, adm: 3, nobody: 65534 };

interface Node {
  entry: TarEntry;
  children: Map<string, Node>;
}

const utf8 = new TextEncoder();

function idOf(name: string): number {
  return USERS[name] ?? 1000;
}

class Tree {
  readonly root: Node;
  private readonly mtime: number;
  constructor(mtime: number) {
    this.mtime = mtime;
    this.root = { entry: this.dirEntry('./', 0o755), children: new Map() };
  }

  private dirEntry(name: string, mode: number): TarEntry {
    return { name, type: 'dir', mode, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: this.mtime };
  }

  /** The node for `path`, creating parent directories rpm (or the image build) would have made. */
  private node(path: string, create: boolean): Node | undefined {
    const parts = path.split('/').filter(Boolean);
    let n = this.root;
    let sofar = '.';
    for (const part of parts) {
      sofar += `/${part}`;
      let next = n.children.get(part);
      if (!next) {
        if (!create) return undefined;
        next = { entry: this.dirEntry(`${sofar}/`, 0o755), children: new Map() };
        n.children.set(part, next);
      }
      n = next;
    }
    return n;
  }

  set(path: string, entry: Omit<TarEntry, 'name'>): void {
    const n = this.node(path, true)!;
    const name = entry.type === 'dir' ? `.${path}/` : `.${path}`;
    n.entry = { ...entry, name };
  }

  remove(path: string): void {
    const parts = path.split('/').filter(Boolean);
    const last = parts.pop();
    const parent = this.node(parts.join('/'), false);
    if (!last || !parent?.children.delete(last)) throw new Error(`image has no ${path} to remove`);
  }

  get(path: string): TarEntry | undefined {
    return this.node(path, false)?.entry;
  }

  *walk(n: Node = this.root): Generator<TarEntry> {
    yield n.entry;
    // Byte order of the UTF-8 names, as tar --sort=name compares them.
    const names = [...n.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) yield* this.walk(n.children.get(name)!);
  }
}

function addPackage(tree: Tree, spec: RpmSpec, buildTime: number): void {
  for (const f of spec.files) {
    if (f.flags?.includes('ghost')) continue; // rpm creates no ghost file
    const type = f.type ?? (f.linkTo !== undefined ? 'symlink' : 'file');
    const user = f.user ?? 'root';
    const group = f.group ?? 'root';
    const base = { uid: idOf(user), gid: idOf(group), uname: user, gname: group, mtime: f.mtime ?? buildTime };
    if (type === 'dir') tree.set(f.path, { ...base, type: 'dir', mode: f.mode ?? 0o755 });
    else if (type === 'symlink') tree.set(f.path, { ...base, type: 'symlink', mode: 0o777, linkName: f.linkTo });
    else {
      const data = typeof f.contents === 'string' ? utf8.encode(f.contents) : (f.contents ?? new Uint8Array(0));
      tree.set(f.path, { ...base, type: 'file', mode: f.mode ?? 0o644, data });
    }
  }
}

function* archiveChunks(tree: Tree): Generator<Uint8Array> {
  let written = 0;
  for (const e of tree.walk()) {
    for (const c of entryBlocks(e)) {
      written += c.length;
      yield c;
    }
  }
  const end = endBlocks();
  written += end.length;
  yield end;
  yield recordPadding(written);
}

/**
 * Writes the image tar at `out` (atomically) for `packages` installed in order, with `edits` applied.
 * The rpmdb is written to a temp file first (node:sqlite needs a path), then streamed into the tar.
 */
export async function buildImage(out: string, packages: readonly InstalledPackage[], edits: ImageEdits = {}, opts: { mtime?: number } = {}): Promise<BuiltImage> {
  const mtime = opts.mtime ?? DEFAULT_MTIME;
  const tree = new Tree(mtime);
  for (const p of packages) addPackage(tree, p.spec, p.spec.buildTime ?? 1_700_000_000);
  const work = await mkdtemp(join(tmpdir(), 'yv-image-'));
  try {
    const dbFile = join(work, 'rpmdb.sqlite');
    await writeRpmdb(dbFile, packages.map((p) => p.rpm), { installTime: mtime });
    tree.set(RPMDB_PATH, { type: 'file', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime, data: await readFile(dbFile) });
    for (const f of edits.extraFiles ?? []) {
      const data = typeof f.contents === 'string' ? utf8.encode(f.contents) : f.contents;
      tree.set(f.path, { type: 'file', mode: f.mode ?? 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: f.mtime ?? mtime, data });
    }
    for (const f of edits.modified ?? []) {
      const old = tree.get(f.path);
      if (!old || old.type !== 'file') throw new Error(`image has no file ${f.path} to modify`);
      const data = typeof f.contents === 'string' ? utf8.encode(f.contents) : f.contents;
      tree.set(f.path, { ...old, data, mtime: f.mtime ?? mtime + 3600 });
    }
    for (const path of edits.removed ?? []) tree.remove(path);

    const file = await createAtomicFile(out);
    const hash = createHash('sha256');
    let size = 0;
    let entries = 0;
    for (const _ of tree.walk()) entries++;
    const tap = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(Readable.from(archiveChunks(tree), { objectMode: false }), tap, file.stream, { end: false });
      await file.commit();
    } catch (e) {
      await file.abort();
      throw e;
    }
    return { path: out, sha256: hash.digest('hex'), size, entries };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
