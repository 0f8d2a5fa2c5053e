import { ConfigError, endProcessGracefully, loadConfigOrExit, logger } from '@ticketing/common';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { embeddedSettings } from './config.js';
import { startEmbedded } from './embedded-app.js';
import { findFirstReleaseData } from './first-release-data.js';
import { loadOrCreateJwtKey } from './jwt-key.js';

// `npm start`: the whole marketplace in one process on one port, with no servers to install.

const config = loadConfigOrExit(embeddedSettings);
await mkdir(config.DATA_DIR, { recursive: true, mode: 0o700 });
const oldData = await findFirstReleaseData(config.DATA_DIR);
if (oldData.length) {
  console.warn(
    `Found data from the first release (PGlite) in ${oldData.join(', ')}: it is NOT carried over. ` +
      `This version keeps its data in one PostgreSQL server in ${join(config.DATA_DIR, 'postgres')} ` +
      'and starts empty. The old folders are left untouched; delete them when you no longer need them.',
  );
}
const jwtKey = config.JWT_KEY ?? (await loadOrCreateJwtKey(config.DATA_DIR));
// Each service reads its own settings from the environment too (e.g. RESERVATION_WINDOW_SECONDS).
const app = await startEmbedded({
  port: config.PORT,
  metricsPort: config.METRICS_PORT,
  host: config.HOST,
  dataDir: config.DATA_DIR,
  jwtKey,
  onNotice: (message) => console.log(`PostgreSQL: ${message}`),
}).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  // Not a setting: whatever was started has been stopped; say why and exit, rather than leave
  // the process hanging on a handler something installed for uncaught errors.
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `Port ${config.PORT} is in use on ${config.HOST}: stop what uses it, or set PORT to ` +
        'another (0 picks a free one).',
    );
  } else {
    logger.fatal({ err: error }, 'the app could not start');
  }
  process.exit(1);
});
logger.info(
  { port: app.port, dataDir: config.DATA_DIR, postgresPort: app.postgres.port },
  'ticketing (embedded) ready',
);
console.log(
  `Ticketing is running on http://localhost:${app.port} (data in ${config.DATA_DIR}: ` +
    `PostgreSQL ${app.postgres.startedFrom === 'initdb' ? 'created' : 'kept'} in ` +
    `${join(config.DATA_DIR, 'postgres')}, listening on 127.0.0.1:${app.postgres.port})`,
);
console.log(
  config.SMTP_URL
    ? 'Mail is sent through SMTP_URL.'
    : `Mail is written as .eml files into ${join(config.DATA_DIR, 'mail')} (set SMTP_URL to send it).`,
);
if (app.metrics) {
  console.log(`Metrics for operators: http://${config.HOST}:${app.metrics.port}/metrics`);
}
if (config.HOST === '127.0.0.1')
  console.log('Listening on this machine only (HOST=0.0.0.0 opens it).');

// Ctrl-C or SIGTERM stops the services, then the PostgreSQL server cleanly; an error nobody
// caught does the same and exits 1.
endProcessGracefully({ name: 'embedded', graceMs: 30_000, stop: () => app.stop() });
