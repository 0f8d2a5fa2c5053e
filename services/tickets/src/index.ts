export { createTicketsService } from './service.js';
export { ticketsSettings, type TicketsConfig } from './config.js';
export { describeTicketsApi } from './routes/tickets-api-docs.js';
