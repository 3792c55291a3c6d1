// What the monitor needs from an upstream repository. The production implementation adapts src/repo's
// RepoClient and streaming parsers (repoSource.ts); tests may pass another.
import type { Readable } from 'node:stream';
import type { ListedPackage } from '../store/catalog.ts';
import type { Nevra } from '../rpm/types.ts';

export interface UpstreamSnapshot {
  /** Identifies one primary: changes whenever upstream publishes a new one (revision + primary checksum). */
  scanId: string;
  revision: string;
  /** Identifies the updateinfo (its checksum), or null when the repository has none. */
  updateinfoId: string | null;
}

export interface Advisory {
  id: string;
  /** updateinfo's type: security, bugfix, enhancement, newpackage. */
  type: string;
  severity: string | null;
  packages: Nevra[];
}

export interface UpstreamSource {
  snapshot(): Promise<UpstreamSnapshot>;
  /** Streams primary.xml's packages; the monitor never holds them all. */
  packages(snapshot: UpstreamSnapshot): AsyncIterable<ListedPackage>;
  advisories(snapshot: UpstreamSnapshot): AsyncIterable<Advisory>;
  /** The package's bytes as upstream serves them (UpstreamError on HTTP failure). */
  download(pkg: Pick<ListedPackage, 'location' | 'locationBase'>): Promise<Readable | AsyncIterable<Uint8Array>>;
  /** Releases connections. */
  close?(): Promise<void>;
}
