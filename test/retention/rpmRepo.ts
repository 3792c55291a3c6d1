// A real upstream repository for integration tests: tiny noarch packages built by rpmbuild, published
// with createrepo_c (and modifyrepo_c for updateinfo.xml), served by test/fixtures-gen/httpServer.ts.
// publish() replaces the repository's contents, so a test can add newer builds and evict old ones.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** Builds each spec once into `workDir/rpms` (rpmbuild, ~0.1 s each). */
export function buildRpms(workDir: string, specs: readonly BuildSpec[]): BuiltRpm[] {
  const top = join(workDir, 'rpmbuild');
  const out = join(workDir, 'rpms');
  mkdirSync(out, { recursive: true });
  return specs.map((s) => {
    const specPath = join(workDir, `${s.name}-${s.version}-${s.release}.spec`);
    writeFileSync(
      specPath,
      [
        `Name: ${s.name}`,
        ...(s.epoch ? [`Epoch: ${s.epoch}`] : []),
        `Version: ${s.version}`,
        `Release: ${s.release}`,
        'Summary: yumvault retention test package',
        'License: MIT',
        'BuildArch: noarch',
        '%description',
        `Test package ${s.name} ${s.version}-${s.release}.`,
        '%install',
        `mkdir -p %{buildroot}/usr/share/${s.name}`,
        `echo "${s.name} ${s.version}-${s.release}" > %{buildroot}/usr/share/${s.name}/VERSION`,
        ...(s.payloadBytes ? [`head -c ${s.payloadBytes} /dev/urandom > %{buildroot}/usr/share/${s.name}/blob`] : []),
        '%files',
        `/usr/share/${s.name}/VERSION`,
        ...(s.payloadBytes ? [`/usr/share/${s.name}/blob`] : []),
        '',
      ].join('\n'),
    );
    execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', '_build_id_links none', '--define', '_binary_payload w0.ufdio', specPath], { stdio: 'pipe' });
    const fileName = `${s.name}-${s.version}-${s.release}.noarch.rpm`;
    const path = join(out, fileName);
    copyFileSync(join(top, 'RPMS', 'noarch', fileName), path);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    return { ...s, path, fileName, sha256, nevra: nevraOf(s) };
  });
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
  // createrepo_c writes the new repodata beside the old and swaps it in; old files go.
  execFileSync('createrepo_c', ['--quiet', '--no-database', '--general-compress-type=gz', repoDir], { stdio: 'pipe' });
  if (advisories.length) {
    const xml = join(repoDir, 'updateinfo.xml');
    writeFileSync(xml, updateinfoXml(advisories));
    execFileSync('modifyrepo_c', ['--mdtype=updateinfo', '--compress-type=gz', xml, join(repoDir, 'repodata')], { stdio: 'pipe' });
    rmSync(xml);
  }
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
