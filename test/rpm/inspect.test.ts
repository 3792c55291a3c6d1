// `inspect rpm` and packageInfo against the real `rpm -qp --qf`, field by field and file by file, for
// packages built by the real rpmbuild (every compressor, four digest algorithms, %config/%ghost/%doc,
// symlinks, hardlinks, a file over 4 GiB).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { hardlinkSets } from '../../src/rpm/hardlinks.ts';
import { packageInfo } from '../../src/rpm/info.ts';
import { readRpmPackage } from '../../src/rpm/package.ts';
import { silentProgress } from '../../src/util/progress.ts';
import { Sense, Tag } from '../../src/rpm/tags.ts';
import { buildRpm } from '../fixtures-gen/rpmbuild.ts';
import { HUGE_PACKAGE_SPEC } from '../fixtures-gen/rpmSpec.ts';
import { rpmQuery } from './rpmQuery.ts';
import { MATRIX, buildMatrix } from './testPackages.ts';

const ALGO_NUMBERS: Record<string, number> = { md5: 1, sha1: 2, sha256: 8, sha512: 10 };

async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    progress: silentProgress,
  });
  return { code, stdout, stderr };
}

let packages: Map<string, string>;
let tmp: string;
beforeAll(async () => {
  packages = await buildMatrix();
  tmp = mkdtempSync(join(tmpdir(), 'yv-inspect-'));
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inspect rpm equals rpm -qp for rpmbuild packages', () => {
  for (const [compression, digest] of MATRIX) {
    it(`${compression} payload, ${digest} file digests`, async () => {
      const path = packages.get(`${compression}-${digest}`)!;
      const want = rpmQuery(path);
      const { code, stdout } = await runCli(['inspect', 'rpm', path, '--json']);
      expect(code).toBe(0);
      const got = JSON.parse(stdout) as Record<string, unknown>;
      expect(Object.keys(got)).toEqual(['name', 'epoch', 'version', 'release', 'arch', 'sourceRpm', 'payloadCompressor', 'headerSha256', 'files']);
      const wantAlgo = want.digestAlgoNumber ?? 1;
      expect(wantAlgo).toBe(ALGO_NUMBERS[digest]);
      expect(got).toEqual({
        name: want.name,
        epoch: want.epoch,
        version: want.version,
        release: want.release,
        arch: want.arch,
        sourceRpm: want.sourceRpm,
        payloadCompressor: want.payloadCompressor,
        // rpm 4.18 signs every package it builds with a SHA256HEADER digest of the main header.
        headerSha256: want.sha256Header,
        files: want.files.map((f) => ({
          path: f.path, digest: f.digest, digestAlgo: digest, size: f.size, mode: f.mode, flags: f.flags,
          user: f.user, group: f.group, linkTo: f.linkTo, mtime: f.mtime,
        })),
      });
      // The package really has what the test meant to cover.
      const files = (got.files as { path: string; flags: number; mode: number; linkTo: string; digest: string }[]);
      expect(files.some((f) => f.flags & 1)).toBe(true); // %config
      expect(files.some((f) => f.flags & 64)).toBe(true); // %ghost
      expect(files.some((f) => f.flags & 2)).toBe(true); // %doc
      expect(files.find((f) => f.path === '/usr/bin/yvt-link')!.linkTo).toBe('yvt');
      expect(files.find((f) => f.path === '/usr/bin/yvt-hard')!.digest).toBe(files.find((f) => f.path === '/usr/bin/yvt')!.digest);
      if (compression === 'xz') expect(got.epoch).toBe(7);
      expect(files.find((f) => f.path === '/dev/yvt-disk')!.mode).toBe(0o60660);
    });
  }

  it('packageInfo carries every other field rpm prints, and the hardlink/device/caps columns', async () => {
    for (const path of packages.values()) {
      const want = rpmQuery(path);
      const pkg = await readRpmPackage(path);
      const info = packageInfo(pkg.header, pkg.signature);
      expect(info.payloadFormat).toBe(want.payloadFormat);
      expect(info.sigmd5).toBe(want.sigmd5);
      expect(info.sha256Header).toBe(want.sha256Header);
      expect(info.headerSha256).toBe(want.sha256Header);
      expect(info.summary).toBe(want.summary);
      expect(info.url).toBe(want.url);
      expect(info.license).toBe(want.license);
      expect(info.buildHost).toBe(want.buildHost);
      expect(info.buildTime).toBe(want.buildTime);
      expect(info.size).toBe(want.size);
      expect(info.archiveSize).toBe(want.archiveSize);
      expect(info.filesError).toBeNull();
      expect(info.files.map((f) => [f.inode, f.device, f.rdev, f.caps])).toEqual(want.files.map((f) => [f.inode, f.device, f.rdev, f.caps]));
      expect(info.files.find((f) => f.path === '/dev/yvt-disk')!.rdev).toBe(8 * 256 + 17);
      expect(info.files.find((f) => f.path === '/usr/sbin/yvt-ping')!.caps).toBe('cap_net_raw=ep');
      expect(hardlinkSets(info.files).map((s) => s.map((i) => info.files[i]!.path))).toEqual([['/usr/bin/yvt', '/usr/bin/yvt-hard']]);
      // sigmd5 is md5 over the main header and the payload (rpm's RPMSIGTAG_MD5).
      const bytes = readFileSync(path);
      expect(createHash('md5').update(bytes.subarray(pkg.headerStart)).digest('hex')).toBe(info.sigmd5);
      expect(createHash('sha256').update(bytes.subarray(pkg.headerStart, pkg.headerEnd)).digest('hex')).toBe(info.headerSha256);
    }
  });

  it('dependencies and changelogs as rpm lists them', async () => {
    const path = packages.get('xz-sha256')!;
    const info = packageInfo((await readRpmPackage(path)).header);
    const q = (qf: string): string[] => execFileSync('rpm', ['-qp', '--nosignature', '--qf', qf, path], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const [kind, name] of [['requires', 'REQUIRE'], ['provides', 'PROVIDE'], ['conflicts', 'CONFLICT'], ['obsoletes', 'OBSOLETE'],
      ['recommends', 'RECOMMEND'], ['suggests', 'SUGGEST'], ['supplements', 'SUPPLEMENT'], ['enhances', 'ENHANCE']] as const) {
      const want = q(`[%{${name}NAME}\\t%{${name}FLAGS}\\t%{${name}VERSION}\\n]`);
      const got = info[kind].map((d) => `${d.name}\t${d.flags}\t${d.version === undefined ? '' : `${d.epoch !== undefined ? `${d.epoch}:` : ''}${d.version}${d.release !== undefined ? `-${d.release}` : ''}`}`);
      expect(got, kind).toEqual(want);
    }
    const cap = info.provides.find((d) => d.name === 'yvt-capability')!;
    expect(cap).toEqual({ name: 'yvt-capability', flags: Sense.EQUAL, epoch: 1, version: '2.0', release: '3' });
    expect(info.requires.some((d) => d.name === 'rpmlib(CompressedFileNames)' && d.flags & Sense.RPMLIB)).toBe(true);
    const log = q('[%{CHANGELOGTIME}\\t%{CHANGELOGNAME}\\n]');
    expect(info.changelogs.map((c) => `${c.time}\t${c.author}`)).toEqual(log);
    expect(info.changelogs[1]!.text).toBe('- first entry\n- with two lines');
    expect(info.description).toContain('Test package yvt-xz-sha256');
  });

  it('a file over 4 GiB (LONGFILESIZES, stripped cpio payload)', async () => {
    // Built by rpmbuild once and committed by the payload tests (building it costs ~45 s of a shared
    // machine); HUGE_PACKAGE_SPEC in test/fixtures-gen/rpmSpec.ts rebuilds an equivalent one.
    const path = join(import.meta.dirname, 'fixtures', 'bigfile-1-1.noarch.rpm');
    const want = rpmQuery(path);
    const { code, stdout } = await runCli(['inspect', 'rpm', path, '--json']);
    expect(code).toBe(0);
    const got = JSON.parse(stdout) as { files: { path: string; size: number; digest: string; mode: number; flags: number; mtime: number }[] };
    expect(got.files.map((f) => [f.path, f.size, f.digest, f.mode, f.flags, f.mtime])).toEqual(want.files.map((f) => [f.path, f.size, f.digest, f.mode, f.flags, f.mtime]));
    expect(got.files.find((f) => f.path === '/data/big')!.size).toBe(4_400_000_000);
    const pkg = await readRpmPackage(path);
    expect(pkg.header.has(Tag.LONGFILESIZES)).toBe(true);
    expect(pkg.header.has(Tag.FILESIZES)).toBe(false);
    expect(packageInfo(pkg.header, pkg.signature).archiveSize).toBe(want.archiveSize);
  });

  it.runIf(process.env.YUMVAULT_SLOW_TESTS === '1')('a freshly built file over 4 GiB (YUMVAULT_SLOW_TESTS=1)', async () => {
    const path = await buildRpm(HUGE_PACKAGE_SPEC);
    const want = rpmQuery(path);
    const info = packageInfo((await readRpmPackage(path)).header);
    expect(info.files.find((f) => f.path === '/var/lib/yvt/huge.img')!.size).toBe(4 * 1024 ** 3 + 4097);
    expect(info.files.map((f) => [f.path, f.size, f.digest])).toEqual(want.files.map((f) => [f.path, f.size, f.digest]));
  }, 240_000);

  it('header range equals createrepo_c rpm:header-range', async () => {
    const repo = join(tmp, 'repo');
    execFileSync('mkdir', ['-p', repo]);
    for (const [i, p] of [...packages.values()].entries()) execFileSync('cp', [p, join(repo, `p${i}.rpm`)]);
    execFileSync('createrepo_c', ['--quiet', '--no-database', '--general-compress-type=gz', repo]);
    const primary = execFileSync('sh', ['-c', `zcat ${repo}/repodata/*-primary.xml.gz`], { encoding: 'utf8' });
    const ranges = [...primary.matchAll(/<location href="(p\d+\.rpm)"\/>[\s\S]*?<rpm:header-range start="(\d+)" end="(\d+)"\/>/g)];
    expect(ranges.length).toBe(packages.size);
    for (const [, file, start, end] of ranges) {
      const pkg = await readRpmPackage(join(repo, file!));
      expect([pkg.headerStart, pkg.headerEnd]).toEqual([Number(start), Number(end)]);
    }
  });
});

describe('inspect rpm on bad input', () => {
  it('a corrupt package: one line, exit 1', async () => {
    const bytes = readFileSync(packages.get('gzip-md5')!);
    const cases: [string, Uint8Array][] = [
      ['truncated', bytes.subarray(0, 700)],
      ['not-rpm', new TextEncoder().encode('hello, this is not an rpm at all\n'.repeat(10))],
      ['bad-index', (() => {
        const b = Uint8Array.from(bytes);
        const sigSize = 16 + 16 * new DataView(b.buffer).getUint32(96 + 8) + new DataView(b.buffer).getUint32(96 + 12);
        const main = 96 + sigSize + ((8 - (sigSize % 8)) % 8);
        new DataView(b.buffer).setUint32(main + 16 + 16 * 3 + 8, 0x7fffff00); // an entry offset far outside the store
        return b;
      })()],
      ['empty', new Uint8Array(0)],
    ];
    for (const [name, data] of cases) {
      const p = join(tmp, `${name}.rpm`);
      writeFileSync(p, data);
      const r = await runCli(['inspect', 'rpm', p, '--json']);
      expect(r.code, name).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr).toMatch(/YV_RPM_FORMAT/);
    }
  });

  it('usage errors exit 2; the readable table lists every file', async () => {
    expect((await runCli(['inspect', 'rpm'])).code).toBe(2);
    expect((await runCli(['inspect', 'rpm', 'a', 'b'])).code).toBe(2);
    expect((await runCli(['inspect', 'nothing'])).code).toBe(2);
    const path = packages.get('zstd-sha256')!;
    const r = await runCli(['inspect', 'rpm', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name +yvt-zstd-sha256$/m);
    expect(r.stdout).toMatch(/^payload +cpio, zstd$/m);
    expect(r.stdout).toMatch(/-rwsr-xr-x +root\/root +\d+ +- +sha256:[0-9a-f]{16} +\/usr\/bin\/yvt$/m);
    expect(r.stdout).toMatch(/\/usr\/bin\/yvt-link -> yvt$/m);
    for (const f of rpmQuery(path).files) expect(r.stdout).toContain(f.path);
  });
});
