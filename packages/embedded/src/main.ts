import { ConfigError, loadConfig, logger } from '@ticketing/common';
import { mkdir } from 'node:fs/promises';
import { embeddedSettings } from './config.js';
import { startEmbedded } from './embedded-app.js';
import { loadOrCreateJwtKey } from './jwt-key.js';

// `npm start`: the whole marketplace in one process on one port, with no servers to install.

/** A bad setting ends the process with the message naming it, not with a stack trace. */
function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
const config = exitOnConfigError(() => loadConfig(embeddedSettings));
await mkdir(config.DATA_DIR, { recursive: true });
const jwtKey = config.JWT_KEY ?? (await loadOrCreateJwtKey(config.DATA_DIR));
// Each service reads its own settings from the environment too (e.g. RESERVATION_WINDOW_SECONDS).
const app = await startEmbedded({
  port: config.PORT,
  host: config.HOST,
  dataDir: config.DATA_DIR,
  jwtKey,
}).catch((error: unknown) =>
  exitOnConfigError(() => {
    throw error;
  }),
);
logger.info({ port: app.port, dataDir: config.DATA_DIR }, 'ticketing (embedded) ready');
console.log(`Ticketing is running on http://localhost:${app.port} (data in ${config.DATA_DIR})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void app.stop().then(() => process.exit(0));
  });
}
