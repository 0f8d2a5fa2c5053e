import { ordersSettings, createOrdersService } from '@ticketing/orders';
import { runStandalone } from './run-standalone.js';

// The orders service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in services/orders/src/config.ts.
await runStandalone('orders', ordersSettings, createOrdersService);
