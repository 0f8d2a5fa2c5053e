import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PaymentProviderError,
  Subjects,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
} from '@ticketing/common';
import { SandboxPaymentProvider } from '@ticketing/common/sandbox-payments';
import { StripePaymentProvider } from '@ticketing/common/stripe';
import { deliver, nextRefusal } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import {
  buyerWithOrder,
  cancelled,
  chargeCreatedEvents,
  pay,
  startPayments,
} from '../../../test-support/payments.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import {
  STUB_SECRET_KEY,
  startStripeStub,
  type StripeStub,
} from '../../../test-support/stripe-stub.js';

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
      payments = await startPayments(`payments_late_${label.replace(/\W/g, '')}`, { provider });
      api = new ApiClient(payments.url);
    });
    afterAll(async () => {
      await payments?.stop();
      await tearDown();
    });

    it('when the order is cancelled between the payment start and the provider success, then the charge is refunded, no charge:created, and the order stays cancelled', async () => {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price: 3000 },
      });
      const hold = provider.holdNextCharge();

      const paying = pay(api, order.id, headers);
      const request = await hold.started;
      await deliver(payments.bus, cancelled(order), 'payments');
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
          createdAt: expect.any(String),
          last4: '4242',
        },
      ]);
      expect(provider.refunds).toContainEqual({
        providerId: charges[0].providerId,
        idempotencyKey: `refund-${charges[0].id}`,
      });
      expect(await chargeCreatedEvents(payments, order.id)).toEqual([]);
      expect(await replicaStatus(payments, order.id)).toBe('cancelled');
      const again = await pay(api, order.id, headers);
      expect(again.status).toBe(409);
      expect(again.body.errors[0].message).toBe('Order is cancelled');
      if (refundsAtProvider) {
        expect(refundsAtProvider()).toContainEqual(
          expect.objectContaining({ payment_intent: charges[0].providerId }),
        );
      }
    });

    it('when order:cancelled arrives after the charge completed, then the listener refunds it', async () => {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price: 3000 },
      });
      const paid = await pay(api, order.id, headers);
      expect(paid.status).toBe(201);
      expect(await chargeCreatedEvents(payments, order.id)).toHaveLength(1);

      await deliver(payments.bus, cancelled(order), 'payments');

      const [charge] = (await api.get(`/api/payments?orderId=${order.id}`, headers)).body;
      expect(charge).toEqual({ ...paid.body, refundId: expect.stringMatching(/^re_/) });
      expect(provider.refunds.filter((r) => r.providerId === paid.body.providerId)).toEqual([
        { providerId: paid.body.providerId, idempotencyKey: `refund-${paid.body.id}` },
      ]);
    });

    it('when the refund fails at first, then the cancellation comes back and the refund is made on a later delivery', async () => {
      const { headers, order } = await buyerWithOrder(payments, {
        ticket: { id: randomUUID(), price: 3000 },
      });
      const paid = await pay(api, order.id, headers);
      provider.failNextRefunds(1);
      const nacked = nextRefusal(payments.bus, 'payments', Subjects.OrderCancelled);

      const cancellation = cancelled(order);
      await deliver(payments.bus, cancellation, 'payments');
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
      await deliver(payments.bus, cancelled(order), 'payments');
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
