import { runStandalone } from '@ticketing/common';
import { paymentsSettings } from './config.js';
import { createPaymentsService } from './service.js';

// The payments service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in config.ts.
await runStandalone('payments', paymentsSettings, createPaymentsService);
