import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OutOfOrderError,
  PaymentProviderError,
  Subjects,
  createEnvelope,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
} from '@ticketing/common';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { openPostgres } from '@ticketing/common/postgres';
import { SandboxPaymentProvider } from '@ticketing/common/sandbox-payments';
import { deliver, nextRefusal } from '../../../test-support/events.js';
import { ApiClient, eventually } from '../../../test-support/http.js';
import {
  buyerWithOrder,
  cancelled,
  chargeCreatedEvents,
  pay,
  placeOrder,
  startPayments,
  type OrderData,
} from '../../../test-support/payments.js';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../test-support/servers.js';
import { testConfig, type RunningTestService } from '../../../test-support/service-harness.js';
import {
  STUB_SECRET_KEY,
  startStripeStub,
  type StripeStub,
} from '../../../test-support/stripe-stub.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { paymentsSettings } from './config.js';
import { createPaymentsService } from './service.js';

/** The sandbox, counting what it is asked. */
class CountingProvider implements PaymentProvider {
  readonly name = 'counting sandbox';
  readonly charges: ChargeRequest[] = [];
  readonly refunds: Array<{ providerId: string; idempotencyKey: string }> = [];
  constructor(private readonly inner: PaymentProvider = new SandboxPaymentProvider()) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.charges.push(request);
    return this.inner.charge(request);
  }

  async refund(providerId: string, idempotencyKey: string): Promise<string> {
    this.refunds.push({ providerId, idempotencyKey });
    return this.inner.refund(providerId, idempotencyKey);
  }

  chargesOf(orderId: string) {
    return this.charges.filter((c) => c.metadata?.orderId === orderId);
  }
}

async function chargeRows(running: RunningTestService, orderId: string) {
  const { rows } = await running.db.query(
    `SELECT id, status, amount, provider_id AS "providerId", refund_id AS "refundId",
            source, error_message AS "errorMessage"
     FROM charges WHERE order_id = $1 ORDER BY created_at`,
    [orderId],
  );
  return rows;
}

// Many connections at once on two shared cores: generous, and nothing here measures time.
const RACE_TIMEOUT_MS = 180_000;

describe.skipIf(!hasPostgres)('Payments routes (payments on PostgreSQL, sandbox provider)', () => {
  let payments: RunningTestService;
  let provider: CountingProvider;
  let api: ApiClient;

  beforeAll(async () => {
    provider = new CountingProvider();
    payments = await startPayments('payments_routes', { provider });
    api = new ApiClient(payments.url);
  });
  afterAll(async () => payments?.stop());

  it('when not signed in, then POST and GET are 401, before any validation', async () => {
    expect((await api.post('/api/payments', {})).status).toBe(401);
    expect((await api.get('/api/payments?orderId=nonsense')).status).toBe(401);
  });

  it('when the body is invalid, then 400 with one entry per invalid field', async () => {
    const headers = await bearer(newUser());

    const missing = await api.post('/api/payments', {}, headers);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.field).sort()).toEqual(['orderId', 'token']);

    const bad = await api.post('/api/payments', { orderId: 'not-an-id', token: '' }, headers);
    expect(bad.body.errors).toEqual([
      { field: 'orderId', message: 'Order id must be a valid id' },
      { field: 'token', message: 'Token is required' },
    ]);

    const long = await api.post(
      '/api/payments',
      { orderId: randomUUID(), token: 'x'.repeat(201) },
      headers,
    );
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([
      { field: 'token', message: 'Token must be at most 200 characters' },
    ]);
  });

  it('when the orderId query is missing or malformed, then GET is 400', async () => {
    const headers = await bearer(newUser());
    expect((await api.get('/api/payments', headers)).status).toBe(400);
    const res = await api.get('/api/payments?orderId=42', headers);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'orderId', message: 'Order id must be a valid id' }]);
  });

  it('when the order is unknown (or not replicated yet), then 404', async () => {
    const headers = await bearer(newUser());
    const orderId = randomUUID();
    const res = await pay(api, orderId, headers);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
    expect((await api.get(`/api/payments?orderId=${orderId}`, headers)).status).toBe(404);
    expect(provider.chargesOf(orderId)).toEqual([]);
  });

  it("when the order is another user's, then 403, even when it is not payable", async () => {
    const owner = newUser();
    const order = await placeOrder(payments, owner);
    const stranger = await bearer(newUser('Stranger'));

    const res = await pay(api, order.id, stranger);
    expect(res.status).toBe(403);
    expect((await api.get(`/api/payments?orderId=${order.id}`, stranger)).status).toBe(403);

    await deliver(payments.bus, cancelled(order), 'payments');
    const late = await pay(api, order.id, stranger);
    expect(late.status).toBe(403);
    expect(provider.chargesOf(order.id)).toEqual([]);
  });

  it('when tok_visa pays an order, then 201 a completed charge, and charge:created in cents in the outbox', async () => {
    const { headers, order } = await buyerWithOrder(payments, {
      ticket: { id: randomUUID(), price: 2550 },
    });

    const res = await pay(api, order.id, headers);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      orderId: order.id,
      status: 'completed',
      amount: 25.5,
      providerId: expect.stringMatching(/^pi_sandbox_/),
      refundId: null,
      createdAt: expect.any(String),
      last4: '4242',
    });
    expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(await chargeCreatedEvents(payments, order.id)).toEqual([
      {
        id: res.body.id,
        orderId: order.id,
        amount: 2550,
        providerId: res.body.providerId,
        last4: '4242',
      },
    ]);
    const [asked] = provider.chargesOf(order.id);
    expect(asked).toMatchObject({ amount: 2550, currency: 'usd', idempotencyKey: res.body.id });
    // What the buyer paid with is not kept once the charge is settled.
    expect((await chargeRows(payments, order.id))[0]).toMatchObject({ source: null });

    const listed = await api.get(`/api/payments?orderId=${order.id}`, headers);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([res.body]);
  });

  it('when the test card 4242 4242 4242 4242 pays, then 201', async () => {
    const { headers, order } = await buyerWithOrder(payments);
    const res = await pay(api, order.id, headers, '4242 4242 4242 4242');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('completed');
  });

  it('when the card is declined, then 402, the charge recorded as failed, and a retry with another card succeeds', async () => {
    const { headers, order } = await buyerWithOrder(payments);

    const declined = await pay(api, order.id, headers, 'tok_chargeDeclined');
    expect(declined.status).toBe(402);
    expect(declined.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });

    const byCard = await pay(api, order.id, headers, '4000 0000 0000 0002');
    expect(byCard.status).toBe(402);

    const paid = await pay(api, order.id, headers);
    expect(paid.status).toBe(201);

    const listed = await api.get(`/api/payments?orderId=${order.id}`, headers);
    expect(listed.body.map((c: any) => c.status)).toEqual(['completed', 'failed', 'failed']);
    expect(listed.body[2]).toMatchObject({ amount: 25.5, refundId: null });
    // Every attempt is listed, newest first, each with its card's last four digits and time.
    expect(listed.body.map((c: any) => c.last4)).toEqual(['4242', '0002', '0002']);
    const times = listed.body.map((c: any) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(JSON.stringify(listed.body)).not.toMatch(/4000000000000002|4000 0000/);
    const rows = await chargeRows(payments, order.id);
    expect(rows[0]).toMatchObject({ status: 'failed', errorMessage: 'Your card was declined.' });
    // Each attempt is its own payment at the provider: a new idempotency key each time.
    const keys = provider.chargesOf(order.id).map((c) => c.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    expect(await chargeCreatedEvents(payments, order.id)).toHaveLength(1);
  });

  it('when the amount is below 0.50 or above 999,999.99, then the sandbox declines it as Stripe would (402), and it is listed as failed', async () => {
    // Listings cannot be priced so (tickets refuses them), but orders of the first release can.
    for (const [price, message] of [
      [49, 'Amount must be at least $0.50 usd'],
      [100_000_000, 'Amount must be no more than $999,999.99'],
    ] as const) {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price },
      });

      const res = await pay(api, order.id, headers);

      expect(res.status).toBe(402);
      expect(res.body).toEqual({ errors: [{ message }] });
      const listed = await api.get(`/api/payments?orderId=${order.id}`, headers);
      expect(listed.body).toEqual([
        expect.objectContaining({ status: 'failed', amount: price / 100, providerId: null }),
      ]);
      expect(await chargeCreatedEvents(payments, order.id)).toEqual([]);
    }
    // The bounds themselves are charged.
    for (const price of [50, 99_999_999]) {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price },
      });
      expect((await pay(api, order.id, headers)).status).toBe(201);
    }
  });

  it('when the order is cancelled, then 409 and the provider is not asked', async () => {
    const { headers, order } = await buyerWithOrder(payments);
    await deliver(payments.bus, cancelled(order), 'payments');

    const res = await pay(api, order.id, headers);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errors: [{ message: 'Order is cancelled' }] });
    expect(provider.chargesOf(order.id)).toEqual([]);
  });

  it('when the order is already paid, then 409 and no second charge', async () => {
    const { headers, order } = await buyerWithOrder(payments);
    expect((await pay(api, order.id, headers)).status).toBe(201);

    const again = await pay(api, order.id, headers);

    expect(again.status).toBe(409);
    expect(again.body).toEqual({ errors: [{ message: 'Order is already paid' }] });
    expect(provider.chargesOf(order.id)).toHaveLength(1);
  });

  it('when orders has completed the order, then 409 already paid', async () => {
    const { headers, order } = await buyerWithOrder(payments);
    await deliver(
      payments.bus,
      createEnvelope(Subjects.OrderCompleted, { id: order.id, version: 1, ticket: order.ticket }),
      'payments',
    );
    const res = await pay(api, order.id, headers);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toBe('Order is already paid');
  });

  it('when the order is past its expiresAt, then 409', async () => {
    const { headers, order } = await buyerWithOrder(payments, {
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
    });

    const res = await pay(api, order.id, headers);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errors: [{ message: 'Order has expired' }] });
    expect(provider.chargesOf(order.id)).toEqual([]);
  });

  it(
    'when 10 payments for one order arrive at once, then one 201, nine 409, and the provider charges once',
    async () => {
      const { headers, order } = await buyerWithOrder(payments);

      const results = await Promise.all(
        Array.from({ length: 10 }, () => pay(new ApiClient(payments.url), order.id, headers)),
      );

      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body.errors[0].message).toMatch(
          /^(Order is already paid|A payment for this order is already in progress)$/,
        );
      }
      expect(provider.chargesOf(order.id)).toHaveLength(1);
      expect(await chargeRows(payments, order.id)).toHaveLength(1);
      expect(await chargeCreatedEvents(payments, order.id)).toHaveLength(1);
    },
    RACE_TIMEOUT_MS,
  );

  it('when order:cancelled arrives before its order:created, then it is refused until the order is known', async () => {
    const buyer = newUser();
    const order: OrderData = {
      id: randomUUID(),
      userId: buyer.id,
      status: 'created',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      version: 0,
      ticket: { id: randomUUID(), price: 1000 },
    };
    const refused = nextRefusal(payments.bus, 'payments', Subjects.OrderCancelled);
    const cancelledApplied = deliver(payments.bus, cancelled(order, 1), 'payments');
    expect(await refused).toBeInstanceOf(OutOfOrderError);

    await deliver(payments.bus, createEnvelope(Subjects.OrderCreated, order), 'payments');
    await cancelledApplied;

    const res = await pay(api, order.id, await bearer(buyer));
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toBe('Order is cancelled');
  });
});

describe.skipIf(!hasPostgres)(
  'Payments when the provider does not answer, then after a restart',
  () => {
    /** Answers nothing: every charge leaves its outcome unknown. */
    class SilentProvider implements PaymentProvider {
      readonly name = 'silent';
      async charge(): Promise<ChargeResult> {
        throw new PaymentProviderError('connection reset');
      }
      async refund(): Promise<string> {
        throw new PaymentProviderError('connection reset');
      }
    }

    let payments: RunningTestService;

    beforeAll(async () => {
      payments = await startPayments('payments_reconcile', { provider: new SilentProvider() });
    });
    afterAll(async () => payments?.stop());

    it('when the provider does not answer, then 503, the charge stays in flight, and the next start completes it once', async () => {
      const api = new ApiClient(payments.url);
      const { headers, order } = await buyerWithOrder(payments);

      const res = await pay(api, order.id, headers);
      expect(res.status).toBe(503);
      expect(res.body.errors[0].message).toMatch(/will not be charged twice/);
      const [inFlight] = await api
        .get(`/api/payments?orderId=${order.id}`, headers)
        .then((r) => r.body);
      expect(inFlight).toMatchObject({ status: 'created', providerId: null, last4: null });
      const retry = await pay(api, order.id, headers);
      expect(retry.status).toBe(409);
      expect(retry.body.errors[0].message).toBe('A payment for this order is already in progress');

      // A new process on the same database, with a provider that answers: it reconciles at start.
      const provider = new CountingProvider();
      const busUrl = uniqueDatabaseUrl('payments_bus');
      const busDb = await openPostgres(busUrl);
      const bus = await LocalEventBus.open(busDb);
      const restarted = await createPaymentsService(
        { db: payments.db, bus, paymentProvider: provider },
        testConfig(paymentsSettings),
      );
      await restarted.start();
      try {
        const charges = await eventually(
          () => api.get(`/api/payments?orderId=${order.id}`, headers).then((r) => r.body),
          (body: any[]) => body[0]?.status === 'completed',
        );
        expect(charges).toEqual([
          {
            id: inFlight.id,
            orderId: order.id,
            status: 'completed',
            amount: 25.5,
            providerId: expect.stringMatching(/^pi_sandbox_/),
            refundId: null,
            createdAt: inFlight.createdAt,
            last4: '4242',
          },
        ]);
        expect(provider.chargesOf(order.id)).toEqual([
          expect.objectContaining({
            idempotencyKey: inFlight.id,
            source: 'tok_visa',
            amount: 2550,
          }),
        ]);
        expect(await chargeCreatedEvents(payments, order.id)).toHaveLength(1);
      } finally {
        await restarted.stop();
        await bus.close();
        await busDb.close();
        await dropDatabase(busUrl);
      }
    });
  },
);

describe.skipIf(!hasPostgres)(
  'Payments through Stripe (the SDK against a local Stripe stub)',
  () => {
    let stub: StripeStub;
    let payments: RunningTestService;
    let api: ApiClient;

    beforeAll(async () => {
      stub = await startStripeStub();
      payments = await startPayments('payments_stripe', {
        env: { STRIPE_SECRET_KEY: STUB_SECRET_KEY, STRIPE_API_URL: stub.url },
      });
      api = new ApiClient(payments.url);
    });
    afterAll(async () => {
      await payments?.stop();
      await stub?.close();
    });

    it('when STRIPE_SECRET_KEY is set, then a decline and a payment go to Stripe, each with its charge id as key', async () => {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price: 4200 },
      });

      const declined = await pay(api, order.id, headers, 'tok_chargeDeclined');
      expect(declined.status).toBe(402);
      expect(declined.body.errors[0].message).toBe('Your card was declined.');

      const paid = await pay(api, order.id, headers, 'tok_mastercard');
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({
        status: 'completed',
        amount: 42,
        providerId: expect.stringMatching(/^pi_/),
        last4: '4444',
      });

      const charges = (await api.get(`/api/payments?orderId=${order.id}`, headers)).body;
      // The decline's card is named too, from the card error's payment_method.
      expect(charges.map((c: any) => [c.status, c.last4])).toEqual([
        ['completed', '4444'],
        ['failed', '0002'],
      ]);
      expect((await chargeCreatedEvents(payments, order.id))[0]?.last4).toBe('4444');
      const intents = stub
        .requestsTo('POST', '/v1/payment_intents')
        .filter((r) => r.params.metadata?.orderId === order.id);
      expect(intents.map((r) => r.idempotencyKey)).toEqual(charges.map((c: any) => c.id).reverse());
      expect(intents.every((r) => r.params.amount === '4200' && r.params.currency === 'usd')).toBe(
        true,
      );
    });

    it("when the amount is out of Stripe's range, then Stripe refuses it and the buyer gets 402 with its message", async () => {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price: 49 },
      });
      const res = await pay(api, order.id, headers);
      expect(res.status).toBe(402);
      expect(res.body).toEqual({ errors: [{ message: 'Amount must be at least $0.50 usd' }] });
      const [sent] = stub
        .requestsTo('POST', '/v1/payment_intents')
        .filter((r) => r.params.metadata?.orderId === order.id);
      expect(sent?.status).toBe(400);
    });
  },
);
