import { runStandalone } from '@ticketing/common';
import { ticketsSettings } from './config.js';
import { createTicketsService } from './service.js';

// The tickets service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in config.ts.
await runStandalone('tickets', ticketsSettings, createTicketsService);
