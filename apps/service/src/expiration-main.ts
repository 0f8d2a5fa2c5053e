import { runService } from './standalone-services.js';

// The expiration service as its own process (one container): PORT, DATABASE_URL, NATS_URL, JWT_KEY and
// the rest of apps/service's standaloneSettings, the service's own settings
// (services/expiration/src/config.ts) and those of the adapters chosen for it (standalone-services.ts).
await runService('expiration');
