import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpm, writeRpm, type RpmSpec } from '../../src/demo/rpmWriter.ts';
import { binaryBytes } from '../../src/demo/demoPackages.ts';
import { rpmRoot, run, sh } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-rpmwriter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const big = binaryBytes('big', 200_000);

function spec(compressor: 'gzip' | 'zstd'): RpmSpec {
  return {
    name: `tpkg-${compressor}`,
    epoch: 3,
    version: '2.5.1',
    release: '7.el9',
    arch: 'x86_64',
    summary: 'A test package',
    description: 'Several lines\nof description.',
    license: 'GPL-2.0-or-later',
    url: 'https://example.invalid/tpkg',
    compressor,
    buildTime: 1_650_000_000,
    requires: ['coreutils', 'libfoo >= 1.2', { name: 'bar', op: '<', version: '3' }],
    provides: ['tpkg-virtual = 1'],
    files: [
      { path: '/usr/bin/tpkg', contents: big, mode: 0o755 },
      { path: '/usr/bin/tpkg-link', type: 'symlink', linkTo: 'tpkg' },
      { path: '/etc/tpkg.conf', contents: 'key = value\n', flags: ['config', 'noreplace'], mtime: 1_600_000_000 },
      { path: '/usr/share/doc/tpkg', type: 'dir' },
      { path: '/usr/share/doc/tpkg/README', contents: 'read me\n', flags: ['doc'] },
      { path: '/usr/share/licenses/tpkg/COPYING', contents: 'license\n', flags: ['license'] },
      { path: '/usr/share/tpkg/empty', contents: '' },
      { path: '/usr/share/tpkg/ünïcödé name.txt', contents: 'utf-8 names\n', user: 'bin', group: 'daemon', mode: 0o640 },
      { path: '/var/lib/tpkg', type: 'dir', mode: 0o700 },
      { path: '/var/log/tpkg.log', flags: ['ghost'] },
    ],
  };
}

const files: Record<string, string> = {};
beforeAll(async () => {
  for (const c of ['gzip', 'zstd'] as const) {
    const f = join(dir, `${c}.rpm`);
    writeFileSync(f, await writeRpm(spec(c)));
    files[c] = f;
  }
});

describe.each(['gzip', 'zstd'] as const)('writeRpm (%s payload) read by the real rpm', (compressor) => {
  it('passes rpm -K --nosignature (header SHA256/SHA1, payload SHA256, MD5)', () => {
    const r = run('rpm', ['-K', '-v', '--nosignature', files[compressor]!]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Header SHA256 digest: OK/);
    expect(r.stdout).toMatch(/Header SHA1 digest: OK/);
    expect(r.stdout).toMatch(/Payload SHA256 digest: OK/);
    expect(r.stdout).toMatch(/MD5 digest: OK/);
  });

  it('rpm -qp reads back every field', () => {
    const q = (fmt: string) => run('rpm', ['-qp', '--qf', fmt, files[compressor]!]).stdout;
    const s = spec(compressor);
    expect(q('%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SUMMARY}|%{LICENSE}|%{URL}|%{BUILDTIME}|%{OS}')).toBe(
      `${s.name}|3|2.5.1|7.el9|x86_64|A test package|GPL-2.0-or-later|https://example.invalid/tpkg|1650000000|linux`,
    );
    expect(q('%{DESCRIPTION}')).toBe(s.description);
    expect(q('%{SOURCERPM}|%{PAYLOADFORMAT}|%{PAYLOADCOMPRESSOR}|%{FILEDIGESTALGO}|%{ENCODING}')).toBe(
      `${s.name}-2.5.1-7.el9.src.rpm|cpio|${compressor}|8|utf-8`,
    );
    const rows = q('[%{FILENAMES}|%{FILEMODES:octal}|%{FILESIZES}|%{FILEDIGESTS}|%{FILEFLAGS:fflags}|%{FILEUSERNAME}|%{FILEGROUPNAME}|%{FILELINKTOS}|%{FILEMTIMES}\n]')
      .trim()
      .split('\n');
    const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
    expect(rows).toEqual([
      `/etc/tpkg.conf|100644|12|${sha('key = value\n')}|cn|root|root||1600000000`,
      `/usr/bin/tpkg|100755|200000|${sha(big)}||root|root||1650000000`,
      '/usr/bin/tpkg-link|120777|4|||root|root|tpkg|1650000000',
      '/usr/share/doc/tpkg|40755|0|||root|root||1650000000',
      `/usr/share/doc/tpkg/README|100644|8|${sha('read me\n')}|d|root|root||1650000000`,
      `/usr/share/licenses/tpkg/COPYING|100644|8|${sha('license\n')}|l|root|root||1650000000`,
      `/usr/share/tpkg/empty|100644|0|${sha('')}||root|root||1650000000`,
      `/usr/share/tpkg/ünïcödé name.txt|100640|12|${sha('utf-8 names\n')}||bin|daemon||1650000000`,
      '/var/lib/tpkg|40700|0|||root|root||1650000000',
      '/var/log/tpkg.log|100644|0||g|root|root||1650000000',
    ]);
    expect(q('[%{REQUIRENAME} %{REQUIREFLAGS:depflags} %{REQUIREVERSION}\n]')).toContain('libfoo >= 1.2\n');
    expect(q('[%{REQUIRENAME} %{REQUIREFLAGS:depflags} %{REQUIREVERSION}\n]')).toContain('bar < 3\n');
    expect(q('[%{PROVIDENAME} %{PROVIDEFLAGS:depflags} %{PROVIDEVERSION}\n]').trim().split('\n')).toEqual([
      'tpkg-virtual = 1',
      `${s.name} = 3:2.5.1-7.el9`,
      `${s.name}(x86-64) = 3:2.5.1-7.el9`,
    ]);
  });

  it('rpm2cpio | cpio -t lists every file of the payload (ghosts excepted)', () => {
    const r = sh(`rpm2cpio '${files[compressor]}' | cpio -t --quiet`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      './etc/tpkg.conf',
      './usr/bin/tpkg',
      './usr/bin/tpkg-link',
      './usr/share/doc/tpkg',
      './usr/share/doc/tpkg/README',
      './usr/share/licenses/tpkg/COPYING',
      './usr/share/tpkg/empty',
      './usr/share/tpkg/ünïcödé name.txt',
      './var/lib/tpkg',
    ]);
  });

  it('rpm -i installs it and rpm -V finds nothing modified', () => {
    const root = join(dir, `root-${compressor}`);
    mkdirSync(root);
    // A passwd/group in the root so the non-root owner resolves as it would on a real system.
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nbin:x:1:1::/bin:/sbin/nologin\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nbin:x:1:\ndaemon:x:2:\n');
    const i = rpmRoot(root, ['-i', '--nodeps', '--noscripts', files[compressor]!]);
    expect(i.status, i.stderr).toBe(0);
    expect(readFileSync(join(root, 'usr/bin/tpkg'))).toEqual(Buffer.from(big));
    expect(readlinkSync(join(root, 'usr/bin/tpkg-link'))).toBe('tpkg');
    expect(statSync(join(root, 'var/lib/tpkg')).mode & 0o7777).toBe(0o700);
    expect(existsSync(join(root, 'var/log/tpkg.log'))).toBe(false);
    const v = rpmRoot(root, ['-V', '--nodeps', '-a']);
    expect(v.stdout).toBe('');
    expect(v.status).toBe(0);
  });
});

describe('writeRpm output', () => {
  it('is deterministic: same spec, same bytes', async () => {
    const a = await buildRpm(spec('zstd'));
    const b = await buildRpm(spec('zstd'));
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    expect(a.sha256).toBe(createHash('sha256').update(a.bytes).digest('hex'));
  });

  it('reports the header range and digests rpm records', async () => {
    const a = await buildRpm(spec('gzip'));
    const header = a.bytes.subarray(a.headerStart, a.headerEnd);
    expect([...header.subarray(0, 3)]).toEqual([0x8e, 0xad, 0xe8]);
    expect(createHash('sha256').update(header).digest('hex')).toBe(a.headerSha256);
    const r = run('rpm', ['-qp', '--qf', '%{SHA256HEADER} %{SHA1HEADER} %{SIGMD5}', files.gzip!]);
    expect(r.stdout).toBe(`${a.headerSha256} ${a.headerSha1} ${Buffer.from(a.sigMd5).toString('hex')}`);
  });

  it('rejects relative and duplicate paths', async () => {
    await expect(buildRpm({ ...spec('gzip'), files: [{ path: 'usr/bin/x', contents: '' }] })).rejects.toThrow(/absolute/);
    await expect(buildRpm({ ...spec('gzip'), files: [{ path: '/a/../b', contents: '' }] })).rejects.toThrow(/normalized/);
    await expect(
      buildRpm({ ...spec('gzip'), files: [{ path: '/x', contents: '' }, { path: '/x', contents: '' }] }),
    ).rejects.toThrow(/twice/);
  });

  it('createrepo_c indexes it and dnf installs it with its dependency', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const lib = await buildRpm({ name: 'libfoo', version: '1.3', release: '1', arch: 'x86_64', summary: 'lib', compressor: 'gzip', files: [{ path: '/usr/lib64/libfoo.so.1', contents: 'elf' }] });
    const app = await buildRpm({ name: 'app', version: '1', release: '1', arch: 'x86_64', summary: 'app', compressor: 'zstd', requires: ['libfoo >= 1.2'], files: [{ path: '/usr/bin/app', contents: 'app', mode: 0o755 }] });
    writeFileSync(join(repo, lib.fileName), lib.bytes);
    writeFileSync(join(repo, app.fileName), app.bytes);
    const c = run('createrepo_c', ['-q', repo]);
    expect(c.status, c.stderr).toBe(0);
    const root = join(dir, 'dnfroot');
    const d = run('dnf', [
      '-y', '-q', '--installroot', root, '--releasever', '1', '--setopt=reposdir=/nonexistent', `--setopt=cachedir=${join(dir, 'dnfcache')}`,
      '--setopt=gpgcheck=0', '--setopt=install_weak_deps=0', '--repofrompath', `gen,file://${repo}`, '--repo', 'gen', 'install', 'app',
    ]);
    expect(d.status, d.stderr).toBe(0);
    expect(readFileSync(join(root, 'usr/bin/app'), 'utf8')).toBe('app');
    expect(readFileSync(join(root, 'usr/lib64/libfoo.so.1'), 'utf8')).toBe('elf');
  });
});
