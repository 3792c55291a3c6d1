// NEVRA strings as rpm and dnf print them: name-[epoch:]version-release.arch, and package file names
// (name-version-release.arch.rpm). Names may contain '-', versions and releases may not (rpm forbids
// '-' in both), so the split is from the right.

import type { Nevra } from './types.ts';

/**
 * Parse "bash-5.1.8-6.el9.x86_64", "bash-2:5.1.8-6.el9.x86_64" or "bash-5.1.8-6.el9.x86_64.rpm";
 * null when the string has no name-version-release.arch shape.
 */
export function parseNevra(text: string): Nevra | null {
  const s = text.endsWith('.rpm') ? text.slice(0, -4) : text;
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return null;
  const arch = s.slice(dot + 1);
  const nevr = s.slice(0, dot);
  const relDash = nevr.lastIndexOf('-');
  if (relDash <= 0) return null;
  const verDash = nevr.lastIndexOf('-', relDash - 1);
  if (verDash <= 0) return null;
  const name = nevr.slice(0, verDash);
  let version = nevr.slice(verDash + 1, relDash);
  const release = nevr.slice(relDash + 1);
  let epoch = 0;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const e = version.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    version = version.slice(colon + 1);
  }
  if (!name || !version || !release || !arch) return null;
  return { name, epoch, version, release, arch };
}

/** name-[epoch:]version-release.arch (the epoch only when non-zero), as rpm and dnf print it. */
export function formatNevra(n: Nevra): string {
  return `${n.name}-${n.epoch ? `${n.epoch}:` : ''}${n.version}-${n.release}.${n.arch}`;
}

/** A stable key for maps and sets: name-epoch:version-release.arch, epoch always written. */
export function nevraKey(n: Nevra): string {
  return `${n.name}-${n.epoch}:${n.version}-${n.release}.${n.arch}`;
}
