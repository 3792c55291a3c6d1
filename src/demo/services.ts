// Wires the demo to the real pieces of yumvault: the repodata writer (src/repo), the proxy (proxy/),
// decompose/restore/verify (src/image) and the monitor (through the proxy's API).

import { YumvaultError } from '../errors.ts';
import type { DemoServices } from './cycle.ts';

const missing = (what: string) => async (): Promise<never> => {
  throw new YumvaultError('YV_UNIMPLEMENTED', `${what} is not built yet`);
};

export function defaultDemoServices(): DemoServices {
  return {
    writeRepodata: missing('the repodata writer (src/repo/writer.ts)'),
    startProxy: missing('the proxy (proxy/server.ts)'),
    decompose: missing('decompose (src/image)'),
    monitor: missing('the monitor'),
    retained: missing('the vault'),
    restore: missing('restore (src/image)'),
    verify: missing('verify (src/image)'),
  };
}
