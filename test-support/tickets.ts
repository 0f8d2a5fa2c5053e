import { randomUUID } from 'node:crypto';
import { Subjects, createEnvelope } from '@ticketing/common';
import { ticketsSettings } from '../services/tickets/src/config.js';
import { createTicketsService } from '../services/tickets/src/service.js';
import { startTestService, testConfig, type RunningTestService } from './service-harness.js';

/** The tickets service on a fresh PostgreSQL database. */
export const startTickets = (): Promise<RunningTestService> =>
  startTestService((deps) => createTicketsService(deps, testConfig(ticketsSettings)), {
    name: 'tickets',
  });

/** An order for `ticketId`, as the orders service announces it. */
export const orderCreated = (ticketId: string, orderId = randomUUID()) =>
  createEnvelope(Subjects.OrderCreated, {
    id: orderId,
    userId: randomUUID(),
    status: 'created',
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    version: 0,
    ticket: { id: ticketId, price: 2000 },
  });

/** The order holding `ticketId` paid, as orders announces it: its version 2. */
export const orderCompleted = (ticketId: string, orderId: string) =>
  createEnvelope(Subjects.OrderCompleted, { id: orderId, version: 2, ticket: { id: ticketId } });
