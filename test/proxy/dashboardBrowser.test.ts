// The dashboard as a person sees it, in a real Chromium (Debian's, driven by playwright-core; no browser is
// ever downloaded). A real proxy with its monitor runs over a real upstream on 127.0.0.1 that publishes
// generated packages, then evicts them; a manifest is registered through the API before the eviction (its
// builds are held and retained) and another after the monitor saw a build it references but before it was
// held (that build is lost). The page must show the repo, the counts, the lost build highlighted, the
// manifests and the events, with hostile text shown as text, on a wide and a narrow screen.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildConfig } from '../../proxy/config.ts';
import { createProxyServer, type ProxyServer } from '../../proxy/server.ts';
import { openProxyServices, type ProxyServices } from '../../proxy/services.ts';
import { defaultRepodataWriter } from '../../src/cli/repodataWriter.ts';
import { generatePool, publish, window as buildsWindow, type PoolBuild } from '../../src/demo/upstreamRepo.ts';
import { writeRepodata } from '../../src/repo/writer.ts';
import { silentLogger } from '../../src/retention/logger.ts';
import { startTestHttpServer, type TestHttpServer } from '../fixtures-gen/httpServer.ts';
import { tempDir } from './helpers.ts';

// The functions passed to page.evaluate run in the browser; tsconfig has no DOM lib (it would retype Node's
// timers for the whole project), so the few browser globals they use are declared here, in this module only.
declare const window: { innerWidth: number; pwned?: unknown };
declare const document: {
  scripts: { length: number };
  images: { length: number };
  documentElement: { scrollWidth: number };
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): Iterable<unknown>;
};
declare function getComputedStyle(el: unknown, pseudo?: string): { color: string; backgroundColor: string; display: string; content: string };

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TOKEN = 'dash-token';
const NAMES = ['demo-libs', 'demo-tools', 'demo-server'];
const HOSTILE = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`;
const REV1 = '1764000001';
const REV2 = '1764000002';

const skipReason = existsSync(CHROMIUM) ? null : `${CHROMIUM} is absent (apt-get install chromium)`;
if (skipReason) console.warn(`SKIPPING the dashboard browser test: ${skipReason}`);

let work: { path: string; remove: () => Promise<void> };
let upstream: TestHttpServer;
let services: ProxyServices;
let proxy: ProxyServer;
let url: string;
let context: BrowserContext;
let pool: Map<string, PoolBuild[]>;
const browserProblems: string[] = [];
const requested: string[] = [];

const build = (name: string, n: number): PoolBuild => pool.get(name)![n]!;
const nevra = (b: PoolBuild): string => `${b.spec.name}-${b.spec.version}-${b.spec.release}.${b.spec.arch}`;

function manifest(image: string, sha: string, builds: readonly PoolBuild[]) {
  return {
    format: 'yumvault.manifest/1',
    image: { name: image, sha256: sha.repeat(64).slice(0, 64), size: 1, compression: 'none' },
    packages: builds.map((b) => ({
      name: b.spec.name, epoch: 0, version: b.spec.version, release: b.spec.release, arch: b.spec.arch,
      pkgid: b.rpm.sha256, headerSha256: 'd'.repeat(64), repo: `${url}repos/demo/`,
    })),
    residual: { sha256: 'e'.repeat(64), size: 1 },
    stats: {},
  };
}

async function api(path: string, method = 'GET', body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${url}api/v1/${path}`, {
    method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function upstreamPublishes(from: number, to: number, revision: string): Promise<void> {
  const repoDir = join(work.path, 'upstream', 'demo');
  await publish(repoDir, buildsWindow(pool, from, to), (dir, pkgs) =>
    writeRepodata(dir, pkgs.map((p) => ({ path: join(dir, p.relativePath), location: p.relativePath })), { revision }).then(() => {}));
}

/** A client asks for repomd.xml: the proxy adopts upstream's revision (what the page calls "served"). */
async function clientReadsRepomd(): Promise<void> {
  const r = await fetch(`${url}repos/demo/repodata/repomd.xml`);
  expect(r.status).toBe(200);
  await r.arrayBuffer();
}

describe.skipIf(skipReason !== null)('dashboard in Chromium', () => {
  beforeAll(async () => {
    work = await tempDir('yv-dashb-');
    pool = await generatePool({ names: NAMES });
    await upstreamPublishes(0, 3, REV1);
    upstream = await startTestHttpServer(join(work.path, 'upstream'));
    const config = buildConfig({ monitorInterval: '0', metadataTtl: '0s' }, {}, {
      data: join(work.path, 'data'), listen: '127.0.0.1:0', token: TOKEN, upstreams: [`demo=${upstream.url}demo/`],
    });
    services = await openProxyServices(config, { logger: silentLogger, writeRepodata: await defaultRepodataWriter() });
    proxy = await createProxyServer(config, { catalog: services.stores.catalog, blobs: services.stores.blobs, logger: silentLogger, monitor: services.monitor });
    url = await proxy.start();

    await clientReadsRepomd();
    await api('monitor', 'POST');
    // Registered while upstream has them: the newest build of each package is held at once.
    await api('manifests', 'POST', manifest('web-2026.04.tar', 'a', NAMES.map((n) => build(n, 2))));
    // Registered without waiting for a pass, then upstream evicts: demo-tools' older build is lost.
    await api('manifests?wait=false', 'POST', manifest(`${HOSTILE}.tar`, 'b', [build('demo-tools', 1), build('demo-libs', 2)]));
    await upstreamPublishes(3, 6, REV2);
    await clientReadsRepomd();
    await api('monitor', 'POST');
    // Hostile text where a person reads it: a repo name only the catalog knows, and an event's detail.
    await services.stores.catalog.upsertRepo(HOSTILE, `http://127.0.0.1:9/${HOSTILE}`);
    await services.stores.catalog.addEvent({ at: Date.now(), repo: 'demo', nevra: nevra(build('demo-libs', 2)), pkgid: null, kind: 'advisory', detail: HOSTILE });

    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(work.path, 'chromium-profile'), {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await proxy?.stop();
    await services?.monitor.close();
    await services?.close();
    await upstream?.close();
    await work?.remove();
  });

  async function open(): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') browserProblems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => browserProblems.push(`page error: ${e.message}`));
    page.on('request', (r) => requested.push(r.url()));
    const resp = await page.goto(url);
    expect(resp?.status()).toBe(200);
    expect(resp?.headers()['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(resp?.headers()['cache-control']).toBe('no-store');
    return page;
  }

  test('shows the repo, its counts, the lost build highlighted, manifests and events', async () => {
    const page = await open();
    expect(await page.title()).toBe('yumvault proxy (1 lost)');

    // What the API says is what the page shows.
    const repo = ((await api('repos')).repos as { name: string; counts: Record<string, number> }[]).find((r) => r.name === 'demo');
    expect(repo!.counts).toEqual({ versions: 18, upstream: 9, held: 3, retained: 3, lost: 1 });

    const row = page.locator('table.cards').first().locator('tbody tr').filter({ has: page.locator('b', { hasText: /^demo$/ }) });
    await expect.poll(() => row.count()).toBe(1);
    const cell = async (label: string) => (await row.locator(`td[data-label="${label}"]`).innerText()).trim();
    expect(await cell('upstream')).toBe(`${upstream.url}demo/`);
    expect(await cell('revision served')).toBe(REV2);
    expect(await cell('listed upstream')).toBe('9');
    expect(await cell('held')).toBe('3');
    expect(await cell('retained')).toBe('3');
    expect(await cell('lost')).toBe('1');
    expect(await cell('last monitor pass')).toMatch(/^\d+ s ago$/);
    const lostCell = row.locator('td[data-label="lost"]');
    expect(await lostCell.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(176, 0, 32)');
    expect(await lostCell.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 236, 238)');
    expect(await row.locator('td[data-label="held"]').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(29, 29, 31)');

    // The alert and the lost build with the manifest it breaks.
    expect(await page.getByRole('alert').innerText()).toMatch(/^1 build lost: /);
    const lostTools = nevra(build('demo-tools', 1));
    const lostRows = page.locator('#lost + p + table tbody tr');
    expect(await lostRows.count()).toBe(1);
    expect(await lostRows.locator('td[data-label="version"]').innerText()).toBe(lostTools);
    expect(await lostRows.locator('td[data-label="breaks manifests"]').innerText()).toBe('#2');

    // Manifests, newest first: the hostile image name is text; its lost build counted and highlighted.
    const mRows = page.locator('h2:text-is("Registered manifests") + p + table tbody tr');
    expect(await mRows.count()).toBe(2);
    const counts = async (i: number) => Promise.all(['builds', 'upstream', 'retained', 'lost', 'other', 'held'].map(async (l) => Number(await mRows.nth(i).locator(`td[data-label="${l}"]`).innerText())));
    expect(await mRows.nth(0).locator('td[data-label="image"]').innerText()).toContain(`${HOSTILE}.tar`);
    expect(await counts(0)).toEqual([2, 0, 1, 1, 0, 1]);
    expect(await mRows.nth(1).locator('td[data-label="image"]').innerText()).toContain('web-2026.04.tar');
    expect(await counts(1)).toEqual([3, 0, 3, 0, 0, 3]);
    expect(await mRows.nth(0).evaluate((el) => el.className)).toBe('lost');

    // Events newest first: the injected advisory (hostile detail as text), then the last pass's work.
    const eRows = page.locator('table.events tbody tr');
    const events = await eRows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    expect(events[0]!.slice(1)).toEqual(['demo', 'advisory', nevra(build('demo-libs', 2)), HOSTILE]);
    const kinds = events.map((e) => `${e[2]} ${e[3]}`);
    expect(kinds).toContain(`lost ${lostTools}`);
    for (const n of NAMES) expect(kinds).toContain(`retained ${nevra(build(n, 2))}`);
    for (const n of NAMES) expect(kinds).toContain(`superseded ${nevra(build(n, 0))}`);
    expect(kinds.some((k) => k.startsWith('appeared'))).toBe(false);
    const times = events.map((e) => e[0]!);
    expect([...times].sort().reverse()).toEqual(times);
    const lostEvent = eRows.filter({ hasText: lostTools }).filter({ has: page.locator('td.kind', { hasText: 'lost' }) });
    expect(await lostEvent.evaluate((el) => getComputedStyle(el.querySelector('td')!).backgroundColor)).toBe('rgb(253, 236, 238)');

    // The hostile repo name is text; nothing ran, nothing but the page was fetched.
    expect(await page.locator('td[data-label="repo"] b').allInnerTexts()).toEqual(['demo', HOSTILE]);
    expect(await page.evaluate(() => ({ pwned: window.pwned ?? null, scripts: document.scripts.length, imgs: document.images.length }))).toEqual({ pwned: null, scripts: 0, imgs: 0 });

    // The links work: the .repo file and the vault's repomd.xml.
    const repoHref = await row.locator('a', { hasText: '.repo file' }).getAttribute('href');
    const vaultHref = await row.locator('a', { hasText: 'vault' }).getAttribute('href');
    const repoFile = await fetch(new URL(repoHref!, url));
    expect(repoFile.status).toBe(200);
    expect(await repoFile.text()).toContain(`baseurl=${url}repos/demo/`);
    const vault = await fetch(new URL(vaultHref!, url));
    expect(vault.status).toBe(200);
    expect(await vault.text()).toContain('<repomd');

    const png = join(work.path, 'dashboard-wide.png');
    await page.screenshot({ path: png, fullPage: true });
    checkPng(png, 1280);
    if (process.env.YV_KEEP_SCREENSHOTS) await page.screenshot({ path: join(process.env.YV_KEEP_SCREENSHOTS, 'dashboard-wide.png'), fullPage: true });
    await page.close();
  });

  test('readable on a narrow screen: no sideways scrolling, each row a labelled card', async () => {
    const page = await open();
    await page.setViewportSize({ width: 375, height: 812 });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
      theadShown: [...document.querySelectorAll('thead')].filter((t) => getComputedStyle(t).display !== 'none').length,
      label: getComputedStyle(document.querySelector('td[data-label="upstream"]')!, '::before').content,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
    expect(layout.theadShown).toBe(0);
    expect(layout.label).toBe('"upstream"');
    // The lost count still stands out, and the numbers sit beside their labels.
    const lostCell = page.locator('table.cards').first().locator('tbody tr').first().locator('td[data-label="lost"]');
    expect(await lostCell.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(176, 0, 32)');
    expect((await lostCell.boundingBox())!.width).toBeLessThanOrEqual(375);
    const png = join(work.path, 'dashboard-narrow.png');
    await page.screenshot({ path: png, fullPage: true });
    checkPng(png, 375);
    if (process.env.YV_KEEP_SCREENSHOTS) {
      // The top of the page at phone width, where the alert, the totals and the repositories are.
      await page.screenshot({ path: join(process.env.YV_KEEP_SCREENSHOTS, 'dashboard-narrow.png'), fullPage: true, clip: { x: 0, y: 0, width: 375, height: 2400 } });
    }
    await page.close();

    // Across both page loads: only the page itself was requested, and the browser reported nothing.
    expect(new Set(requested.filter((r) => !r.endsWith('/favicon.ico')))).toEqual(new Set([url]));
    expect(browserProblems).toEqual([]);
  });
});

/** A real PNG of the viewport's width, tall enough and big enough to hold a rendered page (not a blank). */
function checkPng(path: string, width: number): void {
  const b = readFileSync(path);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(b.readUInt32BE(16)).toBe(width);
  expect(b.readUInt32BE(20)).toBeGreaterThan(800);
  // A blank page compresses to a few kB; text, tables and colours do not.
  expect(b.length).toBeGreaterThan(30_000);
}
