// The per-package XML of primary (and the pieces filelists.ts and other.ts share), laid out as createrepo_c writes it
// (src/xml_dump_primary.c, xml_dump_filelists.c, xml_dump_other.c via libxml2's pretty printer), so a
// byte-level diff against createrepo_c's output shows only real differences.

import type { RepodataPackage } from './fromRpm.ts';
import { isPrimaryFile } from './fromRpm.ts';
import type { Dependency } from './primary.ts';

// libxml2 escapes &, <, > in text; in attribute values also " and the whitespace characters that
// attribute normalisation would otherwise eat. Characters XML 1.0 cannot carry are dropped (createrepo_c
// refuses control characters; dropping keeps the file loadable).
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escText(s: string): string {
  return s.replace(INVALID, '').replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escAttr(s: string): string {
  return s
    .replace(INVALID, '')
    .replace(/[&<>"\n\r\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c]!);
}

// libxml2 writes an empty text child as <x></x> (createrepo_c always adds one), never <x/>.
const textEl = (indent: string, name: string, value: string) => `${indent}<${name}>${escText(value)}</${name}>\n`;

function depEntries(kind: string, deps: Dependency[], withPre: boolean): string {
  const listed = deps.filter((d) => d.name !== '');
  if (!listed.length) return '';
  let out = `    <rpm:${kind}>\n`;
  for (const d of listed) {
    out += `      <rpm:entry name="${escAttr(d.name)}"`;
    if (d.flags) {
      out += ` flags="${d.flags}"`;
      if (d.epoch) out += ` epoch="${escAttr(d.epoch)}"`;
      if (d.version) out += ` ver="${escAttr(d.version)}"`;
      if (d.release) out += ` rel="${escAttr(d.release)}"`;
    }
    if (withPre && d.pre) out += ' pre="1"';
    out += '/>\n';
  }
  return out + `    </rpm:${kind}>\n`;
}

export function fileLines(indent: string, pkg: RepodataPackage, primaryOnly: boolean): string {
  let out = '';
  for (const f of pkg.files) {
    if (primaryOnly && !isPrimaryFile(f.path)) continue;
    out += `${indent}<file${f.type === 'file' ? '' : ` type="${f.type}"`}>${escText(f.path)}</file>\n`;
  }
  return out;
}

export const versionEl = (p: RepodataPackage) => `  <version epoch="${p.epoch}" ver="${escAttr(p.version)}" rel="${escAttr(p.release)}"/>\n`;

export function primaryPackageXml(p: RepodataPackage): string {
  let out = '<package type="rpm">\n';
  out += textEl('  ', 'name', p.name);
  out += textEl('  ', 'arch', p.arch);
  out += versionEl(p);
  out += `  <checksum type="sha256" pkgid="YES">${p.pkgid}</checksum>\n`;
  out += textEl('  ', 'summary', p.summary);
  out += textEl('  ', 'description', p.description);
  out += textEl('  ', 'packager', p.packager);
  out += textEl('  ', 'url', p.url);
  out += `  <time file="${p.time.file}" build="${p.time.build}"/>\n`;
  out += `  <size package="${p.size.package}" installed="${p.size.installed}" archive="${p.size.archive}"/>\n`;
  const base = p.location.base ? ` xml:base="${escAttr(p.location.base.startsWith('/') ? `file://${p.location.base}` : p.location.base)}"` : '';
  out += `  <location${base} href="${escAttr(p.location.href)}"/>\n`;
  out += '  <format>\n';
  out += textEl('    ', 'rpm:license', p.license);
  out += textEl('    ', 'rpm:vendor', p.vendor);
  out += textEl('    ', 'rpm:group', p.group);
  out += textEl('    ', 'rpm:buildhost', p.buildHost);
  out += textEl('    ', 'rpm:sourcerpm', p.sourceRpm);
  out += `    <rpm:header-range start="${p.headerRange.start}" end="${p.headerRange.end}"/>\n`;
  const d = p.dependencies;
  out += depEntries('provides', d.provides, false);
  out += depEntries('requires', d.requires, true);
  out += depEntries('conflicts', d.conflicts, false);
  out += depEntries('obsoletes', d.obsoletes, false);
  out += depEntries('suggests', d.suggests, false);
  out += depEntries('enhances', d.enhances, false);
  out += depEntries('recommends', d.recommends, false);
  out += depEntries('supplements', d.supplements, false);
  out += fileLines('    ', p, true);
  out += '  </format>\n</package>\n';
  return out;
}

export const PRIMARY_OPEN = (count: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${count}">\n`;
export const PRIMARY_CLOSE = '</metadata>';
