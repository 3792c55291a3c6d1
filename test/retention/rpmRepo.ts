// A real upstream repository for integration tests: tiny noarch packages built by rpmbuild (through
// test/fixtures-gen/rpmbuild.ts), published with createrepo_c (and modifyrepo_c for updateinfo.xml),
// served by test/fixtures-gen/httpServer.ts.
// publish() replaces the repository's contents, so a test can add newer builds and evict old ones.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createrepo } from '../fixtures-gen/createrepo.ts';
import { buildRpm, noiseBytes } from '../fixtures-gen/rpmbuild.ts';

export interface BuildSpec {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  /** Extra random bytes in the package (uncompressed payload), to make downloads take time. */
  payloadBytes?: number;
}

export interface BuiltRpm extends BuildSpec {
  path: string;
  fileName: string;
  sha256: string;
  nevra: string;
}

export interface AdvisorySpec {
  id: string;
  type: 'security' | 'bugfix' | 'enhancement';
  severity?: string;
  packages: BuildSpec[];
}

export function nevraOf(b: BuildSpec): string {
  return `${b.name}-${b.epoch ? `${b.epoch}:` : ''}${b.version}-${b.release}.noarch`;
}

/** Builds each spec (cached by fixtures-gen/rpmbuild.ts) and copies it into `workDir/rpms`. */
export async function buildRpms(workDir: string, specs: readonly BuildSpec[]): Promise<BuiltRpm[]> {
  const out = join(workDir, 'rpms');
  mkdirSync(out, { recursive: true });
  const built: BuiltRpm[] = [];
  for (const s of specs) {
    const share = `/usr/share/${s.name}`;
    const rpm = await buildRpm({
      name: s.name,
      epoch: s.epoch,
      version: s.version,
      release: s.release,
      summary: 'yumvault retention test package',
      description: `Test package ${s.name} ${s.version}-${s.release}.`,
      compression: 'none',
      files: [
        { path: `${share}/VERSION`, content: `${s.name} ${s.version}-${s.release}\n` },
        ...(s.payloadBytes ? [{ path: `${share}/blob`, content: noiseBytes(s.payloadBytes, nevraOf(s)) }] : []),
      ],
    });
    const fileName = `${s.name}-${s.version}-${s.release}.noarch.rpm`;
    const path = join(out, fileName);
    copyFileSync(rpm, path);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    built.push({ ...s, path, fileName, sha256, nevra: nevraOf(s) });
  }
  return built;
}

/** Replaces the repository at `repoDir` with exactly `builds` (Packages/<first letter>/…) and their repodata. */
export function publishRepo(repoDir: string, builds: readonly BuiltRpm[], advisories: readonly AdvisorySpec[] = []): void {
  mkdirSync(repoDir, { recursive: true });
  rmSync(join(repoDir, 'Packages'), { recursive: true, force: true });
  for (const b of builds) {
    const dir = join(repoDir, 'Packages', b.name[0]!);
    mkdirSync(dir, { recursive: true });
    copyFileSync(b.path, join(dir, b.fileName));
  }
  if (!advisories.length) return createrepo(repoDir);
  const xml = join(repoDir, 'updateinfo.xml');
  writeFileSync(xml, updateinfoXml(advisories));
  createrepo(repoDir, { updateinfo: xml });
  rmSync(xml);
}

export function repodataFiles(repoDir: string): string[] {
  return readdirSync(join(repoDir, 'repodata')).sort();
}

function updateinfoXml(advisories: readonly AdvisorySpec[]): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const body = advisories.map((a) => {
    const pkgs = a.packages
      .map((p) => `      <package name="${esc(p.name)}" version="${esc(p.version)}" release="${esc(p.release)}" epoch="${p.epoch ?? 0}" arch="noarch" src="${esc(p.name)}.src.rpm"><filename>${esc(p.name)}-${esc(p.version)}-${esc(p.release)}.noarch.rpm</filename></package>`)
      .join('\n');
    return `  <update from="test@example.invalid" status="stable" type="${a.type}" version="1.4">
    <id>${esc(a.id)}</id>
    <title>${esc(a.id)}</title>
    <issued date="2026-01-01 00:00:00"/>
    ${a.severity ? `<severity>${esc(a.severity)}</severity>` : ''}
    <description>test advisory</description>
    <pkglist>
     <collection short="test">
      <name>test</name>
${pkgs}
     </collection>
    </pkglist>
  </update>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n${body.join('\n')}\n</updates>\n`;
}
