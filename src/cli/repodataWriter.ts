// The vault's repodata writer for the CLI commands (serve, monitor): src/repo's writer once it lands;
// until then the vault is not published (the monitor still retains everything).
import type { RepodataWriter } from '../../proxy/vault/publish.ts';

export async function defaultRepodataWriter(): Promise<RepodataWriter | undefined> {
  return undefined;
}
