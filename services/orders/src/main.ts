import { runStandalone } from '@ticketing/common';
import { ordersSettings } from './config.js';
import { createOrdersService } from './service.js';

// The orders service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in config.ts.
await runStandalone('orders', ordersSettings, createOrdersService);
