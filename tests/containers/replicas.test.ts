import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/http.js';
import { signedUpClient } from '../../test-support/journeys.js';
import { ticketBody } from '../../test-support/tickets.js';
import { hasPodman, podman, renderStack, type Replica } from './stack.js';

const stack = await renderStack();

/** Request lines (pino-http's `request completed`) for API paths in a pod's log. */
async function apiRequestsLogged(replica: Replica): Promise<number> {
  const logs = await podman('logs', replica.container);
  return logs
    .split('\n')
    .filter((line) => line.includes('"request completed"') && line.includes('"path":"/api/'))
    .length;
}

/** Events this pod's consumers handled and acknowledged (`events_handled_total`, summed). */
async function eventsHandled(replica: Replica): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${replica.metricsPort}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith('events_handled_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

const pairs = (app: string) => stack.replicas.filter((r) => r.app === app);

describe.skipIf(!hasPodman && !process.env.CI)(
  'two replicas of every service in the podman stack',
  () => {
    it('when traffic goes through the gateway, then both pods of every API service log requests they handled', async () => {
      const seller = await signedUpClient(stack.url, 'Seller');
      const buyer = await signedUpClient(stack.url, 'Buyer');
      for (let i = 0; i < 8; i++) {
        expect((await seller.get('/api/users/currentuser')).status).toBe(200);
        const ticket = await seller.post(
          '/api/tickets',
          ticketBody({ title: `Replica ticket ${i}`, price: 10 + i }),
        );
        expect(ticket.status).toBe(201);
        const order = await eventually(
          () => buyer.post('/api/orders', { ticketId: ticket.body.id }),
          (r) => r.status !== 404,
        );
        expect(order.status).toBe(201);
        expect((await buyer.get(`/api/orders/${order.body.id}`)).status).toBe(200);
        // Payments learns the order from order:created a moment later (eventual consistency).
        const charges = await eventually(
          () => buyer.get(`/api/payments?orderId=${order.body.id}`),
          (r) => r.status !== 404,
        );
        expect(charges.status).toBe(200);
      }
      for (const app of ['auth', 'tickets', 'orders', 'payments']) {
        const replicas = pairs(app);
        expect(replicas.map((r) => r.deployment)).toEqual([app, `${app}-2`]);
        const counts = await Promise.all(replicas.map(apiRequestsLogged));
        expect(
          counts.every((n) => n > 0),
          `${app}: requests logged per pod ${counts}`,
        ).toBe(true);
      }
    });

    it('when orders are placed, then both pods of every event consumer handle some of the events', async () => {
      const seller = await signedUpClient(stack.url, 'Seller');
      const buyer = await signedUpClient(stack.url, 'Buyer');
      // Enough events that a pair of pods sharing one durable consumer both get some; each order
      // is an order:created event for tickets, payments and expiration.
      const counts = await eventually(
        async () => {
          const ticket = await seller.post(
            '/api/tickets',
            ticketBody({ title: 'Shared work', price: 5 }),
          );
          await eventually(
            () => buyer.post('/api/orders', { ticketId: ticket.body.id }),
            (r) => r.status !== 404,
          );
          const all: Record<string, number[]> = {};
          for (const app of ['tickets', 'orders', 'payments', 'expiration']) {
            all[app] = await Promise.all(pairs(app).map(eventsHandled));
          }
          return all;
        },
        (all) => Object.values(all).every((pair) => pair.length === 2 && pair.every((n) => n > 0)),
        45_000,
      ).catch(async (error: Error) => {
        const all: Record<string, number[]> = {};
        for (const app of ['tickets', 'orders', 'payments', 'expiration']) {
          all[app] = await Promise.all(pairs(app).map(eventsHandled));
        }
        throw new Error(`${error.message}: events handled per pod ${JSON.stringify(all)}`);
      });
      expect(Object.keys(counts).sort()).toEqual(['expiration', 'orders', 'payments', 'tickets']);
    });
  },
);
