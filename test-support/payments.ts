import { randomUUID } from 'node:crypto';
import {
  Subjects,
  createEnvelope,
  type EventData,
  type PaymentProvider,
  type SessionUser,
} from '@ticketing/common';
import { paymentProviderFrom, paymentProviderSettings } from '@ticketing/service-host';
import { paymentsSettings } from '../services/payments/src/config.js';
import { createPaymentsService } from '../services/payments/src/service.js';
import { deliver, outboxEvents } from './events.js';
import type { ApiClient } from './http.js';
import { startTestService, testConfig, type RunningTestService } from './service-harness.js';
import { bearer, newUser } from './users.js';

/** Payments on a fresh PostgreSQL database, charging via `provider`, else as `env` configures. */
export const startPayments = (
  name: string,
  options: { provider?: PaymentProvider; env?: Record<string, string> } = {},
): Promise<RunningTestService> =>
  startTestService(
    async (deps) =>
      createPaymentsService(
        {
          ...deps,
          // As the hosts choose: Stripe when `env` sets STRIPE_SECRET_KEY, else the sandbox.
          paymentProvider:
            options.provider ??
            (await paymentProviderFrom(testConfig(paymentProviderSettings, options.env))),
        },
        testConfig(paymentsSettings, options.env),
      ),
    { name },
  );

export type OrderData = EventData<typeof Subjects.OrderCreated>;

/** An order placed by `buyer` (25.50 unless `over` says otherwise), as orders announces it. */
export async function placeOrder(
  payments: RunningTestService,
  buyer: SessionUser,
  over: Partial<OrderData> = {},
): Promise<OrderData> {
  const order: OrderData = {
    id: randomUUID(),
    userId: buyer.id,
    status: 'created',
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    version: 0,
    ticket: { id: randomUUID(), price: 2550 },
    ...over,
  };
  await deliver(payments.bus, createEnvelope(Subjects.OrderCreated, order), 'payments');
  return order;
}

/** A new buyer, signed in, and an order of theirs that payments knows: where most cases start. */
export async function buyerWithOrder(payments: RunningTestService, over: Partial<OrderData> = {}) {
  const buyer = newUser();
  const headers = await bearer(buyer);
  const order = await placeOrder(payments, buyer, over);
  return { buyer, headers, order };
}

/** Asks payments to charge `orderId` with the card `token`, as whoever `headers` sign in. */
export const pay = (
  api: ApiClient,
  orderId: string,
  headers?: Record<string, string>,
  token = 'tok_visa',
) => api.post('/api/payments', { orderId, token }, headers);

/** Orders cancels `order` (its buyer cancelled, or its window passed): the next version. */
export const cancelled = (order: OrderData, version = order.version + 1) =>
  createEnvelope(Subjects.OrderCancelled, {
    id: order.id,
    version,
    ticket: { id: order.ticket.id },
  });

/** The charge:created events payments recorded for one order, which tests expect at most once. */
export async function chargeCreatedEvents(
  payments: RunningTestService,
  orderId: string,
): Promise<Array<EventData<typeof Subjects.ChargeCreated>>> {
  const events = await outboxEvents<EventData<typeof Subjects.ChargeCreated>>(payments.db, {
    subject: Subjects.ChargeCreated,
    orderId,
  });
  return events.map((e) => e.data);
}
