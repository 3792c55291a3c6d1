// The parsers against repodata made by the real createrepo_c over packages built by the real rpmbuild,
// every field checked against `rpm -qp` on the same packages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { parseRepomd, repomdEntry, writeRepomd } from '../../src/repo/repomd.ts';
import { streamPrimary, type PrimaryPackage } from '../../src/repo/primary.ts';
import { streamUpdateinfo, updateinfoXml, type Advisory } from '../../src/repo/updateinfo.ts';
import { streamFilelists, type FilelistsPackage } from '../../src/repo/filelists.ts';
import { streamOther, type OtherPackage } from '../../src/repo/other.ts';
import { createrepo } from '../fixtures-gen/createrepo.ts';
import { rpmQueryFormat } from '../rpm/rpmQuery.ts';
import { buildFixturePackages, FIXTURE_SPECS } from './rpmbuildFixtures.ts';

let root: string;
let repo: string;
let rpms: string[];
let primary: PrimaryPackage[];

const UPDATEINFO = `<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="security@example.org" status="stable" type="security" version="2.0">
    <id>YV-2024:0001</id>
    <title>Important: yv-alpha security update &amp; more</title>
    <issued date="2024-01-02 03:04:05"/>
    <updated date="2024-01-03 00:00:00"/>
    <severity>Important</severity>
    <release>Tests 1</release>
    <summary>Fixes CVE-2024-0001</summary>
    <description>A flaw was found.</description>
    <references>
      <reference href="https://example.org/CVE-2024-0001" id="CVE-2024-0001" type="cve" title="CVE-2024-0001"/>
    </references>
    <pkglist>
      <collection short="tests">
        <name>Tests</name>
        <package name="yv-alpha" version="1.0" release="2" epoch="0" arch="noarch" src="yv-alpha-1.0-2.src.rpm">
          <filename>yv-alpha-1.0-2.noarch.rpm</filename>
          <sum type="sha256">ABCDEF</sum>
        </package>
      </collection>
    </pkglist>
  </update>
  <update from="x" status="stable" type="bugfix" version="2.0">
    <id>YV-2024:0002</id>
    <title>beta fix</title>
    <issued date="1704153600"/>
    <pkglist><collection><package name="yv-beta" version="3.4.5" release="7.el9" epoch="2" arch="x86_64"><filename>b.rpm</filename></package></collection></pkglist>
  </update>
</updates>
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'yv-repo-parse-'));
  repo = join(root, 'repo');
  rpms = await buildFixturePackages(repo, FIXTURE_SPECS);
  writeFileSync(join(root, 'updateinfo.xml'), UPDATEINFO);
  createrepo(repo, { updateinfo: join(root, 'updateinfo.xml') });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('repomd.xml', () => {
  it('parses createrepo_c output with checksums, sizes and locations that match the files', async () => {
    const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
    expect(md.revision).toMatch(/^\d+$/);
    expect(md.entries.map((e) => e.type).sort()).toEqual(['filelists', 'other', 'primary', 'updateinfo']);
    for (const e of md.entries) {
      const bytes = readFileSync(join(repo, e.location));
      expect(e.checksum.type).toBe('sha256');
      expect(e.checksum.value).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(e.size).toBe(bytes.length);
      expect(e.openChecksum?.type).toBe('sha256');
      expect(e.openSize).toBeGreaterThan(0);
      expect(e.timestamp).toBeGreaterThan(1_600_000_000);
    }
  });

  it('round-trips through writeRepomd', async () => {
    const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
    const again = await parseRepomd(writeRepomd(md));
    expect(again).toEqual(md);
  });

  it('rejects malformed XML with a RepoMetadataError naming the file', async () => {
    await expect(parseRepomd('<repomd><data type="primary"></repomd>', 'http://x/repodata/repomd.xml')).rejects.toMatchObject({
      code: 'YV_REPODATA',
      message: expect.stringContaining('http://x/repodata/repomd.xml'),
    });
    await expect(parseRepomd('<html><body>mirror error</body></html>')).rejects.toMatchObject({ code: 'YV_REPODATA' });
    await expect(parseRepomd('<repomd><data type="primary"><checksum type="sha256">aa</checksum></data></repomd>')).rejects.toThrow(/no <location>/);
  });
});

describe('primary.xml', () => {
  beforeAll(async () => {
    const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
    const entry = repomdEntry(md, 'primary')!;
    primary = [];
    for await (const p of streamPrimary(createReadStream(join(repo, entry.location)))) primary.push(p);
  });

  it('lists every package once', () => {
    expect(primary.map((p) => p.location.href).sort()).toEqual(rpms);
  });

  it('matches rpm -qp field by field', () => {
    for (const href of rpms) {
      const path = join(repo, href);
      const p = primary.find((x) => x.location.href === href)!;
      const q = rpmQueryFormat(path, '%{NAME}\\n%{EPOCHNUM}\\n%{VERSION}\\n%{RELEASE}\\n%{ARCH}\\n%{SUMMARY}\\n%{URL}\\n%{LICENSE}\\n%{VENDOR}\\n%{GROUP}\\n%{BUILDHOST}\\n%{SOURCERPM}\\n%{BUILDTIME}\\n%{LONGSIZE}\\n%{LONGARCHIVESIZE}\\n%{PACKAGER}').split('\n').map((v) => (v === '(none)' ? '' : v));
      expect([p.name, String(p.epoch), p.version, p.release, p.arch]).toEqual(q.slice(0, 5));
      expect([p.summary, p.url, p.license, p.vendor, p.group, p.buildHost, p.sourceRpm]).toEqual(q.slice(5, 12));
      expect(p.time.build).toBe(Number(q[12]));
      expect(p.size.installed).toBe(Number(q[13]));
      expect(p.size.archive).toBe(Number(q[14]));
      expect(p.packager).toBe(q[15]);
      expect(p.description).toBe(rpmQueryFormat(path, '%{DESCRIPTION}'));
      const bytes = readFileSync(path);
      expect(p.checksum).toEqual({ type: 'sha256', value: createHash('sha256').update(bytes).digest('hex') });
      expect(p.pkgid).toBe(p.checksum.value);
      expect(p.size.package).toBe(bytes.length);
      expect(p.time.file).toBe(Math.floor(statSync(path).mtimeMs / 1000));
      // header-range: the main header starts after lead + signature and ends where the payload begins.
      expect(bytes.subarray(p.headerRange!.start, p.headerRange!.start + 3)).toEqual(Buffer.from([0x8e, 0xad, 0xe8]));
      const headerOnly = bytes.subarray(p.headerRange!.start, p.headerRange!.end);
      const il = headerOnly.readUInt32BE(8);
      const dl = headerOnly.readUInt32BE(12);
      expect(headerOnly.length).toBe(16 + il * 16 + dl);
    }
  });

  it('lists provides, conflicts, obsoletes and weak dependencies as rpm -qp does', () => {
    const ops: Record<string, string> = { EQ: '=', LT: '<', LE: '<=', GT: '>', GE: '>=' };
    const show = (d: { name: string; flags?: string; epoch?: string; version?: string; release?: string }) =>
      d.flags ? `${d.name} ${ops[d.flags]} ${d.epoch && d.epoch !== '0' ? `${d.epoch}:` : ''}${d.version ?? ''}${d.release ? `-${d.release}` : ''}` : d.name;
    const options = { provides: '--provides', conflicts: '--conflicts', obsoletes: '--obsoletes', recommends: '--recommends', suggests: '--suggests', supplements: '--supplements', enhances: '--enhances' } as const;
    for (const href of rpms) {
      const p = primary.find((x) => x.location.href === href)!;
      for (const [kind, option] of Object.entries(options)) {
        const fromRpm = execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', option, join(repo, href)], { encoding: 'utf8' }).split('\n').filter(Boolean);
        expect(p.dependencies[kind as keyof typeof options].map(show), `${href} ${kind}`).toEqual(fromRpm);
      }
    }
  });

  it('carries dependencies with flags, versions and pre, and primary files with types', () => {
    const beta = primary.find((p) => p.name === 'yv-beta')!;
    expect(beta.epoch).toBe(2);
    const d = beta.dependencies;
    expect(d.requires).toContainEqual({ name: 'sed', flags: 'GE', epoch: '0', version: '4.0', pre: true });
    expect(d.requires).toContainEqual({ name: 'bash', flags: 'GT', epoch: '1', version: '2.0', release: '1' });
    expect(d.requires).toContainEqual({ name: 'coreutils', pre: true });
    expect(d.provides).toContainEqual({ name: 'yv-beta', flags: 'EQ', epoch: '2', version: '3.4.5', release: '7.el9' });
    expect(d.conflicts).toEqual([{ name: 'yv-beta-old', flags: 'LT', epoch: '0', version: '2.0' }]);
    expect(d.obsoletes).toEqual([{ name: 'yv-beta-legacy', flags: 'LE', epoch: '0', version: '1.5' }]);
    expect(d.recommends).toEqual([{ name: 'yv-beta-docs' }]);
    expect(d.suggests).toEqual([{ name: 'less' }]);
    expect(d.supplements).toEqual([{ name: '(yv-beta-extras and bash)' }]);
    expect(d.enhances).toEqual([{ name: 'vim', flags: 'GE', epoch: '0', version: '8' }]);
    expect(beta.files).toEqual([
      { path: '/etc/yv-beta', type: 'dir' },
      { path: '/etc/yv-beta/yv-beta.conf', type: 'file' },
      { path: '/usr/bin/yv-beta', type: 'file' },
      { path: '/usr/bin/yv-beta-link', type: 'file' },
      { path: '/usr/sbin/yv-betad', type: 'file' },
    ]);
    const gamma = primary.find((p) => p.name === 'yv-gamma')!;
    expect([gamma.version, gamma.release]).toEqual(['0.1~rc1', '1^20240101git']);
  });

  for (const [compress, suffix, inflate] of [
    ['xz', '.xz', 'xz'],
    ['bz2', '.bz2', 'bzip2'],
  ] as const) {
    it(`reads ${compress}-compressed and plain primaries the same`, async () => {
      const other = join(root, `repo-${compress}`);
      execFileSync('cp', ['-r', repo, other]);
      rmSync(join(other, 'repodata'), { recursive: true });
      createrepo(other, { compress });
      const md = await parseRepomd(readFileSync(join(other, 'repodata/repomd.xml')));
      const loc = repomdEntry(md, 'primary')!.location;
      expect(loc.endsWith(suffix)).toBe(true);
      const got: PrimaryPackage[] = [];
      for await (const p of streamPrimary(createReadStream(join(other, loc)))) got.push(p);
      expect(got.map((p) => p.checksum.value).sort()).toEqual(primary.map((p) => p.checksum.value).sort());
      const plain = execFileSync(inflate, ['-dc', join(other, loc)]);
      const fromPlain: PrimaryPackage[] = [];
      for await (const p of streamPrimary([plain])) fromPlain.push(p);
      expect(fromPlain).toEqual(got);
    });
  }

  it('reads xml:base locations and keeps them through our writer', async () => {
    const xml = `<?xml version="1.0"?><metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="1">
<package type="rpm"><name>x</name><arch>noarch</arch><version epoch="0" ver="1" rel="1"/><checksum type="sha" pkgid="YES">AB12</checksum>
<location xml:base="https://mirror.example.org/base/" href="Packages/x-1-1.noarch.rpm"/></package></metadata>`;
    const got: PrimaryPackage[] = [];
    for await (const p of streamPrimary([Buffer.from(xml)])) got.push(p);
    expect(got[0]!.location).toEqual({ href: 'Packages/x-1-1.noarch.rpm', base: 'https://mirror.example.org/base/' });
    expect(got[0]!.checksum).toEqual({ type: 'sha1', value: 'ab12' });
    expect(got[0]!.pkgid).toBeUndefined();
  });

  it('fails on malformed or truncated XML with a RepoMetadataError naming the file', async () => {
    const bad = gzipSync('<metadata packages="1"><package type="rpm"><name>x</name></packag></metadata>');
    const drain = async (src: Iterable<Uint8Array>, fileName: string) => {
      for await (const _ of streamPrimary(src, { fileName })) void _;
    };
    await expect(drain([bad], 'repodata/bad-primary.xml.gz')).rejects.toMatchObject({ code: 'YV_REPODATA', message: expect.stringContaining('repodata/bad-primary.xml.gz') });
    const good = readFileSync(join(repo, repomdEntry(await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml'))), 'primary')!.location));
    await expect(drain([good.subarray(0, good.length - 30)], 'cut.xml.gz')).rejects.toMatchObject({ code: 'YV_REPODATA' });
    await expect(drain([Buffer.from('<metadata><package><name>x</name></package></metadata>')], 'p.xml')).rejects.toThrow(/no version/);
  });
});

describe('filelists.xml and other.xml', () => {
  it('list every file and the changelogs as rpm -qp does', async () => {
    const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
    const lists: FilelistsPackage[] = [];
    for await (const p of streamFilelists(createReadStream(join(repo, repomdEntry(md, 'filelists')!.location)))) lists.push(p);
    const others: OtherPackage[] = [];
    for await (const p of streamOther(createReadStream(join(repo, repomdEntry(md, 'other')!.location)))) others.push(p);
    expect(lists).toHaveLength(rpms.length);
    expect(others).toHaveLength(rpms.length);
    for (const href of rpms) {
      const path = join(repo, href);
      const pkgid = createHash('sha256').update(readFileSync(path)).digest('hex');
      const fl = lists.find((p) => p.pkgid === pkgid)!;
      const files = rpmQueryFormat(path, '[%{FILENAMES}|%{FILEMODES:perms}|%{FILEFLAGS:fflags}\\n]').trim().split('\n');
      expect(fl.files).toEqual(
        files.map((l) => {
          const [name, perms, fflags] = l.split('|');
          return { path: name, type: perms!.startsWith('d') ? 'dir' : fflags!.includes('g') ? 'ghost' : 'file' };
        }),
      );
      const ot = others.find((p) => p.pkgid === pkgid)!;
      const times = rpmQueryFormat(path, '[%{CHANGELOGTIME}\\n]').split('\n').filter(Boolean).map(Number);
      const names = rpmQueryFormat(path, '[%{CHANGELOGNAME}\\n]').split('\n').filter(Boolean);
      expect(ot.changelogs.map((c) => [c.date, c.author])).toEqual(times.map((t, i) => [t, names[i]]).reverse());
      expect(ot.name).toBe(fl.name);
    }
  });
});

describe('updateinfo.xml', () => {
  it('streams advisories with type, severity, issued date and package NEVRAs', async () => {
    const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
    const loc = repomdEntry(md, 'updateinfo')!.location;
    const advisories: Advisory[] = [];
    for await (const a of streamUpdateinfo(createReadStream(join(repo, loc)))) advisories.push(a);
    expect(advisories).toHaveLength(2);
    const [sec, fix] = advisories;
    expect(sec).toMatchObject({ id: 'YV-2024:0001', type: 'security', severity: 'Important', issued: '2024-01-02 03:04:05', updated: '2024-01-03 00:00:00', title: 'Important: yv-alpha security update & more' });
    expect(sec!.references).toEqual([{ href: 'https://example.org/CVE-2024-0001', id: 'CVE-2024-0001', type: 'cve', title: 'CVE-2024-0001' }]);
    expect(sec!.packages).toEqual([
      { name: 'yv-alpha', epoch: 0, version: '1.0', release: '2', arch: 'noarch', src: 'yv-alpha-1.0-2.src.rpm', filename: 'yv-alpha-1.0-2.noarch.rpm', sum: { type: 'sha256', value: 'abcdef' } },
    ]);
    expect(fix).toMatchObject({ id: 'YV-2024:0002', type: 'bugfix', severity: null, issued: '1704153600' });
    expect(fix!.packages[0]).toMatchObject({ name: 'yv-beta', epoch: 2, version: '3.4.5', release: '7.el9', arch: 'x86_64' });

    // Our writer's output parses back to the same advisories.
    let text = '';
    for await (const s of updateinfoXml(advisories)) text += s;
    const again: Advisory[] = [];
    for await (const a of streamUpdateinfo([Buffer.from(text)])) again.push(a);
    expect(again).toEqual(advisories);
  });
});

describe('bounds', () => {
  it('refuses a text node longer than the limit instead of buffering it', async () => {
    const { MAX_TEXT_CHARS } = await import('../../src/repo/xmlEvents.ts');
    async function* hostile() {
      yield Buffer.from('<metadata packages="1"><package type="rpm"><description>');
      const block = Buffer.alloc(8 * 1024 * 1024, 0x61);
      for (let sent = 0; sent <= MAX_TEXT_CHARS + block.length; sent += block.length) yield block;
      yield Buffer.from('</description></package></metadata>');
    }
    const drain = async () => {
      for await (const _ of streamPrimary(hostile(), { fileName: 'hostile.xml' })) void _;
    };
    await expect(drain()).rejects.toMatchObject({ code: 'YV_REPODATA', message: expect.stringContaining('hostile.xml') });
  }, 180_000);

  it('primary file subset follows createrepo_c (cr_is_primary)', async () => {
    const { isPrimaryFile } = await import('../../src/repo/fromRpm.ts');
    expect(['/etc/x', '/usr/bin/x', '/opt/foo/sbin/y', '/usr/lib/sendmail', '/bin/sh'].every(isPrimaryFile)).toBe(true);
    expect(['/etc', '/usr/share/x', '/usr/lib/sendmail.d', '/usr/libexec/x'].some(isPrimaryFile)).toBe(false);
  });
});
