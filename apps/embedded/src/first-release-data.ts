import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The folders where the first release kept one PGlite database per service and the bus. */
const firstReleaseFolders = ['auth', 'tickets', 'orders', 'payments', 'expiration', 'bus'];

/**
 * The first release's PGlite folders found in `dataDir` (a `PG_VERSION` file in `auth/`,
 * `bus/`, …), as paths; empty when there are none. Their data is not carried over.
 */
export async function findFirstReleaseData(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of firstReleaseFolders) {
    const folder = join(dataDir, name);
    const isCluster = await stat(join(folder, 'PG_VERSION')).then(
      () => true,
      () => false,
    );
    if (isCluster) found.push(folder);
  }
  return found;
}
