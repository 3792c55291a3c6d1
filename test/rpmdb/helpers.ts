// Shared by the rpmdb tests: our reading of a database in the shape `rpm -qa --qf QA_FORMAT` prints.

import { FIXTURE_RPMDB } from '../rpm/sharedFixtures.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageInfo } from '../../src/rpm/info.ts';
import { openRpmdb, type RpmdbLocation } from '../../src/rpmdb/index.ts';
import type { QaRecord } from './rpmTools.ts';

export const FIXTURES = FIXTURE_RPMDB;

/** Our packages of `location`, in database order, as rpm -qa would print them. */
export async function ourQa(location: RpmdbLocation): Promise<{ backend: string; path: string; records: QaRecord[] }> {
  const db = await openRpmdb(location);
  try {
    const records: QaRecord[] = [];
    for await (const { header } of db.headers()) {
      const info = packageInfo(header);
      records.push({
        name: info.name,
        epoch: info.epoch,
        version: info.version,
        release: info.release,
        arch: info.arch,
        sigmd5: info.sigmd5 ?? '(none)',
        files: info.files.map((f) => f.path),
      });
    }
    return { backend: db.backend, path: db.path, records };
  } finally {
    await db.close();
  }
}

/** A temp directory removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
