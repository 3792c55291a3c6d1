// Where the shared conformance fixtures live (real packages and databases, see their README). Not in
// this repository: YUMVAULT_FIXTURES points elsewhere, e.g. when CI unpacks them next to the clone.
import { join } from 'node:path';

export const SHARED_FIXTURES = process.env.YUMVAULT_FIXTURES ?? '/work/shared/fixtures';
export const FIXTURE_RPMS = join(SHARED_FIXTURES, 'rpms');
export const FIXTURE_RPMDB = join(SHARED_FIXTURES, 'rpmdb');
