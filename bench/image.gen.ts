// Owned by the bench helper (B): realistic-image benchmark for issue 4 (generator for bench/image.ts)
// A realistic image for bench/image.ts, made the way alien would: each of a few hundred Debian packages
// installed on this machine is repackaged as an rpm (rpmbuild, zstd payload) with the very files dpkg
// installed, the rpms are indexed by createrepo_c, installed by the real rpm into a root, the root is
// edited as image builds do (configs changed, docs deleted, logs, caches and user data added), and GNU tar
// makes the image. Real binaries, libraries, scripts and data: real sizes and real compressibility.

import { execFileSync, execSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pseudoRandom } from '../test/fixtures-gen/imageGen.ts';

export interface GeneratedImage {
  repoDir: string;
  rpms: string[];
  root: string;
  tar: string;
}

const SAFE_PATH = /^\/[A-Za-z0-9._+\-/@:,=]+$/;

function debPackages(maxPackages: number, maxBytes: number): { name: string; version: string; files: string[] }[] {
  const rows = execFileSync('dpkg-query', ['-W', '-f=${Installed-Size}\t${Package}\t${Version}\n']).toString().trim().split('\n');
  const picked: { name: string; version: string; files: string[] }[] = [];
  let total = 0;
  const candidates = rows
    .map((r) => r.split('\t'))
    .map(([kb, name, version]) => ({ kb: Number(kb), name: name!, version: version! }))
    .filter((p) => p.kb > 20 && p.kb < 40_000 && !/^(google-cloud|kubectl|llvm|openjdk|nodejs|linux-)/.test(p.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const p of candidates) {
    if (picked.length >= maxPackages || total >= maxBytes) break;
    const files = execFileSync('dpkg', ['-L', p.name]).toString().split('\n').filter((f) => {
      if (!SAFE_PATH.test(f) || f.startsWith('/etc/') === false && !f.startsWith('/usr/')) return false;
      try {
        const st = lstatSync(f);
        return st.isFile() || st.isSymbolicLink();
      } catch {
        return false;
      }
    });
    if (files.length === 0) continue;
    total += p.kb * 1024;
    picked.push({ name: p.name, version: p.version, files });
  }
  return picked;
}

function rpmSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._+]/g, '.').replace(/^\.+/, '') || '0';
}

/** Repackages Debian packages as rpms into `repoDir` (skips the work when the repo is already there). */
export function buildRepo(work: string, maxPackages: number, maxBytes: number, log: (s: string) => void): { repoDir: string; rpms: string[] } {
  const repoDir = join(work, 'repo');
  if (existsSync(join(repoDir, 'repodata', 'repomd.xml'))) {
    return { repoDir, rpms: readdirSync(repoDir).filter((f) => f.endsWith('.rpm')).map((f) => join(repoDir, f)) };
  }
  mkdirSync(repoDir, { recursive: true });
  const pkgs = debPackages(maxPackages, maxBytes);
  const seen = new Set<string>();
  const rpms: string[] = [];
  pkgs.forEach((p, i) => {
    const files = p.files.filter((f) => !seen.has(f));
    files.forEach((f) => seen.add(f));
    if (files.length === 0) return;
    const top = join(work, 'build', p.name);
    mkdirSync(top, { recursive: true });
    const list = join(top, 'files.txt');
    writeFileSync(list, files.map((f) => f.slice(1)).join('\n') + '\n');
    const [version, release] = (() => {
      const v = p.version.replace(/^\d+:/, '');
      const dash = v.lastIndexOf('-');
      return dash > 0 ? [rpmSafe(v.slice(0, dash)), rpmSafe(v.slice(dash + 1))] : [rpmSafe(v), '1'];
    })();
    const spec = `Name: deb-${p.name}
Version: ${version}
Release: ${release}
Summary: ${p.name} repackaged from Debian for the yumvault image benchmark
License: various
AutoReqProv: no
BuildArch: noarch
%description
${p.name}
%install
mkdir -p %{buildroot}
tar -C / -cf - -T ${list} | tar -C %{buildroot} -xf -
%files
${files.map((f) => (f.startsWith('/etc/') ? `%config ${f}` : f)).join('\n')}
`;
    writeFileSync(join(top, 'pkg.spec'), spec);
    execFileSync(
      'rpmbuild',
      ['--define', `_topdir ${top}`, '--define', '_binary_payload w3.zstdio', '--define', '__os_install_post %{nil}', '--define', '_build_id_links none', '--define', '_binary_filedigest_algorithm 8', '--define', '_binaries_in_noarch_packages_terminate_build 0', '--define', '_unpackaged_files_terminate_build 0', '--quiet', '-bb', join(top, 'pkg.spec')],
      { stdio: 'pipe' },
    );
    for (const f of readdirSync(join(top, 'RPMS', 'noarch'))) {
      execFileSync('mv', [join(top, 'RPMS', 'noarch', f), join(repoDir, f)]);
      rpms.push(join(repoDir, f));
    }
    rmSync(top, { recursive: true, force: true });
    if (i % 25 === 0) log(`  built ${i + 1}/${pkgs.length} packages`);
  });
  rmSync(join(work, 'build'), { recursive: true, force: true });
  execFileSync('createrepo_c', ['--quiet', repoDir]);
  return { repoDir, rpms };
}

/** Installs every rpm into a fresh root with the real rpm, edits it like an image build, tars it. */
export function buildImage(work: string, rpms: readonly string[], extraBytes: number): { root: string; tar: string } {
  const root = join(work, 'root');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  // rpm's command line can take them all; --replacefiles for the few paths two Debian packages share.
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts', '--replacefiles', ...rpms], { stdio: 'pipe', maxBuffer: 1 << 26 });
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa'], { stdio: 'pipe', maxBuffer: 1 << 26 });
  // Edits an image build makes: configs changed, docs deleted, logs, caches and data added.
  const etc = join(root, 'etc');
  let changed = 0;
  if (existsSync(etc)) {
    for (const f of execSync(`find ${etc} -type f | head -40`).toString().trim().split('\n').filter(Boolean)) {
      appendFileSync(f, `\n# changed by the image build ${changed++}\n`);
    }
  }
  execSync(`find ${join(root, 'usr/share/doc')} -name 'changelog*' -delete 2>/dev/null || true`);
  execSync(`find ${join(root, 'usr/share/man')} -type f -name '*.gz' | head -200 | xargs -r rm -f`);
  mkdirSync(join(root, 'var/log'), { recursive: true });
  mkdirSync(join(root, 'var/cache/app'), { recursive: true });
  mkdirSync(join(root, 'srv/data'), { recursive: true });
  const log = Array.from({ length: 40000 }, (_, i) => `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z build step ${i} ok`).join('\n');
  writeFileSync(join(root, 'var/log/build.log'), log);
  for (let i = 0; i < 8; i++) writeFileSync(join(root, `var/cache/app/blob-${i}.bin`), pseudoRandom(100 + i, Math.floor(extraBytes / 16)));
  for (let i = 0; i < 8; i++) writeFileSync(join(root, `srv/data/table-${i}.csv`), Array.from({ length: Math.floor(extraBytes / 16 / 24) }, (_, j) => `${i},${j},${(j * 7919) % 10007}\n`).join(''));
  const tar = join(work, 'image.tar');
  execFileSync('tar', ['--format=gnu', '-C', root, '-cf', tar, '.'], { stdio: 'pipe' });
  return { root, tar };
}
