// updateinfo.xml: advisories (security, bugfix, enhancement, newpackage) and the package builds that
// fix them. Streaming parse (one advisory in memory at a time) and a streaming writer. Format: as
// createrepo_c's cr_updateinfo and dnf's libdnf read it (<updates><update type=…><id/>…<pkglist>).

import type { Nevra } from '../rpm/types.ts';
import { RepoMetadataError } from '../errors.ts';
import { inflated, type ByteSource } from './compression.ts';
import { xmlEventBatches, xmlEscape, parseCount } from './xmlEvents.ts';

export interface AdvisoryPackage extends Nevra {
  /** The .rpm file name, when given. */
  filename?: string;
  /** Source rpm name, when given. */
  src?: string;
  sum?: { type: string; value: string };
}

export interface AdvisoryReference {
  href: string;
  id: string;
  type: string;
  title: string;
}

export interface Advisory {
  id: string;
  /** security, bugfix, enhancement, newpackage (as the file says). */
  type: string;
  /** Critical, Important, Moderate, Low… or null when absent. */
  severity: string | null;
  /** The issued date text as written ("2024-01-02 03:04:05" or an epoch). */
  issued: string;
  updated?: string;
  title: string;
  status: string;
  from: string;
  summary: string;
  description: string;
  release: string;
  references: AdvisoryReference[];
  packages: AdvisoryPackage[];
}

const TEXT_FIELDS = new Set(['id', 'title', 'severity', 'summary', 'description', 'release', 'filename', 'sum', 'rights', 'solution']);

function emptyAdvisory(attrs: Record<string, string>): Advisory {
  return {
    id: '',
    type: attrs.type ?? '',
    severity: null,
    issued: '',
    title: '',
    status: attrs.status ?? '',
    from: attrs.from ?? '',
    summary: '',
    description: '',
    release: '',
    references: [],
    packages: [],
  };
}

/** Streams the advisories of updateinfo.xml (any compression). Malformed → RepoMetadataError. */
export async function* streamUpdateinfo(source: ByteSource, fileName = 'updateinfo.xml'): AsyncGenerator<Advisory> {
  let adv: Advisory | undefined;
  let pkg: AdvisoryPackage | undefined;
  let sumType = '';
  let text = '';
  let depth = 0;
  let sawRoot = false;
  for await (const batch of xmlEventBatches(inflated(source, fileName), fileName)) {
    const ready: Advisory[] = [];
    for (const ev of batch) {
      if (ev.kind === 'text') {
        text += ev.text;
        continue;
      }
      if (ev.kind === 'open') {
        depth++;
        text = '';
        const a = ev.attrs;
        if (depth === 1) {
          if (ev.name !== 'updates') throw new RepoMetadataError(`${fileName}: root element is <${ev.name}>, not <updates>`);
          sawRoot = true;
        } else if (depth === 2 && ev.name === 'update') {
          adv = emptyAdvisory(a);
        } else if (adv) {
          if (ev.name === 'issued') adv.issued = a.date ?? '';
          else if (ev.name === 'updated') adv.updated = a.date ?? '';
          else if (ev.name === 'reference') adv.references.push({ href: a.href ?? '', id: a.id ?? '', type: a.type ?? '', title: a.title ?? '' });
          else if (ev.name === 'package') {
            pkg = { name: a.name ?? '', epoch: parseCount(a.epoch, 'epoch', fileName), version: a.version ?? '', release: a.release ?? '', arch: a.arch ?? '' };
            if (a.src) pkg.src = a.src;
          } else if (ev.name === 'sum') sumType = a.type ?? '';
        }
        continue;
      }
      depth--;
      if (!adv) continue;
      const value = text.trim();
      text = '';
      if (ev.name === 'update' && depth === 1) {
        if (!adv.id) throw new RepoMetadataError(`${fileName}: an <update> has no <id>`);
        ready.push(adv);
        adv = undefined;
      } else if (pkg) {
        if (ev.name === 'package') {
          if (!pkg.name) throw new RepoMetadataError(`${fileName}: advisory ${adv.id} lists a package without a name`);
          adv.packages.push(pkg);
          pkg = undefined;
        } else if (ev.name === 'filename') pkg.filename = value;
        else if (ev.name === 'sum') pkg.sum = { type: sumType, value: value.toLowerCase() };
      } else if (depth === 2 && TEXT_FIELDS.has(ev.name)) {
        if (ev.name === 'id') adv.id = value;
        else if (ev.name === 'title') adv.title = value;
        else if (ev.name === 'severity') adv.severity = value || null;
        else if (ev.name === 'summary') adv.summary = value;
        else if (ev.name === 'description') adv.description = value;
        else if (ev.name === 'release') adv.release = value;
      }
    }
    yield* ready;
  }
  if (!sawRoot) throw new RepoMetadataError(`${fileName}: no <updates> element`);
}

/** Opening text of updateinfo.xml; write `updateinfoAdvisoryXml` for each advisory, then `UPDATEINFO_CLOSE`. */
export const UPDATEINFO_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n';
export const UPDATEINFO_CLOSE = '</updates>\n';

export function updateinfoAdvisoryXml(a: Advisory): string {
  const e = xmlEscape;
  const out: string[] = [];
  out.push(`  <update from="${e(a.from)}" status="${e(a.status || 'stable')}" type="${e(a.type)}" version="2.0">\n`);
  out.push(`    <id>${e(a.id)}</id>\n`);
  out.push(`    <title>${e(a.title)}</title>\n`);
  if (a.issued) out.push(`    <issued date="${e(a.issued)}"/>\n`);
  if (a.updated) out.push(`    <updated date="${e(a.updated)}"/>\n`);
  if (a.severity) out.push(`    <severity>${e(a.severity)}</severity>\n`);
  if (a.release) out.push(`    <release>${e(a.release)}</release>\n`);
  if (a.summary) out.push(`    <summary>${e(a.summary)}</summary>\n`);
  out.push(`    <description>${e(a.description)}</description>\n`);
  out.push('    <references>\n');
  for (const r of a.references) out.push(`      <reference href="${e(r.href)}" id="${e(r.id)}" type="${e(r.type)}" title="${e(r.title)}"/>\n`);
  out.push('    </references>\n');
  out.push('    <pkglist>\n      <collection>\n');
  for (const p of a.packages) {
    out.push(`        <package name="${e(p.name)}" version="${e(p.version)}" release="${e(p.release)}" epoch="${p.epoch}" arch="${e(p.arch)}"${p.src ? ` src="${e(p.src)}"` : ''}>\n`);
    const filename = p.filename ?? `${p.name}-${p.version}-${p.release}.${p.arch}.rpm`;
    out.push(`          <filename>${e(filename)}</filename>\n`);
    if (p.sum) out.push(`          <sum type="${e(p.sum.type)}">${e(p.sum.value)}</sum>\n`);
    out.push('        </package>\n');
  }
  out.push('      </collection>\n    </pkglist>\n  </update>\n');
  return out.join('');
}

/** The whole updateinfo.xml text for `advisories`, streamed piece by piece. */
export async function* updateinfoXml(advisories: AsyncIterable<Advisory> | Iterable<Advisory>): AsyncGenerator<string> {
  yield UPDATEINFO_OPEN;
  for await (const a of advisories) yield updateinfoAdvisoryXml(a);
  yield UPDATEINFO_CLOSE;
}
