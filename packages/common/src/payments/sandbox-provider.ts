import { createHash } from 'node:crypto';
import {
  MAX_CHARGE_CENTS,
  MIN_CHARGE_CENTS,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
} from './payment-provider.js';
import { isCardNumber, testCardLast4, testCardOutcome } from './test-cards.js';

/** A short, stable id made from an idempotency key: the same key always names the same thing. */
const idFor = (prefix: string, key: string): string =>
  `${prefix}_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

/**
 * A card processor without an account, for the embedded mode and tests: it behaves like
 * Stripe's test mode. The test tokens, test PaymentMethods and test card numbers of
 * `test-cards.ts` succeed or are declined as they do at Stripe (with the test card's last four
 * digits); anything else is declined, and so is an amount outside Stripe's 0.50–999,999.99.
 *
 * Every id is derived from the idempotency key and every outcome from the source, so a call
 * repeated with the same key gets the same answer, even from a new process after a restart:
 * the in-memory record only adds Stripe's refusal of a key reused with other parameters.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox';
  private readonly charges = new Map<string, { fingerprint: string; result: ChargeResult }>();
  private readonly refundsByKey = new Map<string, { providerId: string; refundId: string }>();
  private readonly refundOf = new Map<string, string>();

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (!Number.isInteger(request.amount) || request.amount <= 0) {
      throw new RangeError(`amount must be a positive integer of cents, got ${request.amount}`);
    }
    if (!request.idempotencyKey) throw new RangeError('an idempotency key is required');
    const fingerprint = JSON.stringify([request.amount, request.currency, request.source]);
    const previous = this.charges.get(request.idempotencyKey);
    if (previous) {
      if (previous.fingerprint !== fingerprint) throw reusedKey(request.idempotencyKey);
      return previous.result;
    }
    const result =
      outOfRange(request.amount) ??
      decide(request.source, idFor('pi_sandbox', request.idempotencyKey));
    this.charges.set(request.idempotencyKey, { fingerprint, result });
    return result;
  }

  async refund(providerId: string, idempotencyKey: string): Promise<string> {
    if (!providerId.startsWith('pi_sandbox_')) {
      throw new Error(`No such payment in the sandbox: '${providerId}'`);
    }
    const previous = this.refundsByKey.get(idempotencyKey);
    if (previous) {
      if (previous.providerId !== providerId) throw reusedKey(idempotencyKey);
      return previous.refundId;
    }
    const refundId = this.refundOf.get(providerId) ?? idFor('re_sandbox', idempotencyKey);
    this.refundsByKey.set(idempotencyKey, { providerId, refundId });
    this.refundOf.set(providerId, refundId);
    return refundId;
  }
}

/** Stripe refuses such an amount before it looks at the card, with these codes and messages. */
function outOfRange(amount: number): ChargeResult | undefined {
  if (amount < MIN_CHARGE_CENTS) {
    return {
      status: 'declined',
      code: 'amount_too_small',
      message: 'Amount must be at least $0.50 usd',
    };
  }
  if (amount > MAX_CHARGE_CENTS) {
    return {
      status: 'declined',
      code: 'amount_too_large',
      message: 'Amount must be no more than $999,999.99',
    };
  }
  return undefined;
}

function decide(source: string, providerId: string): ChargeResult {
  const outcome = testCardOutcome(source);
  if (!outcome) {
    return isCardNumber(source)
      ? { status: 'declined', code: 'incorrect_number', message: 'Your card number is incorrect.' }
      : { status: 'declined', code: 'resource_missing', message: `No such token: '${source}'` };
  }
  const last4 = testCardLast4(source)!;
  if (outcome.succeeds) return { status: 'succeeded', providerId, last4 };
  return {
    status: 'declined',
    code: outcome.declineCode,
    message: outcome.message,
    providerId,
    last4,
  };
}

const reusedKey = (key: string) =>
  new Error(`Idempotency key '${key}' was already used with other parameters`);
