// Images made by the real tools, as a CI pipeline makes them: packages built by rpmbuild (gzip, xz and
// zstd payloads), a yum repository by createrepo_c, a root installed by the real rpm
// (`rpm --root R -i --nodeps --noscripts`), edited as built images are, then tarred by GNU tar.

import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync, appendFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export type PayloadKind = 'gzip' | 'xz' | 'zstd';

export interface GenPackage {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  payload: PayloadKind;
  /** Shell lines run in %install (with $B = the buildroot), and the %files section lines. */
  install: string[];
  files: string[];
}

const PAYLOAD_MACRO: Record<PayloadKind, string> = { gzip: 'w9.gzdio', xz: 'w6.xzdio', zstd: 'w19.zstdio' };

function specText(p: GenPackage): string {
  return `Name: ${p.name}
${p.epoch !== undefined ? `Epoch: ${p.epoch}\n` : ''}Version: ${p.version}
Release: ${p.release}
Summary: yumvault image test package ${p.name}
License: MIT
BuildArch: noarch
%description
Test package ${p.name}.
%prep
%build
%install
B=%{buildroot}
${p.install.join('\n')}
%files
${p.files.join('\n')}
`;
}

/** Builds each package with rpmbuild; answers the .rpm paths (in `outDir`). */
export function buildPackages(workDir: string, packages: readonly GenPackage[], outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const out: string[] = [];
  for (const p of packages) {
    const top = join(workDir, `top-${p.name}-${p.version}-${p.release}`);
    mkdirSync(top, { recursive: true });
    const spec = join(top, `${p.name}.spec`);
    writeFileSync(spec, specText(p));
    execFileSync(
      'rpmbuild',
      ['--define', `_topdir ${top}`, '--define', `_binary_payload ${PAYLOAD_MACRO[p.payload]}`, '--define', '_build_id_links none', '--define', '__brp_strip %{nil}', '-bb', spec],
      { stdio: 'pipe' },
    );
    const dir = join(top, 'RPMS', 'noarch');
    for (const f of readdirSync(dir)) {
      execFileSync('cp', [join(dir, f), join(outDir, f)]);
      out.push(join(outDir, f));
    }
    rmSync(top, { recursive: true, force: true });
  }
  return out;
}

export function createRepo(dir: string): void {
  execFileSync('createrepo_c', ['--quiet', dir], { stdio: 'pipe' });
}

/** Installs the packages into `root` with the real rpm; the rpmdb goes to `dbpath` inside the root. */
export function installRoot(root: string, rpms: readonly string[], dbpath = '/var/lib/rpm'): void {
  mkdirSync(root, { recursive: true });
  execFileSync('rpm', ['--root', root, '--dbpath', dbpath, '-i', '--nodeps', '--noscripts', ...rpms], { stdio: 'pipe' });
  // Leave a checkpointed database as a finished image has: a query closes it cleanly.
  execFileSync('rpm', ['--root', root, '--dbpath', dbpath, '-qa'], { stdio: 'pipe' });
}

/** A deterministic pseudo-random byte generator (xorshift), so fixture files have incompressible content. */
export function pseudoRandom(seed: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** The standard test packages: every payload compression, config/doc files, hardlinks, symlinks, empty files, long names. */
export function standardPackages(release = '1'): GenPackage[] {
  const longDir = `/usr/share/alpha/${'deep-directory-name-'.repeat(4)}/${'another-long-component-'.repeat(3)}`;
  return [
    {
      name: 'alpha',
      version: '1.0',
      release,
      payload: 'gzip',
      install: [
        'mkdir -p $B/usr/bin $B/etc $B/usr/share/doc/alpha $B/usr/lib/alpha $B' + longDir,
        `head -c 150000 /dev/urandom > $B/usr/bin/alpha && chmod 755 $B/usr/bin/alpha`,
        `echo "alpha setting=1 release=${release}" > $B/etc/alpha.conf`,
        'seq 1 2000 > $B/usr/share/doc/alpha/README',
        'head -c 40000 /dev/urandom > $B/usr/lib/alpha/libalpha.so.1 && ln $B/usr/lib/alpha/libalpha.so.1 $B/usr/lib/alpha/libalpha-hard.so',
        'ln -s alpha $B/usr/bin/alpha-link',
        ': > $B/usr/lib/alpha/empty',
        `seq 1 500 > $B${longDir}/file-with-a-long-path.txt`,
      ],
      files: ['/usr/bin/alpha', '/usr/bin/alpha-link', '%config(noreplace) /etc/alpha.conf', '%doc /usr/share/doc/alpha/README', '/usr/lib/alpha', '/usr/share/alpha'],
    },
    {
      name: 'beta',
      version: '2.1',
      release,
      payload: 'xz',
      install: [
        'mkdir -p $B/usr/bin $B/usr/share/beta $B/usr/share/doc/beta',
        'head -c 90000 /dev/urandom > $B/usr/bin/beta && chmod 755 $B/usr/bin/beta',
        'seq 1 60000 > $B/usr/share/beta/data.txt',
        'seq 5 900 > $B/usr/share/doc/beta/NEWS',
      ],
      files: ['/usr/bin/beta', '/usr/share/beta', '%doc /usr/share/doc/beta/NEWS'],
    },
    {
      name: 'gamma',
      version: '0.9',
      release,
      epoch: 2,
      payload: 'zstd',
      install: [
        'mkdir -p $B/usr/lib64 $B/etc/gamma',
        'head -c 700000 /dev/urandom > $B/usr/lib64/gamma.bin',
        'echo "gamma=on" > $B/etc/gamma/gamma.conf',
        'head -c 3000 /dev/urandom > $B/usr/lib64/same-as-delta.dat',
      ],
      files: ['/usr/lib64/gamma.bin', '/usr/lib64/same-as-delta.dat', '%dir /etc/gamma', '%config /etc/gamma/gamma.conf'],
    },
  ];
}

/** A package whose later builds exist (for --upgrade and --substitute). */
export function deltaPackage(version: string, release: string): GenPackage {
  return {
    name: 'delta',
    version,
    release,
    payload: 'zstd',
    install: ['mkdir -p $B/usr/bin $B/usr/share/delta', `echo "delta ${version}-${release}" > $B/usr/bin/delta`, 'chmod 755 $B/usr/bin/delta', `seq 1 ${version === '1.0' ? 3000 : 4000} > $B/usr/share/delta/table`],
    files: ['/usr/bin/delta', '/usr/share/delta'],
  };
}

export interface EditOptions {
  /** A sparse file of this many bytes (with some data) at /var/lib/sparse.img; 0 for none. */
  sparseBytes?: number;
  xattrs?: boolean;
}

/** Edits a root as image builds do. */
export function editRoot(root: string, opts: EditOptions = {}): void {
  appendFileSync(join(root, 'etc/alpha.conf'), 'edited=yes\n'); // config file changed
  rmSync(join(root, 'usr/share/doc/beta/NEWS')); // docs deleted
  chmodSync(join(root, 'usr/bin/beta'), 0o700); // mode changed
  mkdirSync(join(root, 'var/log'), { recursive: true });
  writeFileSync(join(root, 'etc/hostname'), 'image-under-test\n'); // files added
  writeFileSync(join(root, 'var/log/build.log'), pseudoRandom(7, 20000).toString('base64'));
  linkSync(join(root, 'usr/lib64/gamma.bin'), join(root, 'usr/lib64/gamma-hardlink.bin')); // hardlink to a package file
  symlinkSync('/usr/bin/alpha', join(root, 'usr/bin/alpha-admin')); // symlink added
  writeFileSync(Buffer.concat([Buffer.from(`${root}/etc/`), Buffer.from([0x6e, 0x6f, 0xe9, 0xff, 0x2e, 0x74, 0x78, 0x74])]), 'latin-1 name\n'); // non-UTF-8 name
  writeFileSync(join(root, 'etc/empty-marker'), ''); // an empty file
  writeFileSync(join(root, 'usr/bin/unpackaged-tool'), pseudoRandom(3, 1000)); // a file no package owns
  if (opts.xattrs) {
    execFileSync('python3', ['-c', `import os; os.setxattr(${JSON.stringify(join(root, 'usr/bin/alpha'))}, 'user.checksum', b'abc'); os.setxattr(${JSON.stringify(join(root, 'etc/hostname'))}, 'user.origin', b'yumvault')`]);
  }
  if (opts.sparseBytes) {
    const p = join(root, 'var/lib/sparse.img');
    mkdirSync(join(root, 'var/lib'), { recursive: true });
    const fd = openSync(p, 'w');
    writeSync(fd, Buffer.from('start of a sparse disk image\n'));
    writeSync(fd, pseudoRandom(11, 4096), 0, 4096, 5 * 1024 * 1024 * 1024);
    closeSync(fd);
    truncateSync(p, opts.sparseBytes);
  }
}

export type TarFormat = 'gnu' | 'pax';

/** Tars `root` with GNU tar as `tar -C root -cf out .` (with --sparse, and --xattrs for pax). */
export function tarRoot(root: string, out: string, format: TarFormat, opts: { xattrs?: boolean } = {}): void {
  const args = ['--sparse', `--format=${format}`, ...(opts.xattrs && format === 'pax' ? ['--xattrs', '--xattrs-include=user.*'] : []), '-C', root, '-cf', out, '.'];
  execFileSync('tar', args, { stdio: 'pipe' });
}
