import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SandboxPaymentProvider } from './sandbox-provider.js';

const usd = (source: string, idempotencyKey = randomUUID()) => ({
  amount: 2550,
  currency: 'usd',
  source,
  idempotencyKey,
});

describe("The sandbox provider (Stripe's test mode without an account)", () => {
  it('when a test token, test PaymentMethod or test card number that succeeds is charged, then it succeeds', async () => {
    const sandbox = new SandboxPaymentProvider();
    for (const source of ['tok_visa', 'pm_card_visa', '4242424242424242', '4242 4242 4242 4242']) {
      expect(await sandbox.charge(usd(source))).toEqual({
        status: 'succeeded',
        providerId: expect.stringMatching(/^pi_sandbox_[0-9a-f]{24}$/),
      });
    }
  });

  it('when a declining test source is charged, then a decline with Stripe’s message', async () => {
    const sandbox = new SandboxPaymentProvider();
    for (const source of ['tok_chargeDeclined', '4000 0000 0000 0002']) {
      expect(await sandbox.charge(usd(source))).toMatchObject({
        status: 'declined',
        code: 'generic_decline',
        message: 'Your card was declined.',
      });
    }
    expect(await sandbox.charge(usd('tok_chargeDeclinedInsufficientFunds'))).toMatchObject({
      status: 'declined',
      message: 'Your card has insufficient funds.',
    });
    expect(await sandbox.charge(usd('tok_made_up'))).toMatchObject({ status: 'declined' });
    expect(await sandbox.charge(usd('4111111111111111'))).toMatchObject({ status: 'declined' });
  });

  it('when a key is used again, even by a new sandbox after a restart, then the same payment id', async () => {
    const key = randomUUID();
    const first = await new SandboxPaymentProvider().charge(usd('tok_visa', key));
    const sandbox = new SandboxPaymentProvider();
    expect(await sandbox.charge(usd('tok_visa', key))).toEqual(first);
    expect(await sandbox.charge(usd('tok_visa', key))).toEqual(first);
    await expect(sandbox.charge({ ...usd('tok_visa', key), amount: 1 })).rejects.toThrow(
      /already used with other parameters/,
    );
  });

  it('when a payment is refunded twice, then one refund id', async () => {
    const sandbox = new SandboxPaymentProvider();
    const paid = await sandbox.charge(usd('tok_visa'));
    const providerId = (paid as { providerId: string }).providerId;

    const refundId = await sandbox.refund(providerId, 'refund-1');

    expect(refundId).toMatch(/^re_sandbox_/);
    expect(await sandbox.refund(providerId, 'refund-1')).toBe(refundId);
    expect(await sandbox.refund(providerId, 'refund-other')).toBe(refundId);
    expect(await new SandboxPaymentProvider().refund(providerId, 'refund-1')).toBe(refundId);
  });
});
