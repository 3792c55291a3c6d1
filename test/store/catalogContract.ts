// One contract for every Catalog implementation (undici's cacheStoreTests style): SQLite and PostgreSQL
// run the same assertions.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Catalog, ListedPackage } from '../../src/store/catalog.ts';

export interface CatalogFactory {
  open(): Promise<Catalog>;
  /** Removes everything so the next open starts empty. */
  reset(): Promise<void>;
}

const sha = (c: string): string => c.repeat(64).slice(0, 64);

function listed(name: string, version: string, release: string, id: string, arch = 'x86_64'): ListedPackage {
  return {
    name,
    epoch: 0,
    version,
    release,
    arch,
    pkgid: sha(id),
    checksumType: 'sha256',
    location: `Packages/${name}-${version}-${release}.${arch}.rpm`,
    size: 1000 + version.length,
  };
}

export function catalogTests(label: string, factory: CatalogFactory): void {
  describe(`Catalog contract: ${label}`, () => {
    let cat: Catalog;
    beforeEach(async () => {
      await factory.reset();
      cat = await factory.open();
      await cat.upsertRepo('base', 'http://127.0.0.1:1/base/');
    });
    afterEach(async () => {
      await cat.close();
    });

    test('migrations are idempotent and repos round-trip', async () => {
      await cat.migrate();
      await cat.upsertRepo('base', 'http://127.0.0.1:2/base/');
      await cat.setRepoRevision('base', '1700000000:sha256:ab|', '1700000000', 5);
      await cat.setRepoPass('base', 6, null);
      const repo = await cat.getRepo('base');
      expect(repo).toEqual({ name: 'base', upstreamUrl: 'http://127.0.0.1:2/base/', revision: '1700000000', scanState: '1700000000:sha256:ab|', revisionAt: 5, lastPassAt: 6, lastPassError: null });
      expect(await cat.getRepo('nope')).toBeNull();
    });

    test('recordListed reports only new versions; markGone retires the unlisted ones', async () => {
      const a1 = listed('a', '1.0', '1', 'a');
      const a2 = listed('a', '1.0', '2', 'b');
      const first = await cat.recordListed('base', 's1', [a1, a2], 100);
      expect(first.map((p) => p.release)).toEqual(['1', '2']);
      expect(first[0]).toMatchObject({ repo: 'base', upstream: true, firstSeenAt: 100, blobSha256: null, retained: false });
      const again = await cat.recordListed('base', 's2', [a2], 200);
      expect(again).toEqual([]);
      expect(await cat.markGone('base', 's2', 200)).toBe(1);
      const vs = await cat.versionsOf('base', 'a', 'x86_64');
      expect(vs.map((v) => [v.release, v.upstream, v.goneAt, v.lastSeenAt])).toEqual([
        ['1', false, 200, 100],
        ['2', true, null, 200],
      ]);
      const events = await cat.listEvents({ repo: 'base' });
      expect(events.map((e) => `${e.kind} ${e.nevra}`)).toEqual(['appeared a-1.0-1.x86_64', 'appeared a-1.0-2.x86_64', 'gone a-1.0-1.x86_64']);
      // Listed again later: back upstream.
      await cat.recordListed('base', 's3', [a1], 300);
      expect((await cat.findByPkgid(a1.pkgid))[0]).toMatchObject({ upstream: true, goneAt: null });
    });

    test('supersession, advisories and epochs in event names', async () => {
      const e = { ...listed('b', '2.0', '1', 'c'), epoch: 3 };
      await cat.recordListed('base', 's1', [listed('b', '1.0', '1', 'd'), e], 1);
      expect(await cat.namesWithUnsuperseded('base', 10)).toEqual([{ name: 'b', arch: 'x86_64' }]);
      const [old] = await cat.versionsOf('base', 'b', 'x86_64');
      await cat.markSuperseded(old!.id, 'b-3:2.0-1.x86_64', 2);
      await cat.markSuperseded(old!.id, 'b-3:2.0-1.x86_64', 3);
      expect(await cat.namesWithUnsuperseded('base', 10)).toEqual([]);
      await cat.setAdvisory(old!.id, 'FEDORA-2026-1', 'Important', 4);
      const got = (await cat.findByPkgid(old!.pkgid))[0]!;
      expect(got).toMatchObject({ supersededAt: 2, supersededBy: 'b-3:2.0-1.x86_64', advisoryId: 'FEDORA-2026-1', advisorySeverity: 'Important' });
      await cat.markGone('base', 's2', 5);
      const kinds = (await cat.listEvents({ repo: 'base' })).map((x) => `${x.kind} ${x.nevra}`);
      expect(kinds).toContain('gone b-3:2.0-1.x86_64');
      expect(kinds.filter((k) => k.startsWith('superseded'))).toEqual(['superseded b-1.0-1.x86_64']);
      expect((await cat.listEvents({ repo: 'base', kind: 'advisory' }))[0]!.detail).toBe('FEDORA-2026-1 (Important)');
    });

    test('manifests: idempotent by image sha256, referenced flags, pending retention, held, lost', async () => {
      const p1 = listed('c', '1', '1', 'e');
      const p2 = listed('c', '1', '2', 'f');
      await cat.recordListed('base', 's1', [p1, p2], 1);
      const body = { format: 'yumvault.manifest/1', image: { sha256: sha('9') } };
      const builds = [{ name: 'c', epoch: 0, version: '1', release: '1', arch: 'x86_64', pkgid: p1.pkgid, repo: 'base' }];
      const r1 = await cat.registerManifest({ imageSha256: sha('9'), imageName: 'img', body, builds }, 10);
      const r2 = await cat.registerManifest({ imageSha256: sha('9'), imageName: 'img', body, builds }, 11);
      expect(r1.created).toBe(true);
      expect(r2).toEqual({ id: r1.id, created: false });
      expect((await cat.listManifests()).map((m) => m.imageSha256)).toEqual([sha('9')]);
      expect((await cat.getManifest(r1.id))?.body).toEqual(body);
      expect(await cat.manifestBuilds(r1.id)).toEqual(builds);
      expect(await cat.manifestsReferencing(p1.pkgid)).toEqual([r1.id]);
      expect(await cat.getManifest(r1.id + 100)).toBeNull();

      const pending = await cat.pendingRetention('base', ['referenced', 'downloaded'], 10, 0);
      expect(pending.map((p) => p.pkgid)).toEqual([p1.pkgid]);
      expect((await cat.pendingRetention('base', ['all'], 10, 0)).length).toBe(2);
      expect(await cat.pendingRetention('base', [], 10, 0)).toEqual([]);
      await cat.markHeld(pending[0]!.id, p1.pkgid, true, 12);
      expect(await cat.pendingRetention('base', ['referenced'], 10, 0)).toEqual([]);
      expect((await cat.totals())).toEqual({ retained: 1, lost: 0, held: 1 });

      await cat.markLost((await cat.findByPkgid(p2.pkgid))[0]!.id, 'gone before it was held', 13);
      await cat.markLost((await cat.findByPkgid(p2.pkgid))[0]!.id, 'again', 14);
      expect((await cat.listLost('base')).map((p) => p.pkgid)).toEqual([p2.pkgid]);
      expect((await cat.listEvents({ kind: 'lost' })).length).toBe(1);
      const [summary] = await cat.listRepos();
      expect(summary!.counts).toEqual({ versions: 2, upstream: 2, held: 1, retained: 1, lost: 1 });
    });

    test('a manifest registered before the version is listed is linked by refreshReasons', async () => {
      const p = listed('d', '1', '1', '7');
      await cat.registerManifest({ imageSha256: sha('8'), imageName: null, body: {}, builds: [{ ...p, repo: null }] }, 1);
      await cat.recordListed('base', 's1', [p], 2);
      expect((await cat.findByPkgid(p.pkgid))[0]!.referenced).toBe(false);
      await cat.refreshReasons('base');
      expect((await cat.findByPkgid(p.pkgid))[0]!.referenced).toBe(true);
    });

    test('recordDownload holds a listed version at once, and a later-listed one on refresh', async () => {
      const p = listed('e', '1', '1', '5');
      const q = listed('e', '1', '2', '6');
      await cat.recordListed('base', 's1', [p], 1);
      await cat.recordDownload('base', { location: p.location, blob: { sha256: p.pkgid, size: p.size } }, 2);
      await cat.recordDownload('base', { location: p.location, blob: { sha256: p.pkgid, size: p.size } }, 3);
      expect((await cat.findByLocation('base', p.location))).toMatchObject({ downloaded: true, blobSha256: p.pkgid });
      await cat.recordDownload('base', { location: q.location, pkgid: q.pkgid, blob: { sha256: q.pkgid, size: q.size } }, 4);
      await cat.recordListed('base', 's2', [p, q], 5);
      await cat.refreshReasons('base');
      expect((await cat.findByPkgid(q.pkgid))[0]).toMatchObject({ downloaded: true, blobSha256: q.pkgid });
      const vault = await cat.vaultPackages('base', 10, 0);
      expect(vault.map((v) => v.pkgid)).toEqual([p.pkgid, q.pkgid]);
      expect(await cat.findByLocation('base', 'Packages/none.rpm')).toBeNull();
    });

    test('skipped versions leave pending retention', async () => {
      const p = listed('f', '1.0.0', '1', '3');
      await cat.recordListed('base', 's1', [p], 1);
      const [row] = await cat.pendingRetention('base', ['all'], 10, 0);
      await cat.markSkipped(row!.id, 'minor update f-1.0.1-1', 2);
      expect(await cat.pendingRetention('base', ['all'], 10, 0)).toEqual([]);
      expect((await cat.listEvents({ kind: 'skipped' }))[0]!.detail).toBe('minor update f-1.0.1-1');
    });

    test('listPackages pages, listEvents pages by id', async () => {
      const batch = Array.from({ length: 25 }, (_, i) => listed(`g${String(i).padStart(2, '0')}`, '1', '1', i.toString(16).padStart(2, '0')));
      await cat.recordListed('base', 's1', batch, 1);
      const page1 = await cat.listPackages('base', { limit: 10 });
      const page3 = await cat.listPackages('base', { limit: 10, offset: 20 });
      expect(page1.length).toBe(10);
      expect(page3.map((p) => p.name)).toEqual(['g20', 'g21', 'g22', 'g23', 'g24']);
      const ev = await cat.listEvents({ limit: 5 });
      const next = await cat.listEvents({ limit: 5, afterId: ev[4]!.id });
      expect(next[0]!.id).toBeGreaterThan(ev[4]!.id);
    });

    test('latestEvents: newest first, limited in the query, by repo and kinds', async () => {
      await cat.upsertRepo('other', 'http://127.0.0.1:1/other/');
      for (let i = 0; i < 30; i++) {
        await cat.addEvent({ at: i, repo: i % 3 === 0 ? 'other' : 'base', nevra: `h-${i}-1.noarch`, pkgid: null, kind: i % 5 === 0 ? 'lost' : 'appeared', detail: null });
      }
      expect((await cat.latestEvents(3)).map((e) => e.nevra)).toEqual(['h-29-1.noarch', 'h-28-1.noarch', 'h-27-1.noarch']);
      expect((await cat.latestEvents(2, { repo: 'other' })).map((e) => e.nevra)).toEqual(['h-27-1.noarch', 'h-24-1.noarch']);
      expect((await cat.latestEvents(10, { kinds: ['lost'] })).map((e) => e.at)).toEqual([25, 20, 15, 10, 5, 0]);
      expect((await cat.latestEvents(10, { repo: 'base', kinds: ['lost', 'retained'] })).map((e) => e.at)).toEqual([25, 20, 10, 5]);
      expect(await cat.latestEvents(10, { kinds: [] })).toEqual([]);
      expect(await cat.latestEvents(0)).toEqual([]);
    });

    test('manifestSummaries: newest first, each build counted once by its state', async () => {
      const up = listed('m', '1', '1', '1');
      const kept = listed('m', '1', '2', '2');
      const lost = listed('m', '1', '3', '3');
      const skipped = listed('m', '1', '4', '4');
      await cat.recordListed('base', 's1', [up, kept, lost, skipped], 1);
      await cat.markGone('base', 's2', 2); // nothing is listed in s2: all four gone upstream…
      await cat.recordListed('base', 's3', [up], 3); // …then `up` is listed again
      await cat.markHeld((await cat.findByPkgid(kept.pkgid))[0]!.id, kept.pkgid, true, 4);
      await cat.markLost((await cat.findByPkgid(lost.pkgid))[0]!.id, 'evicted first', 5);
      await cat.markSkipped((await cat.findByPkgid(skipped.pkgid))[0]!.id, 'minor', 6);
      const b = (p: ListedPackage) => ({ name: p.name, epoch: 0, version: p.version, release: p.release, arch: p.arch, pkgid: p.pkgid, repo: 'base' });
      const never = { ...b(up), release: '9', pkgid: sha('a') };
      const first = await cat.registerManifest({ imageSha256: sha('5'), imageName: 'first', body: {}, builds: [b(up), b(kept), b(lost), b(skipped), never] }, 7);
      const second = await cat.registerManifest({ imageSha256: sha('6'), imageName: null, body: {}, builds: [] }, 8);
      const all = await cat.manifestSummaries();
      expect(all.map((m) => m.id)).toEqual([second.id, first.id]);
      expect(all[1]).toEqual({ id: first.id, imageSha256: sha('5'), imageName: 'first', createdAt: 7, builds: 5, upstream: 1, retained: 1, lost: 1, other: 2, held: 1 });
      expect(all[0]).toMatchObject({ builds: 0, upstream: 0, retained: 0, lost: 0, other: 0, held: 0 });
      expect((await cat.manifestSummaries({ limit: 1, offset: 1 })).map((m) => m.id)).toEqual([first.id]);
    });

    test('manifestBuildVersions: by pkgid, or by NEVRA where metadata checksums are not sha256; summaries agree', async () => {
      await cat.upsertRepo('base', 'http://127.0.0.1:1/base/');
      await cat.upsertRepo('sha1repo', 'http://127.0.0.1:1/sha1repo/');
      const exact = listed('e', '1', '1', '1');
      const sameNevraOtherBuild = listed('e', '1', '1', '2'); // sha256 repo: another pkgid is another build
      const sha1Row = { ...listed('s', '2', '1', '3'), checksumType: 'sha1', pkgid: 'c'.repeat(40) };
      await cat.recordListed('base', 's1', [exact], 1);
      await cat.recordListed('sha1repo', 's1', [sha1Row, { ...sameNevraOtherBuild, checksumType: 'sha256' }], 1);
      const b = (p: ListedPackage, pkgid: string, repo: string | null) => ({ name: p.name, epoch: 0, version: p.version, release: p.release, arch: p.arch, pkgid, repo });
      const m = await cat.registerManifest(
        { imageSha256: sha('7'), imageName: null, body: {}, builds: [b(exact, exact.pkgid, 'base'), b(sha1Row, sha('d'), 'sha1repo'), b(sha1Row, sha('d'), null), b(sha1Row, sha('d'), 'base'), b(exact, sha('f'), null)] },
        2,
      );
      const got = await cat.manifestBuildVersions(m.id);
      expect(got.map((g) => [g.build.name, g.build.repo, g.versions.map((v) => `${v.repo}:${v.pkgid.slice(0, 4)}`)])).toEqual([
        ['e', 'base', ['base:1111']], // by pkgid
        ['s', 'sha1repo', ['sha1repo:cccc']], // by NEVRA in its repo (sha1 metadata)
        ['s', null, ['sha1repo:cccc']], // by NEVRA in any repo
        ['s', 'base', []], // not in the repo it names
        ['e', null, []], // sha256 metadata: a NEVRA alone is not the build
      ]);
      const [summary] = await cat.manifestSummaries();
      expect(summary).toMatchObject({ id: m.id, builds: 5, upstream: 3, other: 2 });
    });

    test('advisories: upsert by id, paged by id', async () => {
      await cat.recordAdvisory('base', { id: 'B-2', type: 'security', severity: null }, 1);
      await cat.recordAdvisory('base', { id: 'A-1', type: 'security', severity: 'Low' }, 1);
      await cat.recordAdvisory('base', { id: 'A-1', type: 'security', severity: 'High' }, 2);
      expect(await cat.listAdvisories('base', 10, '')).toEqual([
        { id: 'A-1', type: 'security', severity: 'High' },
        { id: 'B-2', type: 'security', severity: null },
      ]);
      expect(await cat.listAdvisories('base', 10, 'A-1')).toEqual([{ id: 'B-2', type: 'security', severity: null }]);
      expect(await cat.listAdvisories('other', 10, '')).toEqual([]);
    });

    test('one monitor lock at a time', async () => {
      const release = await cat.tryMonitorLock();
      expect(release).not.toBeNull();
      const other = await factory.open();
      try {
        expect(await other.tryMonitorLock()).toBeNull();
        await release!();
        const again = await other.tryMonitorLock();
        expect(again).not.toBeNull();
        await again!();
      } finally {
        await other.close();
      }
    });
  });
}
