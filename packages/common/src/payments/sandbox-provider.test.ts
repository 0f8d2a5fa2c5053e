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
        last4: '4242',
      });
    }
    expect(await sandbox.charge(usd('tok_amex'))).toMatchObject({ last4: '0005' });
    expect(await sandbox.charge(usd('5555 5555 5555 4444'))).toMatchObject({ last4: '4444' });
  });

  it('when the amount is below 0.50 or above 999,999.99, then it is declined as Stripe declines it, whatever the card', async () => {
    const sandbox = new SandboxPaymentProvider();
    const at = (amount: number) => sandbox.charge({ ...usd('tok_visa'), amount });
    expect(await at(49)).toEqual({
      status: 'declined',
      code: 'amount_too_small',
      message: 'Amount must be at least $0.50 usd',
    });
    expect(await at(100_000_000)).toEqual({
      status: 'declined',
      code: 'amount_too_large',
      message: 'Amount must be no more than $999,999.99',
    });
    expect(await at(50)).toMatchObject({ status: 'succeeded' });
    expect(await at(99_999_999)).toMatchObject({ status: 'succeeded' });
  });

  it('when a declining test source is charged, then a decline with Stripe’s message', async () => {
    const sandbox = new SandboxPaymentProvider();
    for (const source of ['tok_chargeDeclined', '4000 0000 0000 0002']) {
      expect(await sandbox.charge(usd(source))).toMatchObject({
        status: 'declined',
        code: 'generic_decline',
        message: 'Your card was declined.',
        last4: '0002',
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
