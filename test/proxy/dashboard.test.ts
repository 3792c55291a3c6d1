// The dashboard page over a real SQLite catalog, served by a real proxy: headers, escaping of hostile
// values, bounded reads (newest events first, limited in the query), the failure page. What a person sees
// in a browser is tested in dashboardBrowser.test.ts.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DASHBOARD_LIMITS, renderDashboard } from '../../proxy/dashboard.ts';
import type { Catalog } from '../../src/store/catalog.ts';
import { startProxy, tempDir, type RunningProxy } from './helpers.ts';

const HOSTILE = `<script>window.pwned=1</script><img src=x onerror="alert('x')">&amp;`;
let dir: { path: string; remove: () => Promise<void> };
let proxy: RunningProxy;
let catalog: Catalog;

beforeEach(async () => {
  dir = await tempDir('yv-dash-');
  // Nothing listens on port 9: the page must render from the catalog alone.
  proxy = await startProxy(dir.path, { base: 'http://127.0.0.1:9/base/' });
  catalog = proxy.stores.catalog;
});
afterEach(async () => {
  await proxy.close();
  await dir.remove();
});

const sha = (c: string): string => c.repeat(64).slice(0, 64);

describe('dashboard', () => {
  test('served with a strict CSP, no-store, and every hostile value escaped', async () => {
    await catalog.upsertRepo(HOSTILE, `http://127.0.0.1:9/${HOSTILE}`);
    await catalog.setRepoPass(HOSTILE, Date.now() - 5000, HOSTILE);
    await catalog.addEvent({ at: 1, repo: HOSTILE, nevra: `${HOSTILE}-1-1.noarch`, pkgid: null, kind: 'retained', detail: HOSTILE });
    await catalog.registerManifest({ imageSha256: sha('a'), imageName: HOSTILE, body: {}, builds: [] }, 2);
    const r = await fetch(proxy.url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await r.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i); // no event-handler attribute in any tag
    const escaped = '&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;';
    // repo name, its upstream URL, the pass error, the event's repo, nevra and detail, the image name
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(7);
    // The hostile repo's links are percent-encoded paths, not markup.
    expect(html).toContain(`href="/vault/${encodeURIComponent(HOSTILE).replace(/'/g, '&#39;')}/repodata/repomd.xml"`);
    expect(html).toContain('(not configured)');
    // The configured repo comes first, with its .repo file and vault links.
    expect(html.indexOf('<b>base</b>')).toBeLessThan(html.indexOf(`<b>${escaped}</b>`));
    expect(html).toContain('href="/repos/base.repo"');
  });

  test('the latest retention events come newest first from a limited query, appeared left out', async () => {
    const calls: unknown[][] = [];
    const spy: Catalog = Object.create(catalog) as Catalog;
    spy.listEvents = () => Promise.reject(new Error('the dashboard must not read the whole history'));
    spy.latestEvents = (...args) => {
      calls.push(args);
      return catalog.latestEvents(...args);
    };
    for (let i = 0; i < 120; i++) {
      await catalog.addEvent({ at: Date.UTC(2026, 0, 1) + i * 1000, repo: 'base', nevra: `p-${i}-1.noarch`, pkgid: null, kind: i % 2 ? 'appeared' : 'superseded', detail: null });
    }
    const page = await renderDashboard(spy, [{ name: 'base', upstream: 'http://127.0.0.1:9/base/', servedRevision: '1700000000' }], Date.UTC(2026, 0, 2));
    expect(page.status).toBe(200);
    expect(calls).toEqual([[DASHBOARD_LIMITS.events, { kinds: ['superseded', 'gone', 'retained', 'lost', 'advisory', 'skipped'] }]]);
    const shown = [...page.body.matchAll(/<code>(p-\d+-1\.noarch)<\/code>/g)].map((m) => m[1]);
    expect(shown.length).toBe(DASHBOARD_LIMITS.events);
    expect(shown[0]).toBe('p-118-1.noarch');
    expect(shown[1]).toBe('p-116-1.noarch');
    expect(shown.at(-1)).toBe(`p-${118 - 2 * (DASHBOARD_LIMITS.events - 1)}-1.noarch`);
    expect(page.body).toContain('2026-01-01 00:01:58');
    expect(page.body).toContain('<code>1700000000</code>');
  });

  test('lost builds: alert, highlighted counts, the manifests they break', async () => {
    const listed = (release: string, id: string) => ({ name: 'zlib', epoch: 0, version: '1.3', release, arch: 'x86_64', pkgid: sha(id), checksumType: 'sha256', location: `Packages/zlib-1.3-${release}.x86_64.rpm`, size: 10 });
    const a = listed('1', 'b');
    const b = listed('2', 'c');
    await catalog.recordListed('base', 's1', [a, b], 1);
    const build = (p: typeof a) => ({ name: p.name, epoch: 0, version: p.version, release: p.release, arch: p.arch, pkgid: p.pkgid, repo: 'base' });
    const m = await catalog.registerManifest({ imageSha256: sha('d'), imageName: 'web.tar', body: {}, builds: [build(a), build(b)] }, 2);
    await catalog.markGone('base', 's2', 3);
    await catalog.markHeld((await catalog.findByPkgid(b.pkgid))[0]!.id, b.pkgid, true, 4);
    await catalog.markLost((await catalog.findByPkgid(a.pkgid))[0]!.id, `breaks manifests ${m.id}`, Date.UTC(2026, 10, 25, 9, 0, 0));
    const html = await (await fetch(proxy.url)).text();
    expect(html).toContain('<title>yumvault proxy (1 lost)</title>');
    expect(html).toMatch(/<p class="alert" role="alert"><b>1 build lost<\/b>/);
    expect(html).toContain('<td data-label="lost" class="num bad">1</td>');
    expect(html).toContain('<h2 id="lost">Lost builds</h2>');
    expect(html).toMatch(/<tr class="lost"><td data-label="version"><code>zlib-1.3-1.x86_64<\/code><\/td><td data-label="repo">base<\/td><td data-label="lost at" class="t">2026-11-25 09:00:00<\/td><td data-label="breaks manifests"><a href="\/api\/v1\/manifests\/1">#1<\/a><\/td>/);
    // The manifest row: 2 builds, 1 retained, 1 lost, 1 held.
    expect(html).toContain(
      '<td data-label="builds" class="num">2</td><td data-label="upstream" class="num">0</td><td data-label="retained" class="num">1</td><td data-label="lost" class="num bad">1</td><td data-label="other" class="num">0</td><td data-label="held" class="num">1</td>',
    );
  });

  test('a catalog that cannot be read is a 503 page that says so, not a page of zeros', async () => {
    const broken: Catalog = Object.create(catalog) as Catalog;
    broken.listRepos = () => Promise.reject(new Error('database is locked <x>'));
    const page = await renderDashboard(broken, [], 0);
    expect(page.status).toBe(503);
    expect(page.headers['Content-Security-Policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(page.body).toContain('The catalog could not be read: database is locked &lt;x&gt;');
    expect(page.body).not.toContain('Repositories');
  });
});
