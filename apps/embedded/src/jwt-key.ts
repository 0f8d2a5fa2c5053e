import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The embedded mode's signing key when none is configured: made once and kept beside the data
 * (readable by its owner only), so sessions survive a restart and nobody has to invent a secret.
 */
export async function loadOrCreateJwtKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'jwt-key');
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key.length >= 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(48).toString('base64url');
  await writeFile(file, key, { mode: 0o600 });
  return key;
}
