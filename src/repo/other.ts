// other.xml: changelogs per package. Writer for the vault; streaming parser to read it back.

import type { Nevra } from '../rpm/types.ts';
import { RepoMetadataError } from '../errors.ts';
import { inflated, type ByteSource } from './compression.ts';
import type { Changelog, RepodataPackage } from './fromRpm.ts';
import { escAttr, escText, versionEl } from './xmlDump.ts';
import { parseCount, xmlEventBatches } from './xmlEvents.ts';

export interface OtherPackage extends Nevra {
  pkgid: string;
  changelogs: Changelog[];
}

export const OTHER_OPEN = (count: number) => `<?xml version="1.0" encoding="UTF-8"?>\n<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="${count}">\n`;
export const OTHER_CLOSE = '</otherdata>';

/** One package's <package> element, as createrepo_c's xml_dump_other.c lays it out. */
export function otherPackageXml(p: RepodataPackage): string {
  let out = `<package pkgid="${p.pkgid}" name="${escAttr(p.name)}" arch="${escAttr(p.arch)}">\n${versionEl(p)}`;
  for (const c of p.changelogs) out += `  <changelog author="${escAttr(c.author)}" date="${c.date}">${escText(c.text)}</changelog>\n`;
  return out + '</package>\n';
}

/** Streams other.xml's packages (any compression), one at a time. */
export async function* streamOther(source: ByteSource, fileName = 'other.xml'): AsyncGenerator<OtherPackage> {
  let pkg: OtherPackage | undefined;
  let entry: Changelog | undefined;
  for await (const batch of xmlEventBatches(inflated(source, fileName), fileName)) {
    const ready: OtherPackage[] = [];
    for (const ev of batch) {
      if (ev.kind === 'text') {
        if (entry) entry.text += ev.text;
      } else if (ev.kind === 'open') {
        const a = ev.attrs;
        if (ev.name === 'package') {
          pkg = { pkgid: (a.pkgid ?? '').toLowerCase(), name: a.name ?? '', arch: a.arch ?? '', epoch: 0, version: '', release: '', changelogs: [] };
        } else if (pkg && ev.name === 'version') {
          pkg.epoch = parseCount(a.epoch, 'epoch', fileName);
          pkg.version = a.ver ?? '';
          pkg.release = a.rel ?? '';
        } else if (pkg && ev.name === 'changelog') {
          entry = { author: a.author ?? '', date: parseCount(a.date, 'changelog date', fileName), text: '' };
        }
      } else if (ev.name === 'changelog' && pkg && entry) {
        pkg.changelogs.push(entry);
        entry = undefined;
      } else if (ev.name === 'package' && pkg) {
        if (!pkg.pkgid || !pkg.name) throw new RepoMetadataError(`${fileName}: a <package> lacks pkgid or name`);
        ready.push(pkg);
        pkg = undefined;
      }
    }
    yield* ready;
  }
}
