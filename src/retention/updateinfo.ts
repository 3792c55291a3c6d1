// updateinfo.xml, streamed: each <update> becomes an Advisory (id, type, severity, the fixed packages)
// as soon as it closes. Schema: createrepo_c's src/xml_dump_updateinfo.c.
// TEMPORARY here until src/repo ships its updateinfo parser; then this file re-exports it.
import type { Nevra } from '../rpm/types.ts';
import { RepoMetadataError } from '../errors.ts';
import { xmlEventBatches } from '../repo/xmlEvents.ts';
import type { Advisory } from './upstream.ts';

export async function* streamAdvisories(source: AsyncIterable<Uint8Array>, fileName: string): AsyncGenerator<Advisory> {
  let adv: Advisory | null = null;
  let text = '';
  let depth = 0;
  for await (const batch of xmlEventBatches(source, fileName)) {
    for (const ev of batch) {
      if (ev.kind === 'text') {
        text += ev.text;
      } else if (ev.kind === 'open') {
        depth++;
        text = '';
        if (ev.name === 'update' && depth === 2) adv = { id: '', type: ev.attrs.type ?? '', severity: null, packages: [] };
        else if (adv && ev.name === 'package') adv.packages.push(packageOf(ev.attrs, fileName));
      } else {
        if (adv && depth === 3 && ev.name === 'id') adv.id = text.trim();
        else if (adv && depth === 3 && ev.name === 'severity') adv.severity = text.trim() || null;
        else if (adv && depth === 2 && ev.name === 'update') {
          if (!adv.id) throw new RepoMetadataError(`${fileName}: an <update> has no <id>`);
          yield adv;
          adv = null;
        }
        depth--;
        text = '';
      }
    }
  }
}

function packageOf(a: Record<string, string>, fileName: string): Nevra {
  if (!a.name || !a.version || !a.release || !a.arch) throw new RepoMetadataError(`${fileName}: a <package> lacks name, version, release or arch`);
  const epoch = a.epoch ? Number(a.epoch) : 0;
  if (!Number.isInteger(epoch) || epoch < 0) throw new RepoMetadataError(`${fileName}: bad epoch ${JSON.stringify(a.epoch)} for ${a.name}`);
  return { name: a.name, epoch, version: a.version, release: a.release, arch: a.arch };
}
