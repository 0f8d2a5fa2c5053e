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

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ISO start time `days` from now (fractions allowed), as a seller would give it. */
export const startsIn = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString();

/**
 * A valid body for POST or PUT /api/tickets (v2: with a venue and a start a week ahead), `over`
 * replacing or adding fields. Tests that only care about title and price stay about those.
 */
export const ticketBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Concert',
  price: 20,
  venue: 'Town Hall',
  startsAt: startsIn(7),
  ...over,
});
