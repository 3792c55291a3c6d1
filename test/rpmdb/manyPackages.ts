// A root whose rpm database holds many packages, written by the real rpm: the packages come from the
// demo's RPM writer (src/demo/rpmWriter.ts, itself cross-checked against rpm; rpmbuild needs about a tenth
// of a second per subpackage, far too slow for hundreds), installed with `rpm -i --justdb`.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeRpmFile, type RpmSpec } from '../../src/demo/rpmWriter.ts';
import { installJustDb } from './rpmTools.ts';

function spec(i: number): RpmSpec {
  const name = `yvmany-${String(i).padStart(4, '0')}`;
  const files: RpmSpec['files'] = [
    { path: `/usr/share/${name}`, type: 'dir' },
    { path: `/usr/share/${name}/data.txt`, contents: `data ${i}\n` },
    { path: `/etc/${name}.conf`, contents: `n=${i}\n`, flags: ['config', 'noreplace'] },
  ];
  // Every seventh package is larger, so its header (many files) spans several BerkeleyDB overflow pages.
  const extra = i % 7 === 0 ? 60 : i % 3;
  const more = Array.from({ length: extra }, (_, k) => ({ path: `/usr/share/${name}/file-${k}.txt`, contents: `${i}/${k}\n` }));
  return {
    name,
    epoch: i % 5 === 0 ? i % 11 : undefined,
    version: `${1 + (i % 4)}.${i % 10}`,
    release: `${1 + (i % 3)}.yv`,
    arch: i % 2 === 0 ? 'noarch' : 'x86_64',
    summary: `generated package ${i}`,
    files: [...files, ...more],
    compressor: 'gzip',
    level: 1,
  };
}

/** Writes `count` packages under `dir`/rpms and installs them into `dir`/root's database; returns the root. */
export async function makeManyPackageRoot(dir: string, count: number): Promise<string> {
  const rpmDir = join(dir, 'rpms');
  mkdirSync(rpmDir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = spec(i);
    const path = join(rpmDir, `${s.name}.rpm`);
    await writeRpmFile(s, path);
    paths.push(path);
  }
  const root = join(dir, 'root');
  installJustDb(root, paths, ['--ignorearch']);
  return root;
}
