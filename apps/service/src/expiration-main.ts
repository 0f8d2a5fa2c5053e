import { expirationStandaloneSettings, createExpirationService } from '@ticketing/expiration';
import { runStandalone } from './run-standalone.js';

// The expiration service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY, and REDIS_URL for
// the BullMQ delayed jobs, with the other settings in services/expiration/src/config.ts.
await runStandalone('expiration', expirationStandaloneSettings, createExpirationService);
