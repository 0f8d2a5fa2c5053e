import { randomUUID } from 'node:crypto';
import { Subjects, createEnvelope, type EventData } from '@ticketing/common';
import { ordersSettings } from '../services/orders/src/config.js';
import { createOrdersService } from '../services/orders/src/service.js';
import { deliver } from './events.js';
import type { ApiClient } from './http.js';
import { startTestService, testConfig, type RunningTestService } from './service-harness.js';
import { bearer, newUser } from './users.js';

/** The orders service on a fresh PostgreSQL database, `env` over the test configuration. */
export const startOrders = (
  name: string,
  env: Record<string, string> = {},
): Promise<RunningTestService> =>
  startTestService((deps) => createOrdersService(deps, testConfig(ordersSettings, env)), {
    name,
  });

/** Lists a ticket for sale as the tickets service would announce it: the replica learns of it. */
export async function listTicket(
  orders: RunningTestService,
  over: Partial<EventData<typeof Subjects.TicketCreated>> = {},
): Promise<EventData<typeof Subjects.TicketCreated>> {
  const ticket: EventData<typeof Subjects.TicketCreated> = {
    id: randomUUID(),
    title: 'Concert',
    price: 1999,
    userId: randomUUID(),
    status: 'available',
    orderId: null,
    version: 0,
    venue: 'Town Hall',
    startsAt: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString(),
    ...over,
  };
  await deliver(orders.bus, createEnvelope(Subjects.TicketCreated, ticket), 'orders');
  return ticket;
}

/** A listed ticket and a new buyer's order of it (unchecked): the start of most orders tests. */
export async function newOrder(
  orders: RunningTestService,
  api: ApiClient,
  options: { ticket?: Partial<EventData<typeof Subjects.TicketCreated>>; buyer?: string } = {},
) {
  const ticket = await listTicket(orders, options.ticket);
  const buyer = await bearer(newUser(options.buyer));
  const created = await api.post('/api/orders', { ticketId: ticket.id }, buyer);
  return { ticket, buyer, created };
}
