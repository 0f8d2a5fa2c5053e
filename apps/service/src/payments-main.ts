import { paymentsSettings, createPaymentsService } from '@ticketing/payments';
import { runStandalone } from './run-standalone.js';

// The payments service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in services/payments/src/config.ts.
await runStandalone('payments', paymentsSettings, createPaymentsService);
