/**
 * What a payments service needs from a card processor, and nothing more: take money once per
 * idempotency key, and give it back. Two adapters implement it: Stripe, and a sandbox that
 * behaves like Stripe's test mode for running without an account.
 */
export interface PaymentProvider {
  /** `stripe` or `sandbox`, for logs. */
  readonly name: string;

  /**
   * Charges `amount` at once (no separate capture). Calling again with the same idempotency key
   * and the same request returns the first outcome and never charges a second time; that is
   * what makes retries, and re-calls after a crash, safe. A decline is an outcome, not an error.
   * Throws PaymentProviderError when the outcome is unknown (the provider did not answer).
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;

  /**
   * Refunds the whole of a successful charge and returns the refund's id. Idempotent per key,
   * and refunding a charge that was already refunded returns that refund's id.
   * Throws PaymentProviderError when the provider did not answer.
   */
  refund(providerId: string, idempotencyKey: string): Promise<string>;
}

export interface ChargeRequest {
  /** In the currency's smallest unit (cents), a positive integer. */
  amount: number;
  /** ISO 4217 code, lower case (`usd`). */
  currency: string;
  /**
   * What pays: a PaymentMethod id (`pm_…`), a card token (`tok_…`), a confirmation token
   * (`ctoken_…`), or, in test mode only, one of the test card numbers.
   */
  source: string;
  /** The same key for every attempt at the same payment; a new key for a new payment. */
  idempotencyKey: string;
  /** Kept with the payment at the provider, to find it from its dashboard. */
  metadata?: Record<string, string>;
}

export type ChargeResult = ChargeSucceeded | ChargeDeclined;

export interface ChargeSucceeded {
  status: 'succeeded';
  /** The provider's id of the payment (a PaymentIntent id): what a refund names. */
  providerId: string;
  /** The card's last four digits, when the provider tells them (never the whole number). */
  last4?: string;
}

export interface ChargeDeclined {
  status: 'declined';
  /** Safe to show the buyer: "Your card was declined." */
  message: string;
  /** The provider's reason, e.g. `generic_decline`, `insufficient_funds`. */
  code?: string;
  /** The declined attempt at the provider, when it made one. */
  providerId?: string;
  /** The declined card's last four digits, when the provider tells them. */
  last4?: string;
}

/**
 * The smallest and largest amounts, in cents, that a card charge may have: Stripe's limits for
 * USD (0.50 and 999,999.99), which it refuses as `amount_too_small` / `amount_too_large`.
 */
export const MIN_CHARGE_CENTS = 50;
export const MAX_CHARGE_CENTS = 99_999_999;

/**
 * The provider could not be reached or did not say what happened. The payment may or may not
 * have been taken: ask again later with the same idempotency key to find out, never a new one.
 */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
}
