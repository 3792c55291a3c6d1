// What decompose and restore need from the layers below (src/rpmdb, src/repo, src/rpm), as narrow
// interfaces: the real implementations are wired in sources.ts; tests may pass their own.

import type { Nevra, RpmFile } from '../rpm/types.ts';
import type { ImageReader } from './imageReader.ts';

/** One package installed in the image, from its rpmdb. */
export interface InstalledBuild {
  nevra: Nevra;
  /** SIGMD5 (hex), "" when absent. */
  sigmd5: string;
  /** SHA256HEADER (hex), "" when absent. */
  sha256Header: string;
  files: RpmFile[];
}

/** A build a repository lists. */
export interface RepoBuild {
  nevra: Nevra;
  /** The repository as the user gave it (--repo). */
  repo: string;
  /** sha256 of the .rpm when the repository's metadata says it (checksum type sha256); else computed on download. */
  sha256?: string;
}

/** The identifying digests of a build's header (read from the header range only). */
export interface BuildHeaderDigests {
  sigmd5: string;
  sha256Header: string;
}

/** One repository (--repo URL): http(s)://, file:// or a plain path. */
export interface BuildRepo {
  readonly url: string;
  /** The build with exactly this NEVRA, if listed. */
  find(nevra: Nevra): Promise<RepoBuild | undefined>;
  /** Every build of `name` for `arch` the repository lists (for --substitute and --upgrade). */
  versions(name: string, arch: string): Promise<RepoBuild[]>;
  /** SIGMD5 / SHA256HEADER of the build, fetching only the header range. */
  headerDigests(build: RepoBuild): Promise<BuildHeaderDigests>;
  /**
   * Downloads the whole .rpm to `dest`, verified against the repository's checksum; answers its sha256.
   * A repository on this machine may answer `path` instead: the file to read in place (nothing at `dest`);
   * with `deferLocalCheck` and a sha256 in its metadata it may also leave hashing it to the caller
   * (`unverified`: the answer's sha256 is the metadata's, the caller checks the bytes before use).
   * With `memory`, a download whose size the metadata gives may come as `bytes` (verified, nothing at
   * `dest`), held against the budget until the caller calls `release`.
   */
  download(build: RepoBuild, dest: string, opts?: { deferLocalCheck?: boolean; memory?: MemoryBudget }): Promise<{ sha256: string; path?: string; unverified?: boolean; bytes?: Buffer; release?: () => void }>;
  /** Security advisories (updateinfo.xml) naming a build that supersedes `nevra` (the ids), if the repository has updateinfo. */
  advisoriesSuperseding?(nevra: Nevra): Promise<string[]>;
  close?(): Promise<void>;
}

/** A payload entry as restore needs it. */
export interface PayloadFile {
  /** Index into the header's file list. */
  fileIndex: number;
  body: AsyncIterable<Uint8Array>;
}

/** A PayloadFile of a payload held whole in memory: its data is a view of it. */
export interface WholeFile {
  fileIndex: number;
  data: Uint8Array;
}

export interface ImageDeps {
  readInstalled(reader: ImageReader): Promise<InstalledBuild[]>;
  openRepo(url: string): BuildRepo;
  /** Header files of a downloaded .rpm, and its payload entries in payload order. */
  openPackage(rpmPath: string): Promise<{ nevra: Nevra; files: RpmFile[]; payload: AsyncIterable<PayloadFile>; close(): Promise<void> }>;
}

/** True when two builds are the same build: SHA256HEADER when both have one, else SIGMD5. */
export function sameBuild(a: BuildHeaderDigests, b: BuildHeaderDigests): boolean {
  if (a.sha256Header && b.sha256Header) return a.sha256Header.toLowerCase() === b.sha256Header.toLowerCase();
  if (a.sigmd5 && b.sigmd5) return a.sigmd5.toLowerCase() === b.sigmd5.toLowerCase();
  return false;
}

/**
 * Bytes that may be held in memory at once (restore's downloads). One claim larger than the budget is let
 * through when nothing else is held, so that it cannot wait forever.
 */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: { bytes: number; go: () => void }[] = [];
  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Resolves once `bytes` are held; answers the function that gives them back (once). */
  async claim(bytes: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.used += bytes;
    else await new Promise<void>((go) => this.waiting.push({ bytes, go })); // held for it by the release that wakes it
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= bytes;
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
        const next = this.waiting.shift()!;
        this.used += next.bytes;
        next.go();
      }
    };
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
}

/** Runs `fn` over `items` with at most `limit` at once, keeping order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false; // after one failure no new item starts (the caller is about to clean up)
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  // Every worker settles before this returns or throws: the caller's cleanup must not race work in flight.
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
}
