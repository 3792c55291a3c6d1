// What registration needs from a manifest.json body (format "yumvault.manifest/1", DESIGN.md "Formats"):
// the image sha256 (the idempotency key) and the exact builds. Everything else is stored as sent.
import { ManifestError } from '../../src/errors.ts';
import type { ManifestBuild } from '../../src/store/catalog.ts';

export const MANIFEST_FORMAT = 'yumvault.manifest/1';

export interface RegistrationInput {
  imageSha256: string;
  imageName: string | null;
  builds: ManifestBuild[];
}

const HEX64 = /^[0-9a-f]{64}$/;

export function parseRegistration(body: unknown): RegistrationInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ManifestError('the body must be a manifest.json object');
  const m = body as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) throw new ManifestError(`manifest format must be "${MANIFEST_FORMAT}"; got ${JSON.stringify(m.format)}`);
  const image = m.image as Record<string, unknown> | undefined;
  if (!image || typeof image !== 'object' || typeof image.sha256 !== 'string' || !HEX64.test(image.sha256)) {
    throw new ManifestError('manifest image.sha256 must be 64 lowercase hex digits');
  }
  if (!Array.isArray(m.packages)) throw new ManifestError('manifest packages must be a list');
  const builds = m.packages.map((p: unknown, i: number): ManifestBuild => {
    const b = p as Record<string, unknown>;
    const str = (k: string): string => {
      if (!b || typeof b[k] !== 'string' || b[k] === '') throw new ManifestError(`manifest packages[${i}].${k} must be a non-empty string`);
      return b[k] as string;
    };
    const epoch = b?.epoch ?? 0;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new ManifestError(`manifest packages[${i}].epoch must be a non-negative integer`);
    const pkgid = str('pkgid');
    if (!HEX64.test(pkgid)) throw new ManifestError(`manifest packages[${i}].pkgid must be the sha256 of the .rpm (64 lowercase hex digits)`);
    return {
      name: str('name'), epoch, version: str('version'), release: str('release'), arch: str('arch'), pkgid,
      repo: typeof b.repo === 'string' && b.repo !== '' ? b.repo : null,
    };
  });
  return { imageSha256: image.sha256, imageName: typeof image.name === 'string' ? image.name : null, builds };
}

/**
 * Which monitored repo a build's `repo` field names: the repo name itself, a proxy URL (`…/repos/NAME/`,
 * `…/vault/NAME/`) or the upstream base URL. Null when none matches (then every repo is searched).
 */
export function resolveRepoName(field: string | null, repos: readonly { name: string; upstreamUrl: string }[]): string | null {
  if (!field) return null;
  const byName = repos.find((r) => r.name === field);
  if (byName) return byName.name;
  const m = /\/(?:repos|vault)\/([^/]+)\/?$/.exec(field);
  if (m && repos.some((r) => r.name === m[1])) return m[1]!;
  const strip = (u: string): string => u.replace(/\/+$/, '');
  return repos.find((r) => strip(r.upstreamUrl) === strip(field))?.name ?? null;
}
