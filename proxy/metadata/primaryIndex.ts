// location → checksum and size of every package one primary.xml lists, so a package is stored only after
// its bytes match what the metadata promised. Built by streaming the cached primary (src/repo's parser)
// once per revision; only three short strings per package are kept (about 150 bytes each: 10 MB for a
// 70,000-package repository), never the parsed packages.
import type { BlobStore } from '../../src/store/blobStore.ts';
import { streamPrimary } from '../../src/repo/primary.ts';
import { checksumAlgo } from '../../src/repo/repomd.ts';
import type { ExpectedChecksum } from '../passthrough/download.ts';

export interface PackageExpectation {
  checksum: ExpectedChecksum;
  size: number;
  /** sha256 of the package when primary.xml gives it (the pkgid dnf and the catalog use). */
  pkgid: string | null;
}

export class PrimaryIndex {
  private readonly byLocation = new Map<string, string>();

  static async build(blobs: BlobStore, primaryBlob: string, fileName: string): Promise<PrimaryIndex> {
    const index = new PrimaryIndex();
    const source = await blobs.get(primaryBlob);
    try {
      for await (const pkg of streamPrimary(source, { fileName })) {
        if (pkg.location.base) continue; // lives elsewhere: not served under this repository's path
        const algo = checksumAlgo(pkg.checksum.type);
        if (!algo) continue;
        index.byLocation.set(pkg.location.href, `${algo} ${pkg.checksum.value.toLowerCase()} ${pkg.size.package}`);
      }
    } finally {
      source.destroy();
    }
    return index;
  }

  get size(): number {
    return this.byLocation.size;
  }

  lookup(location: string): PackageExpectation | null {
    const v = this.byLocation.get(location);
    if (!v) return null;
    const [algo, hex, size] = v.split(' ') as [string, string, string];
    return { checksum: { algo, hex }, size: Number(size), pkgid: algo === 'sha256' ? hex : null };
  }
}

