// Where the shared conformance fixtures live (real packages and databases, see their README): not in this
// repository but in ../shared beside the clone (as CI lays it out); YUMVAULT_FIXTURES points elsewhere.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_FIXTURES = process.env.YUMVAULT_FIXTURES ?? fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));
export const FIXTURE_RPMS = join(SHARED_FIXTURES, 'rpms');
export const FIXTURE_RPMDB = join(SHARED_FIXTURES, 'rpmdb');
