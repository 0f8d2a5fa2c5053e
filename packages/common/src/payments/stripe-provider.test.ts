import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STUB_SECRET_KEY,
  startStripeStub,
  type StripeStub,
} from '../../../../test-support/stripe-stub.js';
import { PaymentProviderError } from './payment-provider.js';
import { StripePaymentProvider } from './stripe-provider.js';

const usd = (source: string, idempotencyKey = randomUUID(), amount = 1999) => ({
  amount,
  currency: 'usd',
  source,
  idempotencyKey,
  metadata: { orderId: 'order-1', chargeId: idempotencyKey },
});

describe('The Stripe adapter, through the official SDK, against a local Stripe stub', () => {
  let stub: StripeStub;
  let stripe: StripePaymentProvider;

  beforeAll(async () => {
    stub = await startStripeStub();
    stripe = await StripePaymentProvider.create({
      secretKey: STUB_SECRET_KEY,
      host: stub.host,
      port: stub.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  });
  afterAll(async () => stub?.close());

  it('when tok_visa is charged, then one PaymentIntent is created and confirmed server-side with our key', async () => {
    const key = randomUUID();

    const result = await stripe.charge(usd('tok_visa', key));

    expect(result).toEqual({
      status: 'succeeded',
      providerId: expect.stringMatching(/^pi_/),
      last4: '4242',
    });
    const [method] = stub
      .requestsTo('POST', '/v1/payment_methods')
      .filter((r) => r.idempotencyKey === `${key}:payment-method`);
    expect(method?.params).toEqual({ type: 'card', card: { token: 'tok_visa' } });
    const created = stub
      .requestsTo('POST', '/v1/payment_intents')
      .filter((r) => r.idempotencyKey === key);
    expect(created).toHaveLength(1);
    expect(created[0]!.params).toMatchObject({
      amount: '1999',
      currency: 'usd',
      confirm: 'true',
      allowed_payment_method_types: ['card'],
      payment_method: expect.stringMatching(/^pm_/),
      metadata: { orderId: 'order-1', chargeId: key },
      // The card's last four digits come from the charge, which is asked for whole.
      expand: ['latest_charge'],
    });
    const intent = stub.paymentIntents().find((pi) => pi.id === (result as any).providerId);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 1999 });
  });

  it('when a test PaymentMethod or a test card number is charged, then it succeeds without sending the number', async () => {
    expect(await stripe.charge(usd('pm_card_visa'))).toMatchObject({ status: 'succeeded' });

    const key = randomUUID();
    expect(await stripe.charge(usd('4242 4242 4242 4242', key))).toMatchObject({
      status: 'succeeded',
    });
    const [sent] = stub.requests.filter((r) => r.idempotencyKey === key);
    expect(sent?.params.payment_method).toBe('pm_card_visa');
    expect(JSON.stringify(stub.requests)).not.toMatch(/4242424242424242/);
  });

  it("when tok_chargeDeclined is charged, then a decline with Stripe's message, and nothing is taken", async () => {
    const result = await stripe.charge(usd('tok_chargeDeclined'));

    expect(result).toEqual({
      status: 'declined',
      message: 'Your card was declined.',
      code: 'generic_decline',
      providerId: expect.stringMatching(/^pi_/),
      last4: '0002',
    });
    const intent = stub.paymentIntents().find((pi) => pi.id === (result as any).providerId);
    expect(intent?.status).toBe('requires_payment_method');
  });

  it('when the test card 4000 0000 0000 0002 or an unknown token is charged, then each is a decline', async () => {
    expect(await stripe.charge(usd('4000000000000002'))).toMatchObject({
      status: 'declined',
      message: 'Your card was declined.',
    });
    expect(await stripe.charge(usd('tok_nonsense'))).toMatchObject({
      status: 'declined',
      code: 'resource_missing',
      message: "No such token: 'tok_nonsense'",
    });
    expect(await stripe.charge(usd('4111 1111 1111 1111'))).toMatchObject({
      status: 'declined',
      code: 'card_number_not_accepted',
    });
  });

  it('when the amount is below 0.50 or above 999,999.99, then Stripe refuses it and the adapter reports a decline', async () => {
    expect(await stripe.charge(usd('pm_card_visa', randomUUID(), 49))).toEqual({
      status: 'declined',
      code: 'amount_too_small',
      message: 'Amount must be at least $0.50 usd',
    });
    expect(await stripe.charge(usd('pm_card_visa', randomUUID(), 100_000_000))).toMatchObject({
      status: 'declined',
      code: 'amount_too_large',
    });
    expect(await stripe.charge(usd('pm_card_amex', randomUUID(), 50))).toMatchObject({
      status: 'succeeded',
      last4: '0005',
    });
  });

  it('when the same idempotency key is used twice, then Stripe replays the first answer and charges once', async () => {
    const key = randomUUID();

    const first = await stripe.charge(usd('tok_visa', key));
    const again = await stripe.charge(usd('tok_visa', key));

    expect(again).toEqual(first);
    const calls = stub
      .requestsTo('POST', '/v1/payment_intents')
      .filter((r) => r.idempotencyKey === key);
    expect(calls.map((c) => c.replayed)).toEqual([false, true]);
    expect(stub.paymentIntents().filter((pi) => pi.metadata.chargeId === key)).toHaveLength(1);
  });

  it('when a declined payment is retried with its key, then the same decline; with a new key, a new attempt', async () => {
    const key = randomUUID();
    const declined = await stripe.charge(usd('tok_chargeDeclined', key));

    expect(await stripe.charge(usd('tok_chargeDeclined', key))).toEqual(declined);
    expect(await stripe.charge(usd('tok_visa', randomUUID()))).toMatchObject({
      status: 'succeeded',
    });
  });

  it('when Stripe answers 500 once, then the SDK retries with the same key and the payment is made once', async () => {
    const retrying = await StripePaymentProvider.create({
      secretKey: STUB_SECRET_KEY,
      host: stub.host,
      port: stub.port,
      protocol: 'http',
      maxNetworkRetries: 2,
    });
    const key = randomUUID();
    stub.failNext(1);

    const result = await retrying.charge(usd('pm_card_visa', key));

    expect(result).toMatchObject({ status: 'succeeded' });
    const calls = stub
      .requestsTo('POST', '/v1/payment_intents')
      .filter((r) => r.idempotencyKey === key);
    expect(calls.map((c) => c.status)).toEqual([500, 200]);
    expect(stub.paymentIntents().filter((pi) => pi.metadata.chargeId === key)).toHaveLength(1);
  });

  it('when Stripe does not complete the request, then PaymentProviderError (the outcome is unknown)', async () => {
    stub.failNext(1);
    await expect(stripe.charge(usd('pm_card_visa'))).rejects.toBeInstanceOf(PaymentProviderError);

    const wrongKey = await StripePaymentProvider.create({
      secretKey: 'sk_test_wrong',
      host: stub.host,
      port: stub.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(wrongKey.charge(usd('pm_card_visa'))).rejects.toBeInstanceOf(PaymentProviderError);
  });

  it('when a payment is refunded, then the refund id, our key sent, and a repeat returns the same refund', async () => {
    const paid = await stripe.charge(usd('tok_visa'));
    const providerId = (paid as { providerId: string }).providerId;
    const key = `refund-${randomUUID()}`;

    const refundId = await stripe.refund(providerId, key);
    const again = await stripe.refund(providerId, key);

    expect(refundId).toMatch(/^re_/);
    expect(again).toBe(refundId);
    const calls = stub.requestsTo('POST', '/v1/refunds').filter((r) => r.idempotencyKey === key);
    expect(calls.map((c) => [c.params.payment_intent, c.replayed])).toEqual([
      [providerId, false],
      [providerId, true],
    ]);
    expect(stub.refunds().filter((r) => r.payment_intent === providerId)).toHaveLength(1);
  });

  it('when a payment already refunded under another key is refunded, then that refund is returned', async () => {
    const paid = await stripe.charge(usd('pm_card_visa'));
    const providerId = (paid as { providerId: string }).providerId;
    const first = await stripe.refund(providerId, randomUUID());

    expect(await stripe.refund(providerId, randomUUID())).toBe(first);
    expect(stub.refunds().filter((r) => r.payment_intent === providerId)).toHaveLength(1);
  });
});
