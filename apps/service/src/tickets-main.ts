import { ticketsSettings, createTicketsService } from '@ticketing/tickets';
import { runStandalone } from './run-standalone.js';

// The tickets service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in services/tickets/src/config.ts.
await runStandalone('tickets', ticketsSettings, createTicketsService);
