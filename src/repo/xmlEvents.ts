// Streaming XML for repodata: saxes (pure JS, well kept, strict well-formedness) turns each input chunk into
// a small batch of open/text/close events that we yield, so memory is bounded by the chunk size whatever the
// document size. Element names are reduced to their local part ("rpm:entry" → "entry"): createrepo_c and
// yum always use the same prefixes, and no repodata schema reuses a local name across namespaces in a way
// that matters to us.

import { SaxesParser } from 'saxes';
import { RepoMetadataError } from '../errors.ts';

export type XmlEvent =
  | { kind: 'open'; name: string; attrs: Record<string, string> }
  | { kind: 'text'; text: string }
  | { kind: 'close'; name: string };

/** Longest run of input without an element boundary that we accept (64 Mi characters). */
export const MAX_TEXT_CHARS = 64 * 1024 * 1024;

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/**
 * Batches of events for `source` (bytes as UTF-8, or strings). Malformed XML ends the iteration with a
 * RepoMetadataError naming `fileName` and the position.
 */
export async function* xmlEventBatches(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, fileName: string): AsyncGenerator<XmlEvent[]> {
  const parser = new SaxesParser({ position: true, fileName });
  let batch: XmlEvent[] = [];
  let failure: Error | undefined;
  parser.on('opentag', (tag) => {
    // Without namespace processing saxes hands attributes as plain strings; copy only to strip prefixes.
    let attrs = tag.attributes as Record<string, string>;
    for (const k in attrs) {
      if (k.includes(':')) {
        const copy: Record<string, string> = {};
        for (const [key, v] of Object.entries(attrs)) copy[localName(key)] = v;
        attrs = copy;
        break;
      }
    }
    batch.push({ kind: 'open', name: localName(tag.name), attrs });
    if (tag.isSelfClosing) batch.push({ kind: 'close', name: localName(tag.name) });
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) batch.push({ kind: 'close', name: localName(tag.name) });
  });
  parser.on('text', (text) => batch.push({ kind: 'text', text }));
  parser.on('cdata', (text) => batch.push({ kind: 'text', text }));
  parser.on('error', (err) => {
    failure ??= err;
  });
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const feed = (chunk: string) => {
    parser.write(chunk);
    if (failure) throw new RepoMetadataError(`${fileName} is not well-formed XML: ${failure.message}`, { cause: failure });
  };
  let sawAny = false;
  // saxes gathers a text node whole before reporting it: bound how much input may pass without any event,
  // so a hostile or broken file cannot make us buffer gigabytes of "text".
  let sinceEvent = 0;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length === 0) continue;
    sawAny = true;
    feed(text);
    if (batch.length) {
      sinceEvent = 0;
      const out = batch;
      batch = [];
      yield out;
    } else if ((sinceEvent += text.length) > MAX_TEXT_CHARS) {
      throw new RepoMetadataError(`${fileName}: a text node or tag is longer than ${MAX_TEXT_CHARS} characters`);
    }
  }
  const tail = decoder.decode();
  if (tail) feed(tail);
  if (!sawAny) throw new RepoMetadataError(`${fileName} is empty`);
  parser.close();
  if (failure) throw new RepoMetadataError(`${fileName} is not well-formed XML: ${(failure as Error).message}`, { cause: failure });
  if (batch.length) yield batch;
}

/** Every event of a small document, one at a time. */
export async function* xmlEvents(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, fileName: string): AsyncGenerator<XmlEvent> {
  for await (const batch of xmlEventBatches(source, fileName)) yield* batch;
}

/** Escapes text for element content and attribute values, dropping characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** A non-negative integer attribute or text; RepoMetadataError otherwise. */
export function parseCount(value: string | undefined, what: string, fileName: string): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < 0) throw new RepoMetadataError(`${fileName}: ${what} '${value}' is not a non-negative integer`);
  return n;
}
