// Configuration: defaults, yumvault.yaml, environment overrides, command line, and precise errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadProxyConfig, parseListen } from '../../proxy/config.ts';
import { parseDuration } from '../../proxy/duration.ts';
import { parseRepoPath } from '../../proxy/paths.ts';
import { parseRangeHeader, planMultipart } from '../../proxy/passthrough/ranges.ts';
import { parseMetalink, parseMirrorlist } from '../../proxy/passthrough/mirrors.ts';
import { renderRepoFile } from '../../proxy/repoFile.ts';
import { tempDir } from './helpers.ts';

describe('durations', () => {
  it('parses once, in one place', () => {
    expect(parseDuration('30s', 'x')).toBe(30_000);
    expect(parseDuration('5m', 'x')).toBe(300_000);
    expect(parseDuration('1h', 'x')).toBe(3_600_000);
    expect(parseDuration('250ms', 'x')).toBe(250);
    expect(parseDuration('2d', 'x')).toBe(172_800_000);
    expect(parseDuration('0', 'x')).toBe(0);
    expect(parseDuration(1.5, 'x')).toBe(1500);
    expect(() => parseDuration('5 minutes', 'metadataTtl')).toThrow(/metadataTtl must be a duration like '30s'.*5 minutes/);
    expect(() => parseDuration(-1, 'x')).toThrow(/YV_CONFIG|duration/);
  });
});

describe('proxy configuration', () => {
  it('runs on defaults with only --data and --upstream', () => {
    const c = buildConfig({}, {}, { data: '/srv/yv', upstreams: ['baseos=http://127.0.0.1:1/BaseOS'] });
    expect(c.dataDir).toBe('/srv/yv');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.token).toBeNull();
    expect(c.catalogUrl).toBeNull();
    expect(c.metadataTtlMs).toBe(60_000);
    expect(c.monitorIntervalMs).toBe(900_000);
    expect(c.repos).toEqual([expect.objectContaining({ name: 'baseos', upstream: 'http://127.0.0.1:1/BaseOS/', gpgcheck: false, policy: { keep: ['referenced', 'downloaded'], skipMinor: false } })]);
  });

  it('reads yumvault.yaml, with the environment over it and the command line over both', async () => {
    const dir = await tempDir('yv-config-');
    try {
      const file = join(dir.path, 'yumvault.yaml');
      writeFileSync(file, `data: ${dir.path}/data
listen: 0.0.0.0:9000
token: from-file
metadataTtl: 5m
monitorInterval: 1h
retention: { keep: [referenced], skipMinor: false }
repos:
  epel:
    upstream: http://127.0.0.1:1/epel/9
    skipMinor: true
    metadataTtl: 30s
    gpgcheck: true
    repoGpgcheck: true
    gpgkey: http://127.0.0.1:1/RPM-GPG-KEY-EPEL-9
  appstream:
    metalink: http://127.0.0.1:1/metalink?repo=appstream
    retention: { keep: [all] }
`);
      const c = await loadProxyConfig({ config: file, listen: '127.0.0.1:0' }, { YUMVAULT_TOKEN: 'from-env', YUMVAULT_MONITOR_INTERVAL: '10m' });
      expect(c.dataDir).toBe(join(dir.path, 'data'));
      expect([c.host, c.port]).toEqual(['127.0.0.1', 0]);
      expect(c.token).toBe('from-env');
      expect(c.metadataTtlMs).toBe(300_000);
      expect(c.monitorIntervalMs).toBe(600_000);
      const epel = c.repos.find((r) => r.name === 'epel')!;
      expect(epel).toMatchObject({ upstream: 'http://127.0.0.1:1/epel/9/', metadataTtlMs: 30_000, gpgcheck: true, repoGpgcheck: true, gpgkey: ['http://127.0.0.1:1/RPM-GPG-KEY-EPEL-9'] });
      expect(epel.policy).toEqual({ keep: ['referenced'], skipMinor: true });
      const app = c.repos.find((r) => r.name === 'appstream')!;
      expect(app).toMatchObject({ upstream: '', metalink: 'http://127.0.0.1:1/metalink?repo=appstream', metadataTtlMs: 300_000 });
      expect(app.policy.keep).toEqual(['all']);
      expect(renderRepoFile(epel, 'http://proxy.test/')).toBe(
        '[epel]\nname=epel (via yumvault)\nbaseurl=http://proxy.test/repos/epel/\nenabled=1\ngpgcheck=1\nrepo_gpgcheck=1\ngpgkey=http://127.0.0.1:1/RPM-GPG-KEY-EPEL-9\n',
      );
    } finally {
      await dir.remove();
    }
  });

  it('names the bad value in every error', async () => {
    expect(() => buildConfig({}, {}, { upstreams: ['a=http://x/'] })).toThrow(/--data DIR is required/);
    expect(() => buildConfig({}, {}, { data: '/d' })).toThrow(/no repositories/);
    expect(() => buildConfig({}, {}, { data: '/d', upstreams: ['nourl'] })).toThrow(/NAME=URL.*nourl/);
    expect(() => buildConfig({}, {}, { data: '/d', upstreams: ['a=ftp://x/'] })).toThrow(/http\(s\) URL.*ftp/);
    expect(() => buildConfig({}, {}, { data: '/d', upstreams: ['../x=http://x/'] })).toThrow(/repository name/);
    expect(() => buildConfig({ repos: { a: { upstream: 'http://x/', retention: { keep: ['sometimes'] } } } }, {}, { data: '/d' })).toThrow(/keep must be a list/);
    expect(() => buildConfig({ repos: { a: { upstream: 'http://x/', gpgcheck: 'yes' } } }, {}, { data: '/d' })).toThrow(/gpgcheck must be true or false/);
    expect(() => parseListen('8080')).toThrow(/HOST:PORT/);
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseListen(':80')).toEqual({ host: '0.0.0.0', port: 80 });
    const dir = await tempDir('yv-config-bad-');
    try {
      writeFileSync(join(dir.path, 'bad.yaml'), 'repos: [unclosed');
      await expect(loadProxyConfig({ config: join(dir.path, 'bad.yaml') }, {})).rejects.toThrow(/not valid YAML/);
      await expect(loadProxyConfig({ config: join(dir.path, 'missing.yaml') }, {})).rejects.toThrow(/cannot read config file/);
    } finally {
      await dir.remove();
    }
  });
});

describe('request paths, ranges, mirror lists', () => {
  it('splits repo and path, refusing escapes', () => {
    expect(parseRepoPath('baseos/Packages/l/libstdc%2B%2B-11.rpm')).toEqual({ repo: 'baseos', path: 'Packages/l/libstdc++-11.rpm' });
    for (const bad of ['a/../b', 'a/%2e%2e/b', 'a/b%2fc', 'a//b', 'a/b\\c', 'a/%00', 'a/%zz', 'a', 'a/.']) expect(() => parseRepoPath(bad), bad).toThrow(/refused/);
  });

  it('parses Range headers as RFC 9110 says', () => {
    expect(parseRangeHeader('bytes=0-9', 100)).toEqual([{ start: 0, end: 9 }]);
    expect(parseRangeHeader('bytes=90-', 100)).toEqual([{ start: 90, end: 99 }]);
    expect(parseRangeHeader('bytes=-10', 100)).toEqual([{ start: 90, end: 99 }]);
    expect(parseRangeHeader('bytes=95-200', 100)).toEqual([{ start: 95, end: 99 }]);
    expect(parseRangeHeader('bytes=0-0, 50-59', 100)).toEqual([{ start: 0, end: 0 }, { start: 50, end: 59 }]);
    expect(parseRangeHeader('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=5-1', 100)).toBeNull();
    expect(parseRangeHeader('items=0-1', 100)).toBeNull();
    expect(parseRangeHeader(undefined, 100)).toBeNull();
    const plan = planMultipart([{ start: 0, end: 0 }, { start: 10, end: 19 }], 100, 'application/x-rpm', 'B');
    expect(plan.contentLength).toBe(plan.heads.join('').length + plan.tail.length + 11);
  });

  it('reads mirrorlists and metalinks', () => {
    expect(parseMirrorlist('# comment\nhttp://127.0.0.1:1/a\n\nhttps://127.0.0.1:2/b/\nftp://x/\n')).toEqual(['http://127.0.0.1:1/a/', 'https://127.0.0.1:2/b/']);
    const metalink = '<metalink><files><file name="repomd.xml"><resources><url protocol="rsync">rsync://x/repodata/repomd.xml</url><url protocol="http" preference="100">http://127.0.0.1:1/9/BaseOS/repodata/repomd.xml</url></resources></file></files></metalink>';
    expect(parseMetalink(metalink)).toEqual(['http://127.0.0.1:1/9/BaseOS/']);
  });
});
