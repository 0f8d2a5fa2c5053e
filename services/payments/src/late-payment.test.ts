import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PaymentProviderError,
  SandboxPaymentProvider,
  StripePaymentProvider,
  Subjects,
  createEnvelope,
  loadConfig,
  signSession,
  type BusEventMap,
  type ChargeRequest,
  type ChargeResult,
  type EventBus,
  type EventData,
  type EventEnvelope,
  type PaymentProvider,
  type SessionUser,
} from '@ticketing/common';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  TEST_JWT_KEY,
  startTestService,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import {
  STUB_SECRET_KEY,
  startStripeStub,
  type StripeStub,
} from '../../../test-support/stripe-stub.js';
import { paymentsSettings } from './config.js';
import { createPaymentsService } from './service.js';

const config = () => loadConfig(paymentsSettings, { JWT_KEY: TEST_JWT_KEY });

const newUser = (name = 'Buyer'): SessionUser => {
  const id = randomUUID();
  return { id, email: `${id}@example.com`, name };
};

const as = async (user: SessionUser) => ({
  authorization: `Bearer ${await signSession(user, TEST_JWT_KEY, 3600)}`,
});

/** Publishes on the bus and resolves once the payments service has acknowledged the event. */
function deliver(bus: EventBus, envelope: EventEnvelope): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown) => {
      bus.off('acked', onAck);
      bus.off('dead-lettered', onDead);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    const onAck = (fact: BusEventMap['acked'][0]) => {
      if (fact.consumer === 'payments' && fact.envelope.id === envelope.id) settle();
    };
    const onDead = (fact: BusEventMap['dead-lettered'][0]) => {
      if (fact.consumer === 'payments' && fact.eventId === envelope.id)
        settle(new Error(`dead-lettered: ${fact.reason}`));
    };
    bus.on('acked', onAck);
    bus.on('dead-lettered', onDead);
    bus.publish(envelope).catch(settle);
  });
}

type OrderData = EventData<typeof Subjects.OrderCreated>;

async function placeOrder(running: RunningTestService, buyer: SessionUser): Promise<OrderData> {
  const order: OrderData = {
    id: randomUUID(),
    userId: buyer.id,
    status: 'created',
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    version: 0,
    ticket: { id: randomUUID(), price: 3000 },
  };
  await deliver(running.bus, createEnvelope(Subjects.OrderCreated, order));
  return order;
}

/** Orders cancels the order (the buyer cancelled, or its window passed): version 1. */
const cancellationOf = (order: OrderData) =>
  createEnvelope(Subjects.OrderCancelled, {
    id: order.id,
    version: order.version + 1,
    ticket: { id: order.ticket.id },
  });

/**
 * A provider whose next charge can be held: the money is taken at once, but the answer comes
 * back only when the test releases it. It also counts refunds, and can fail the next ones.
 */
class HoldingProvider implements PaymentProvider {
  readonly name = 'holding';
  readonly refunds: Array<{ providerId: string; idempotencyKey: string }> = [];
  private hold: { started: (r: ChargeRequest) => void; released: Promise<void> } | undefined;
  private failingRefunds = 0;

  constructor(private readonly inner: PaymentProvider) {}

  holdNextCharge(): { started: Promise<ChargeRequest>; release: () => void } {
    let started!: (r: ChargeRequest) => void;
    let release!: () => void;
    const startedPromise = new Promise<ChargeRequest>((resolve) => (started = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.hold = { started, released };
    return { started: startedPromise, release };
  }

  failNextRefunds(count: number): void {
    this.failingRefunds = count;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const hold = this.hold;
    this.hold = undefined;
    const result = await this.inner.charge(request);
    if (hold) {
      hold.started(request);
      await hold.released;
    }
    return result;
  }

  async refund(providerId: string, idempotencyKey: string): Promise<string> {
    this.refunds.push({ providerId, idempotencyKey });
    if (this.failingRefunds > 0) {
      this.failingRefunds -= 1;
      throw new PaymentProviderError('connection reset');
    }
    return this.inner.refund(providerId, idempotencyKey);
  }
}

async function chargeCreatedEvents(running: RunningTestService, orderId: string) {
  const { rows } = await running.db.query(
    `SELECT envelope->'data' AS data FROM outbox
     WHERE subject = 'charge:created' AND envelope->'data'->>'orderId' = $1`,
    [orderId],
  );
  return rows;
}

async function replicaStatus(running: RunningTestService, orderId: string) {
  const { rows } = await running.db.query<{ status: string }>(
    'SELECT status FROM orders WHERE id = $1',
    [orderId],
  );
  return rows[0]?.status;
}

/**
 * The late-payment race, on the service's own bus: the order is cancelled between the start of
 * its payment and the provider's success.
 */
function lateCancellationBehaviour(
  label: string,
  setUp: () => Promise<{ provider: PaymentProvider; refundsAtProvider?: () => unknown[] }>,
  tearDown: () => Promise<void> = async () => undefined,
) {
  describe.skipIf(!hasPostgres)(`A payment that races the order's cancellation (${label})`, () => {
    let payments: RunningTestService;
    let provider: HoldingProvider;
    let refundsAtProvider: (() => unknown[]) | undefined;
    let api: ApiClient;

    beforeAll(async () => {
      const made = await setUp();
      provider = new HoldingProvider(made.provider);
      refundsAtProvider = made.refundsAtProvider;
      payments = await startTestService(
        (deps) => createPaymentsService(deps, config(), { provider }),
        { postgres: true, name: `payments_late_${label.replace(/\W/g, '')}` },
      );
      api = new ApiClient(payments.url);
    });
    afterAll(async () => {
      await payments?.stop();
      await tearDown();
    });

    it('when the order is cancelled between the payment start and the provider success, then the charge is refunded, no charge:created, and the order stays cancelled', async () => {
      const buyer = newUser();
      const headers = await as(buyer);
      const order = await placeOrder(payments, buyer);
      const hold = provider.holdNextCharge();

      const paying = api.post('/api/payments', { orderId: order.id, token: 'tok_visa' }, headers);
      const request = await hold.started;
      await deliver(payments.bus, cancellationOf(order));
      hold.release();
      const res = await paying;

      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        errors: [
          {
            message:
              'The order was cancelled while it was being paid; the payment has been refunded',
          },
        ],
      });
      const charges = (await api.get(`/api/payments?orderId=${order.id}`, headers)).body;
      expect(charges).toEqual([
        {
          id: request.idempotencyKey,
          orderId: order.id,
          status: 'completed',
          amount: 30,
          providerId: expect.stringMatching(/^pi_/),
          refundId: expect.stringMatching(/^re_/),
        },
      ]);
      expect(provider.refunds).toContainEqual({
        providerId: charges[0].providerId,
        idempotencyKey: `refund-${charges[0].id}`,
      });
      expect(await chargeCreatedEvents(payments, order.id)).toEqual([]);
      expect(await replicaStatus(payments, order.id)).toBe('cancelled');
      const again = await api.post(
        '/api/payments',
        { orderId: order.id, token: 'tok_visa' },
        headers,
      );
      expect(again.status).toBe(409);
      expect(again.body.errors[0].message).toBe('Order is cancelled');
      if (refundsAtProvider) {
        expect(refundsAtProvider()).toContainEqual(
          expect.objectContaining({ payment_intent: charges[0].providerId }),
        );
      }
    });

    it('when order:cancelled arrives after the charge completed, then the listener refunds it', async () => {
      const buyer = newUser();
      const headers = await as(buyer);
      const order = await placeOrder(payments, buyer);
      const paid = await api.post(
        '/api/payments',
        { orderId: order.id, token: 'tok_visa' },
        headers,
      );
      expect(paid.status).toBe(201);
      expect(await chargeCreatedEvents(payments, order.id)).toHaveLength(1);

      await deliver(payments.bus, cancellationOf(order));

      const [charge] = (await api.get(`/api/payments?orderId=${order.id}`, headers)).body;
      expect(charge).toEqual({ ...paid.body, refundId: expect.stringMatching(/^re_/) });
      expect(provider.refunds.filter((r) => r.providerId === paid.body.providerId)).toEqual([
        { providerId: paid.body.providerId, idempotencyKey: `refund-${paid.body.id}` },
      ]);
    });

    it('when the refund fails at first, then the cancellation comes back and the refund is made on a later delivery', async () => {
      const buyer = newUser();
      const headers = await as(buyer);
      const order = await placeOrder(payments, buyer);
      const paid = await api.post(
        '/api/payments',
        { orderId: order.id, token: 'tok_visa' },
        headers,
      );
      provider.failNextRefunds(1);
      const nacked = new Promise<void>((resolve) => {
        const onNack = (fact: BusEventMap['nacked'][0]) => {
          if (fact.consumer !== 'payments' || fact.subject !== Subjects.OrderCancelled) return;
          payments.bus.off('nacked', onNack);
          resolve();
        };
        payments.bus.on('nacked', onNack);
      });

      const cancellation = cancellationOf(order);
      await deliver(payments.bus, cancellation);
      await nacked;

      const [charge] = (await api.get(`/api/payments?orderId=${order.id}`, headers)).body;
      expect(charge.refundId).toMatch(/^re_/);
      const asked = provider.refunds.filter((r) => r.providerId === paid.body.providerId);
      expect(asked.map((r) => r.idempotencyKey)).toEqual([
        `refund-${paid.body.id}`,
        `refund-${paid.body.id}`,
      ]);

      // The cancellation announced again (a new event, the same version): stale, nothing owed
      // back, and the provider is not asked again.
      await deliver(payments.bus, cancellationOf(order));
      expect(provider.refunds.filter((r) => r.providerId === paid.body.providerId)).toHaveLength(2);
    });
  });
}

lateCancellationBehaviour('sandbox', async () => ({ provider: new SandboxPaymentProvider() }));

let stub: StripeStub;
lateCancellationBehaviour(
  'Stripe stub',
  async () => {
    stub = await startStripeStub();
    const provider = await StripePaymentProvider.create({
      secretKey: STUB_SECRET_KEY,
      host: stub.host,
      port: stub.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    return { provider, refundsAtProvider: () => stub.refunds() };
  },
  async () => stub?.close(),
);
