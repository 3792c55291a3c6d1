// filelists.xml: every file of every package (primary lists only a subset). The writer half is what the
// vault needs; the streaming parser reads upstream or our own output back (tests, tools).

import type { Nevra } from '../rpm/types.ts';
import { RepoMetadataError } from '../errors.ts';
import { inflated, type ByteSource } from './compression.ts';
import type { RepodataPackage } from './fromRpm.ts';
import type { PrimaryFile, PrimaryFileType } from './primary.ts';
import { escAttr, fileLines, versionEl } from './xmlDump.ts';
import { parseCount, xmlEventBatches } from './xmlEvents.ts';

export interface FilelistsPackage extends Nevra {
  pkgid: string;
  files: PrimaryFile[];
}

export const FILELISTS_OPEN = (count: number) => `<?xml version="1.0" encoding="UTF-8"?>\n<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="${count}">\n`;
export const FILELISTS_CLOSE = '</filelists>';

/** One package's <package> element, as createrepo_c's xml_dump_filelists.c lays it out. */
export function filelistsPackageXml(p: RepodataPackage): string {
  return `<package pkgid="${p.pkgid}" name="${escAttr(p.name)}" arch="${escAttr(p.arch)}">\n${versionEl(p)}${fileLines('  ', p, false)}</package>\n`;
}

/** Streams filelists.xml's packages (any compression), one at a time. */
export async function* streamFilelists(source: ByteSource, fileName = 'filelists.xml'): AsyncGenerator<FilelistsPackage> {
  let pkg: FilelistsPackage | undefined;
  let fileType: PrimaryFileType = 'file';
  let inFile = false;
  let text = '';
  for await (const batch of xmlEventBatches(inflated(source, fileName), fileName)) {
    const ready: FilelistsPackage[] = [];
    for (const ev of batch) {
      if (ev.kind === 'text') {
        if (inFile) text += ev.text;
      } else if (ev.kind === 'open') {
        const a = ev.attrs;
        if (ev.name === 'package') {
          pkg = { pkgid: (a.pkgid ?? '').toLowerCase(), name: a.name ?? '', arch: a.arch ?? '', epoch: 0, version: '', release: '', files: [] };
        } else if (pkg && ev.name === 'version') {
          pkg.epoch = parseCount(a.epoch, 'epoch', fileName);
          pkg.version = a.ver ?? '';
          pkg.release = a.rel ?? '';
        } else if (pkg && ev.name === 'file') {
          inFile = true;
          text = '';
          fileType = a.type === 'dir' || a.type === 'ghost' ? a.type : 'file';
        }
      } else if (ev.name === 'file' && pkg) {
        pkg.files.push({ path: text, type: fileType });
        inFile = false;
      } else if (ev.name === 'package' && pkg) {
        if (!pkg.pkgid || !pkg.name) throw new RepoMetadataError(`${fileName}: a <package> lacks pkgid or name`);
        ready.push(pkg);
        pkg = undefined;
      }
    }
    yield* ready;
  }
}
