// An in-memory UpstreamSource for unit tests of the monitor's decisions (integration tests use a real
// HTTP upstream built with rpmbuild + createrepo_c).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { UpstreamError } from '../../src/errors.ts';
import type { Advisory, UpstreamSnapshot, UpstreamSource } from '../../src/retention/upstream.ts';
import type { ListedPackage } from '../../src/store/catalog.ts';

export interface FakePackage extends ListedPackage {
  bytes: Buffer;
}

export function fakePackage(name: string, version: string, release: string, epoch = 0, arch = 'x86_64'): FakePackage {
  const bytes = Buffer.from(`rpm bytes of ${name}-${epoch}:${version}-${release}.${arch}\n`.repeat(50));
  return {
    name, epoch, version, release, arch, bytes,
    pkgid: createHash('sha256').update(bytes).digest('hex'),
    checksumType: 'sha256',
    location: `Packages/${name[0]}/${name}-${version}-${release}.${arch}.rpm`,
    size: bytes.length,
  };
}

export class FakeUpstream implements UpstreamSource {
  packagesNow: FakePackage[] = [];
  advisoriesNow: Advisory[] = [];
  revision = 1;
  downloads: string[] = [];
  /** location → bytes to serve instead (corruption). */
  corrupt = new Map<string, Buffer>();
  failSnapshot = false;

  publish(pkgs: FakePackage[], advisories: Advisory[] = this.advisoriesNow): void {
    this.packagesNow = pkgs;
    this.advisoriesNow = advisories;
    this.revision++;
  }

  async snapshot(): Promise<UpstreamSnapshot> {
    if (this.failSnapshot) throw new UpstreamError('upstream answered 500', { status: 500 });
    return { scanId: `rev${this.revision}`, revision: String(this.revision), updateinfoId: this.advisoriesNow.length ? `ui${this.revision}` : null };
  }

  async *packages(): AsyncIterable<ListedPackage> {
    for (const { bytes: _bytes, ...p } of this.packagesNow) yield p;
  }

  async *advisories(): AsyncIterable<Advisory> {
    yield* this.advisoriesNow;
  }

  async download(pkg: Pick<ListedPackage, 'location'>): Promise<Readable> {
    this.downloads.push(pkg.location);
    const found = this.packagesNow.find((p) => p.location === pkg.location);
    if (!found) throw new UpstreamError(`404 for ${pkg.location}`, { status: 404 });
    return Readable.from([this.corrupt.get(pkg.location) ?? found.bytes]);
  }
}
