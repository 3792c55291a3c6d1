// Our repodata writer against the real createrepo_c over the same rpmbuild-built packages: the XML must be
// the same (byte for byte once inflated, and field by field through our parser), and the real dnf must
// see exactly the same packages, dependencies and files from a file:// baseurl and over HTTP, and
// install an exact NEVRA from it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { writeRepodata } from '../../src/repo/writer.ts';
import { parseRepomd, repomdEntry } from '../../src/repo/repomd.ts';
import { streamPrimary, type PrimaryPackage } from '../../src/repo/primary.ts';
import { streamUpdateinfo, type Advisory } from '../../src/repo/updateinfo.ts';
import { readRepodataPackage } from '../../src/repo/fromRpm.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { createrepo } from '../fixtures-gen/createrepo.ts';
import { buildFixturePackages, FIXTURE_SPECS } from './rpmbuildFixtures.ts';

let root: string;
let reference: string; // createrepo_c's
let ours: string;
let rpms: string[];
let server: TestHttpServer;

const advisory: Advisory = {
  id: 'YV-2024:0007',
  type: 'security',
  severity: 'Critical',
  issued: '2024-02-03 04:05:06',
  title: 'yv-plain security update',
  status: 'stable',
  from: 'sec@example.org',
  summary: 'fix',
  description: 'A <bad> & dangerous flaw.',
  release: '',
  references: [{ href: 'https://example.org/CVE-2024-0007', id: 'CVE-2024-0007', type: 'cve', title: 'CVE-2024-0007' }],
  packages: [{ name: 'yv-plain', epoch: 0, version: '1.0', release: '2', arch: 'noarch', filename: 'yv-plain-1.0-2.noarch.rpm' }],
};

function inflate(path: string): Buffer {
  const b = readFileSync(path);
  return path.endsWith('.zst') ? zstdDecompressSync(b) : path.endsWith('.gz') ? gunzipSync(b) : b;
}

async function metadataFile(repo: string, type: string): Promise<string> {
  const md = await parseRepomd(readFileSync(join(repo, 'repodata/repomd.xml')));
  return join(repo, repomdEntry(md, type)!.location);
}

async function primaryOf(repo: string): Promise<PrimaryPackage[]> {
  const out: PrimaryPackage[] = [];
  for await (const p of streamPrimary(createReadStream(await metadataFile(repo, 'primary')))) out.push(p);
  return out.sort((a, b) => a.location.href.localeCompare(b.location.href));
}

// Async: the test HTTP server runs in this process and must keep answering while dnf runs.
async function dnf(name: string, baseurl: string, args: string[]): Promise<string> {
  const d = join(root, `dnf-${name}`);
  mkdirSync(join(d, 'repos.d'), { recursive: true });
  writeFileSync(join(d, 'repos.d', 'test.repo'), `[test]\nname=test\nbaseurl=${baseurl}\ngpgcheck=0\nmetadata_expire=0\n`);
  const { stdout } = await promisify(execFile)(
    'dnf',
    ['-q', '-y', `--installroot=${join(d, 'root')}`, `--setopt=reposdir=${join(d, 'repos.d')}`, `--setopt=cachedir=${join(d, 'cache')}`, '--releasever=1', '--disableplugin=*', ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return stdout;
}

const QF =
  '%{name}|%{epoch}|%{version}|%{release}|%{arch}|%{location}|%{size}|%{installsize}|%{buildtime}|%{sourcerpm}|%{license}|%{url}|%{summary}|%{packager}|%{description}' +
  '\nR:%{requires}\nP:%{provides}\nC:%{conflicts}\nO:%{obsoletes}\nREC:%{recommends}\nSUG:%{suggests}\nSUP:%{supplements}\nENH:%{enhances}\nF:%{files}\n---';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'yv-repo-writer-'));
  reference = join(root, 'reference');
  ours = join(root, 'ours');
  rpms = await buildFixturePackages(reference, FIXTURE_SPECS);
  createrepo(reference);
  cpSync(join(reference, 'Packages'), join(ours, 'Packages'), { recursive: true, preserveTimestamps: true });
  await writeRepodata(
    ours,
    rpms.map((href) => ({ path: join(ours, href), location: href })),
    { updateinfo: [advisory] },
  );
  server = await startTestHttpServer(root);
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('writeRepodata against createrepo_c', () => {
  it('writes primary, filelists and other identical to createrepo_c once inflated', async () => {
    for (const type of ['primary', 'filelists', 'other']) {
      const theirs = inflate(await metadataFile(reference, type)).toString('utf8');
      const mine = inflate(await metadataFile(ours, type)).toString('utf8');
      expect(mine, type).toBe(theirs);
    }
  });

  it('parses to the same packages, field by field', async () => {
    const theirs = await primaryOf(reference);
    const mine = await primaryOf(ours);
    expect(mine.length).toBe(rpms.length);
    for (let i = 0; i < theirs.length; i++) expect(mine[i]).toEqual(theirs[i]);
  });

  it('repomd lists files whose checksums and sizes are right, with updateinfo', async () => {
    const md = await parseRepomd(readFileSync(join(ours, 'repodata/repomd.xml')));
    expect(md.entries.map((e) => e.type)).toEqual(['primary', 'filelists', 'other', 'updateinfo']);
    for (const e of md.entries) {
      const bytes = readFileSync(join(ours, e.location));
      expect(e.size).toBe(bytes.length);
      expect(e.location).toContain(e.checksum.value);
      expect(e.openSize).toBe(inflate(join(ours, e.location)).length);
    }
    const advisories: Advisory[] = [];
    for await (const a of streamUpdateinfo(createReadStream(await metadataFile(ours, 'updateinfo')))) advisories.push(a);
    expect(advisories).toEqual([advisory]);
  });
});

describe('real dnf reads our repodata', () => {
  it('repoquery sees exactly what it sees with createrepo_c (file:// and HTTP)', async () => {
    const theirs = await dnf('ref', `file://${reference}`, ['repoquery', '--qf', QF]);
    const mineFile = await dnf('ours-file', `file://${ours}`, ['repoquery', '--qf', QF]);
    const mineHttp = await dnf('ours-http', `${server.url}ours/`, ['repoquery', '--qf', QF]);
    expect(theirs.split('\n---').length - 1).toBe(rpms.length);
    expect(mineFile).toBe(theirs);
    expect(mineHttp).toBe(theirs);
    const changelog = (n: string, u: string) => dnf(n, u, ['repoquery', '--changelogs', 'yv-alpha-1.0-2']);
    expect(await changelog('ours-file', `file://${ours}`)).toBe(await changelog('ref', `file://${reference}`));
  });

  it('list --showduplicates', async () => {
    const list = await dnf('ours-http', `${server.url}ours/`, ['list', '--showduplicates', 'yv-plain']);
    expect(list).toMatch(/yv-plain\.noarch\s+1\.0-1\s+test/);
    expect(list).toMatch(/yv-plain\.noarch\s+1\.0-2\s+test/);
    expect(list).toMatch(/yv-plain\.x86_64\s+1:0\.9-1\s+test/);
  });

  it('installs an exact older NEVRA over HTTP, downloads another, sees the advisory', async () => {
    await dnf('install', `${server.url}ours/`, ['install', 'yv-plain-0:1.0-1.noarch']);
    const installed = execFileSync('rpm', ['--root', join(root, 'dnf-install', 'root'), '-q', 'yv-plain'], { encoding: 'utf8' }).trim();
    expect(installed).toBe('yv-plain-1.0-1.noarch');
    expect(readFileSync(join(root, 'dnf-install', 'root', 'usr/share/yv-plain/VERSION'), 'utf8')).toBe('yv-plain 1.0-1\n');
    const dl = join(root, 'downloads');
    await dnf('install', `${server.url}ours/`, ['install', '--downloadonly', `--downloaddir=${dl}`, 'yv-plain-1:0.9-1.x86_64']);
    expect(readdirSync(dl)).toContain('yv-plain-0.9-1.x86_64.rpm');
    // The advisory for the newer build applies to the installed older one.
    const info = await dnf('install', `${server.url}ours/`, ['--refresh', 'updateinfo', 'list', '--all']);
    expect(info).toMatch(/YV-2024:0007\s+Critical\/Sec\.\s+yv-plain-1\.0-2\.noarch/);
  });

  it('zstd repodata also works with dnf', async () => {
    const z = join(root, 'zstd');
    cpSync(join(reference, 'Packages'), join(z, 'Packages'), { recursive: true, preserveTimestamps: true });
    const md = await writeRepodata(z, rpms.map((href) => ({ path: join(z, href), location: href })), { compression: 'zstd' });
    expect(repomdEntry(md, 'primary')!.location).toMatch(/\.xml\.zst$/);
    expect(await dnf('zstd', `file://${z}`, ['repoquery', '--qf', QF])).toBe(await dnf('ref', `file://${reference}`, ['repoquery', '--qf', QF]));
  });
});

describe('inputs', () => {
  it('parsed headers + facts (as the vault holds them) give the same repodata as package files', async () => {
    const { readRpmPackage } = await import('../../src/rpm/package.ts');
    const { createHash } = await import('node:crypto');
    const { statSync } = await import('node:fs');
    const r = join(root, 'from-headers');
    cpSync(join(reference, 'Packages'), join(r, 'Packages'), { recursive: true, preserveTimestamps: true });
    const inputs = await Promise.all(
      rpms.map(async (href) => {
        const path = join(r, href);
        const pkg = await readRpmPackage(path);
        return {
          signature: pkg.signature,
          header: pkg.header,
          pkgid: createHash('sha256').update(readFileSync(path)).digest('hex'),
          size: statSync(path).size,
          location: { href },
          fileTime: Math.floor(statSync(path).mtimeMs / 1000),
          headerRange: { start: pkg.headerStart, end: pkg.headerEnd },
        };
      }),
    );
    await writeRepodata(r, inputs);
    for (const type of ['primary', 'filelists', 'other']) {
      expect(inflate(await metadataFile(r, type)).toString('utf8'), type).toBe(inflate(await metadataFile(reference, type)).toString('utf8'));
    }
  });
});

describe('rewrites', () => {
  it('switches atomically: new files first, repomd last, keeps the previous revision, drops older ones', async () => {
    const r = join(root, 'rewrite');
    cpSync(join(reference, 'Packages'), join(r, 'Packages'), { recursive: true, preserveTimestamps: true });
    const inputs = rpms.map((href) => ({ path: join(r, href), location: href }));
    const first = await writeRepodata(r, inputs, { revision: '100' });
    const second = await writeRepodata(r, inputs.slice(0, 3), { revision: '101' });
    const third = await writeRepodata(r, inputs.slice(0, 2), { revision: '102' });
    const names = readdirSync(join(r, 'repodata')).sort();
    const expected = [...second.entries, ...third.entries].map((e) => e.location.replace('repodata/', ''));
    expect(names).toEqual([...new Set([...expected, 'repomd.xml'])].sort());
    for (const e of first.entries) expect(names).not.toContain(e.location.replace('repodata/', ''));
    expect((await primaryOf(r)).length).toBe(2);
  });

  it('a failing input leaves the previous repodata untouched and no temp files', async () => {
    const r = join(root, 'failing');
    cpSync(join(reference, 'Packages'), join(r, 'Packages'), { recursive: true, preserveTimestamps: true });
    await writeRepodata(r, rpms.map((href) => ({ path: join(r, href), location: href })));
    const before = readdirSync(join(r, 'repodata')).sort();
    const repomdBefore = readFileSync(join(r, 'repodata/repomd.xml'));
    writeFileSync(join(r, 'Packages/broken.rpm'), 'not an rpm at all, really');
    await expect(writeRepodata(r, [{ path: join(r, 'Packages/broken.rpm'), location: 'Packages/broken.rpm' }])).rejects.toMatchObject({ code: 'YV_RPM_FORMAT' });
    expect(readdirSync(join(r, 'repodata')).sort()).toEqual(before);
    expect(readFileSync(join(r, 'repodata/repomd.xml')).equals(repomdBefore)).toBe(true);
  });

  it('streams from an async source with a count, and checks the count', async () => {
    const r = join(root, 'async');
    cpSync(join(reference, 'Packages'), join(r, 'Packages'), { recursive: true, preserveTimestamps: true });
    async function* source() {
      for (const href of rpms) yield await readRepodataPackage(join(r, href), { href });
    }
    await writeRepodata(r, source(), { count: rpms.length });
    expect((await primaryOf(r)).length).toBe(rpms.length);
    await expect(writeRepodata(r, source(), { count: 1 })).rejects.toMatchObject({ code: 'YV_CONFIG' });
    await expect(writeRepodata(r, source())).rejects.toMatchObject({ code: 'YV_CONFIG' });
  });
});
