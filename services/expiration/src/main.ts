import { runStandalone } from '@ticketing/common';
import { expirationStandaloneSettings } from './config.js';
import { createExpirationService } from './service.js';

// The expiration service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY, and REDIS_URL for
// the BullMQ delayed jobs, with the other settings in config.ts.
await runStandalone('expiration', expirationStandaloneSettings, createExpirationService);
