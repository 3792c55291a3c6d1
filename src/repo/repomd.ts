// repodata/repomd.xml: the index of a yum repository's metadata files. Schema: createrepo_c's
// src/xml_dump_repomd.c and the "repo" namespace (http://linux.duke.edu/metadata/repo).

import { RepoMetadataError } from '../errors.ts';
import { xmlEvents, xmlEscape, parseCount } from './xmlEvents.ts';

export interface Checksum {
  /** Algorithm as the metadata names it: sha256 (usual), sha1, sha512, md5… ("sha" means sha1). */
  type: string;
  /** Lowercase hex. */
  value: string;
}

/**
 * node:crypto's name for a repodata checksum type (createrepo_c writes sha256; old repos 'sha' = sha1);
 * null for a type we cannot verify.
 */
export function checksumAlgo(type: string): string | null {
  const t = type.toLowerCase();
  if (t === 'sha' || t === 'sha1') return 'sha1';
  if (t === 'sha224' || t === 'sha256' || t === 'sha384' || t === 'sha512' || t === 'md5') return t;
  return null;
}

export interface RepomdEntry {
  /** primary, filelists, other, updateinfo, group, modules, primary_zck, primary_db… */
  type: string;
  /** href relative to the repository base, e.g. repodata/<sha>-primary.xml.gz. */
  location: string;
  /** xml:base of the location, when the file lives elsewhere. */
  locationBase?: string;
  checksum: Checksum;
  openChecksum?: Checksum;
  size?: number;
  openSize?: number;
  timestamp?: number;
  /** zchunk files: the checksum and size of the zchunk header. */
  headerChecksum?: Checksum;
  headerSize?: number;
  databaseVersion?: number;
}

export interface Repomd {
  revision: string;
  entries: RepomdEntry[];
  /** <tags><content>/<repo>/<distro> values, kept so a rewrite can carry them. */
  tags?: { content: string[]; repo: string[]; distro: Array<{ cpeid?: string; value: string }> };
}

/** Parses repomd.xml (string or bytes). Malformed or incomplete → RepoMetadataError naming `fileName`. */
export async function parseRepomd(xml: string | Uint8Array, fileName = 'repomd.xml'): Promise<Repomd> {
  let revision = '';
  const entries: RepomdEntry[] = [];
  const tags: NonNullable<Repomd['tags']> = { content: [], repo: [], distro: [] };
  let entry: Partial<RepomdEntry> | undefined;
  let text = '';
  let pendingChecksum: Checksum | undefined;
  let distroCpe: string | undefined;
  let sawRoot = false;
  const path: string[] = [];

  for await (const ev of xmlEvents([xml], fileName)) {
    if (ev.kind === 'text') {
      text += ev.text;
      continue;
    }
    if (ev.kind === 'open') {
      if (path.length === 0) {
        if (ev.name !== 'repomd') throw new RepoMetadataError(`${fileName}: root element is <${ev.name}>, not <repomd>`);
        sawRoot = true;
      }
      path.push(ev.name);
      text = '';
      if (ev.name === 'data' && path.length === 2) {
        if (!ev.attrs.type) throw new RepoMetadataError(`${fileName}: <data> without a type`);
        entry = { type: ev.attrs.type };
      } else if (entry && path.length === 3) {
        if (ev.name === 'location') {
          if (!ev.attrs.href) throw new RepoMetadataError(`${fileName}: <location> of ${entry.type} without href`);
          entry.location = ev.attrs.href;
          if (ev.attrs.base) entry.locationBase = ev.attrs.base;
        } else if (ev.name === 'checksum' || ev.name === 'open-checksum' || ev.name === 'header-checksum') {
          pendingChecksum = { type: normaliseChecksumType(ev.attrs.type ?? ''), value: '' };
        }
      } else if (ev.name === 'distro') {
        distroCpe = ev.attrs.cpeid;
      }
      continue;
    }
    // close
    const name = path.pop();
    const value = text.trim();
    text = '';
    if (entry && path.length === 2) {
      switch (name) {
        case 'checksum':
        case 'open-checksum':
        case 'header-checksum': {
          const c = { type: pendingChecksum?.type ?? '', value: value.toLowerCase() };
          if (name === 'checksum') entry.checksum = c;
          else if (name === 'open-checksum') entry.openChecksum = c;
          else entry.headerChecksum = c;
          break;
        }
        case 'size':
          entry.size = parseCount(value, `size of ${entry.type}`, fileName);
          break;
        case 'open-size':
          entry.openSize = parseCount(value, `open-size of ${entry.type}`, fileName);
          break;
        case 'header-size':
          entry.headerSize = parseCount(value, `header-size of ${entry.type}`, fileName);
          break;
        case 'timestamp':
          entry.timestamp = Math.trunc(Number(value)) || 0;
          break;
        case 'database_version':
          entry.databaseVersion = parseCount(value, 'database_version', fileName);
          break;
      }
    } else if (name === 'data' && entry) {
      if (!entry.location) throw new RepoMetadataError(`${fileName}: ${entry.type} has no <location>`);
      if (!entry.checksum?.value) throw new RepoMetadataError(`${fileName}: ${entry.type} has no <checksum>`);
      entries.push(entry as RepomdEntry);
      entry = undefined;
    } else if (name === 'revision' && path.length === 1) {
      revision = value;
    } else if (path.length === 2 && path[1] === 'tags') {
      if (name === 'content') tags.content.push(value);
      else if (name === 'repo') tags.repo.push(value);
      else if (name === 'distro') tags.distro.push(distroCpe ? { cpeid: distroCpe, value } : { value });
    }
  }
  if (!sawRoot) throw new RepoMetadataError(`${fileName}: no <repomd> element`);
  const result: Repomd = { revision, entries };
  if (tags.content.length || tags.repo.length || tags.distro.length) result.tags = tags;
  return result;
}

/** The entry of `type` (primary, updateinfo…), or undefined. */
export function repomdEntry(repomd: Repomd, type: string): RepomdEntry | undefined {
  return repomd.entries.find((e) => e.type === type);
}

/** "sha" is yum's old name for sha1. */
export function normaliseChecksumType(t: string): string {
  const lower = t.toLowerCase();
  return lower === 'sha' ? 'sha1' : lower;
}

/** repomd.xml text as createrepo_c writes it (entries in the order given). */
export function writeRepomd(repomd: Repomd): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push('<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n');
  out.push(`  <revision>${xmlEscape(repomd.revision)}</revision>\n`);
  const t = repomd.tags;
  if (t && (t.content.length || t.repo.length || t.distro.length)) {
    out.push('  <tags>\n');
    for (const c of t.content) out.push(`    <content>${xmlEscape(c)}</content>\n`);
    for (const r of t.repo) out.push(`    <repo>${xmlEscape(r)}</repo>\n`);
    for (const d of t.distro) out.push(`    <distro${d.cpeid ? ` cpeid="${xmlEscape(d.cpeid)}"` : ''}>${xmlEscape(d.value)}</distro>\n`);
    out.push('  </tags>\n');
  }
  for (const e of repomd.entries) {
    out.push(`  <data type="${xmlEscape(e.type)}">\n`);
    out.push(`    <checksum type="${xmlEscape(e.checksum.type)}">${e.checksum.value}</checksum>\n`);
    if (e.openChecksum) out.push(`    <open-checksum type="${xmlEscape(e.openChecksum.type)}">${e.openChecksum.value}</open-checksum>\n`);
    if (e.headerChecksum) out.push(`    <header-checksum type="${xmlEscape(e.headerChecksum.type)}">${e.headerChecksum.value}</header-checksum>\n`);
    out.push(`    <location ${e.locationBase ? `xml:base="${xmlEscape(e.locationBase)}" ` : ''}href="${xmlEscape(e.location)}"/>\n`);
    if (e.timestamp !== undefined) out.push(`    <timestamp>${e.timestamp}</timestamp>\n`);
    if (e.size !== undefined) out.push(`    <size>${e.size}</size>\n`);
    if (e.openSize !== undefined) out.push(`    <open-size>${e.openSize}</open-size>\n`);
    if (e.headerSize !== undefined) out.push(`    <header-size>${e.headerSize}</header-size>\n`);
    if (e.databaseVersion !== undefined) out.push(`    <database_version>${e.databaseVersion}</database_version>\n`);
    out.push('  </data>\n');
  }
  out.push('</repomd>\n');
  return out.join('');
}
