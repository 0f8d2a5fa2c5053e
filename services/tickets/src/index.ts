export { createTicketsService } from './service.js';
export { ticketsSettings, type TicketsConfig } from './config.js';
