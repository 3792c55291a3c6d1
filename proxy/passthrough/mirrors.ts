// Where a repository's upstream lives now: its configured base URL, or the first mirror a mirrorlist (one
// URL a line) or metalink (<url> elements ending in repodata/repomd.xml) names whose host is not offline
// (UpstreamClient counts failures per host). The list is re-read after the repo's metadata TTL; a failure
// to read it keeps the list read before.
import { UpstreamError } from '../../src/errors.ts';
import type { RepoConfig } from '../config.ts';
import type { UpstreamClient } from './upstream.ts';

export class MirrorChooser {
  private readonly repo: RepoConfig;
  private readonly upstream: UpstreamClient;
  private readonly now: () => number;
  private list: string[] = [];
  private listAt = 0;

  constructor(repo: RepoConfig, upstream: UpstreamClient, now: () => number) {
    this.repo = repo;
    this.upstream = upstream;
    this.now = now;
  }

  /** The first mirror of the list whose host is not offline (the first one when all are). */
  async baseUrl(): Promise<string> {
    if (this.repo.upstream) return this.repo.upstream;
    if (this.list.length === 0 || this.now() - this.listAt >= Math.max(this.repo.metadataTtlMs, 60_000)) {
      try {
        const list = this.repo.metalink ? await this.read(this.repo.metalink, parseMetalink) : await this.read(this.repo.mirrorlist!, parseMirrorlist);
        if (list.length === 0) throw new UpstreamError(`${this.repo.name}: the mirror list names no http(s) mirror`, { status: 502 });
        this.list = list;
        this.listAt = this.now();
      } catch (e) {
        if (this.list.length === 0) throw e;
      }
    }
    return this.list.find((m) => !this.upstream.isOffline(m)) ?? this.list[0]!;
  }

  private async read(url: string, parse: (text: string) => string[]): Promise<string[]> {
    const res = await this.upstream.get(url);
    if (res.status !== 200) {
      res.body.resume();
      throw new UpstreamError(`mirror list ${url} answered ${res.status}`, { status: 502 });
    }
    let text = '';
    for await (const c of res.body as AsyncIterable<Buffer>) {
      text += c.toString('utf8');
      if (text.length > 4 * 1024 * 1024) throw new UpstreamError(`mirror list ${url} is too large`, { status: 502 });
    }
    return parse(text);
  }
}

export function parseMirrorlist(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^https?:\/\//.test(l))
    .map((l) => (l.endsWith('/') ? l : `${l}/`));
}

export function parseMetalink(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<url\b[^>]*>\s*([^<\s]+)\s*<\/url>/g)) {
    const u = m[1]!.replace(/&amp;/g, '&');
    if (!/^https?:\/\//.test(u)) continue;
    out.push(u.replace(/repodata\/repomd\.xml$/, ''));
  }
  return out.map((l) => (l.endsWith('/') ? l : `${l}/`));
}
