import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, type BuiltImage, type ImageEdits, type InstalledPackage } from '../../src/demo/imageBuilder.ts';
import { DEMO_PACKAGE_NAMES, demoPackageSpec } from '../../src/demo/demoPackages.ts';
import { buildRpm } from '../../src/demo/rpmWriter.ts';
import { rpmRoot, run } from './tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'yv-image-'));
afterAll(() => process.env.KEEP || rmSync(dir, { recursive: true, force: true }));

const longPath = `/var/cache/app/${'deep-directory-name/'.repeat(6)}a-file-with-a-long-name.bin`;
const edits: ImageEdits = {
  extraFiles: [
    { path: '/etc/hostname', contents: 'demo-host\n' },
    { path: longPath, contents: new Uint8Array(3000).fill(7), mode: 0o600 },
  ],
  modified: [{ path: '/etc/demod.conf', contents: 'listen = 0.0.0.0\n' }],
  removed: ['/usr/share/doc/demo-tools/NEWS'],
};

let packages: InstalledPackage[];
let image: BuiltImage;
beforeAll(async () => {
  packages = [];
  for (const name of DEMO_PACKAGE_NAMES) {
    const spec = demoPackageSpec(name, 2);
    packages.push({ spec, rpm: (await buildRpm(spec)).bytes });
  }
  image = await buildImage(join(dir, 'image.tar'), packages, edits);
});

describe('buildImage', () => {
  it('reports the sha256 and size of what it wrote', () => {
    const bytes = readFileSync(image.path);
    expect(image.size).toBe(bytes.length);
    expect(image.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(image.size % 10240).toBe(0);
  });

  it('is byte-identical to GNU tar --sort=name of the same tree', () => {
    const root = join(dir, 'x');
    mkdirSync(root);
    expect(run('tar', ['-C', root, '-xpf', image.path]).status).toBe(0);
    const again = join(dir, 'again.tar');
    expect(run('tar', ['-C', root, '--sort=name', '--format=gnu', '-cf', again, '.']).status).toBe(0);
    expect(Buffer.compare(readFileSync(again), readFileSync(image.path))).toBe(0);
  });

  it('holds a root the real rpm reads: every package listed, only the edits reported by rpm -V', () => {
    const root = join(dir, 'x');
    const qa = rpmRoot(root, ['-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\n']);
    expect(qa.stdout.trim().split('\n').sort()).toEqual(DEMO_PACKAGE_NAMES.map((n) => `${n}-1.1-1`).sort());
    const v = rpmRoot(root, ['-V', '-a']);
    expect(v.stdout.trim().split('\n').sort()).toEqual(['S.5....T.  c /etc/demod.conf', 'missing   d /usr/share/doc/demo-tools/NEWS']);
    expect(readFileSync(join(root, longPath.slice(1)))).toEqual(Buffer.alloc(3000, 7));
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe('demo-host\n');
  });

  it('is deterministic', async () => {
    const again = await buildImage(join(dir, 'image2.tar'), packages, edits);
    expect(again.sha256).toBe(image.sha256);
  });

  it('refuses edits of files that are not there, and leaves no file', async () => {
    const out = join(dir, 'bad.tar');
    await expect(buildImage(out, packages, { removed: ['/nope'] })).rejects.toThrow(/no \/nope/);
    await expect(buildImage(out, packages, { modified: [{ path: '/usr/bin', contents: 'x' }] })).rejects.toThrow(/no file/);
    expect(run('ls', [out]).status).not.toBe(0);
  });
});
