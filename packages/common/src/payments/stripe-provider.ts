import type Stripe from 'stripe';
import {
  PaymentProviderError,
  type ChargeDeclined,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
} from './payment-provider.js';
import { isCardNumber, testPaymentMethodFor } from './test-cards.js';

export interface StripeProviderOptions {
  /** A secret (`sk_…`) or restricted (`rk_…`) key. */
  secretKey: string;
  /** Where the API is; Stripe's own by default. Tests point these at a local stub. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Retries of a request that got no answer; safe, as every call carries an idempotency key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** The PaymentIntent fields that say what pays. */
type SourceParams = Pick<Stripe.PaymentIntentCreateParams, 'payment_method' | 'confirmation_token'>;

/**
 * Stripe through its official SDK: one PaymentIntent per charge, created and confirmed
 * server-side in one call, card only, with the caller's idempotency key; refunds likewise.
 * A card error (and a request Stripe refuses as invalid, such as an unknown token) is a
 * decline; anything that leaves the outcome unknown is a PaymentProviderError.
 *
 * The SDK is loaded on first use (`create`), so processes that never talk to Stripe never load it.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';

  constructor(private readonly stripe: Stripe) {}

  static async create(options: StripeProviderOptions): Promise<StripePaymentProvider> {
    const { default: StripeSdk } = await import('stripe');
    return new StripePaymentProvider(
      new StripeSdk(options.secretKey, {
        maxNetworkRetries: options.maxNetworkRetries ?? 2,
        timeout: options.timeoutMs ?? 30_000,
        appInfo: { name: 'ticketing-payments' },
        ...(options.host !== undefined && { host: options.host }),
        ...(options.port !== undefined && { port: options.port }),
        ...(options.protocol !== undefined && { protocol: options.protocol }),
      }),
    );
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const source = await this.sourceParams(request);
      if ('status' in source) return source;
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency,
          ...source,
          allowed_payment_method_types: ['card'],
          confirm: true,
          // Nothing here can show a 3-D Secure challenge: fail such a card as a card error.
          error_on_requires_action: true,
          metadata: request.metadata ?? {},
          // The charge comes back whole, so its card's last four digits are known at once.
          expand: ['latest_charge'],
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return fromIntent(intent);
    } catch (error) {
      return this.declineOrThrow(error);
    }
  }

  async refund(providerId: string, idempotencyKey: string): Promise<string> {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: providerId },
        { idempotencyKey },
      );
      return refund.id;
    } catch (error) {
      if (this.isStripeError(error) && error.code === 'charge_already_refunded') {
        // Refunded before under another key (or after Stripe forgot ours): that refund it is.
        const earlier = await this.stripe.refunds
          .list({ payment_intent: providerId, limit: 1 })
          .catch((e: unknown) => this.throwUnknown(e));
        if (earlier.data[0]) return earlier.data[0].id;
      }
      return this.throwUnknown(error);
    }
  }

  /** The PaymentIntent's payment source for what the buyer gave, or a decline when unusable. */
  private async sourceParams(request: ChargeRequest): Promise<SourceParams | ChargeDeclined> {
    const source = request.source.trim();
    if (source.startsWith('pm_')) return { payment_method: source };
    if (source.startsWith('ctoken_')) return { confirmation_token: source };
    if (source.startsWith('tok_')) {
      // A card token becomes a PaymentMethod first, as Stripe documents for legacy tokens.
      const method = await this.stripe.paymentMethods.create(
        { type: 'card', card: { token: source } },
        { idempotencyKey: `${request.idempotencyKey}:payment-method` },
      );
      return { payment_method: method.id };
    }
    if (isCardNumber(source)) {
      // Raw numbers never go to Stripe; the test ones stand for their test PaymentMethods.
      const testMethod = testPaymentMethodFor(source);
      if (testMethod) return { payment_method: testMethod };
      return {
        status: 'declined',
        code: 'card_number_not_accepted',
        message: 'Card numbers are not accepted here; pay with the card form',
      };
    }
    return { status: 'declined', code: 'resource_missing', message: `No such token: '${source}'` };
  }

  private declineOrThrow(error: unknown): ChargeDeclined {
    const { errors } = this.stripe;
    if (
      error instanceof errors.StripeCardError ||
      error instanceof errors.StripeInvalidRequestError
    ) {
      return {
        status: 'declined',
        message: error.message,
        ...((error.decline_code ?? error.code) && { code: error.decline_code ?? error.code }),
        ...(error.payment_intent?.id && { providerId: error.payment_intent.id }),
        ...(error.payment_method?.card?.last4 && { last4: error.payment_method.card.last4 }),
      };
    }
    return this.throwUnknown(error);
  }

  /** Stripe's other errors (no answer, 5xx, rate limit, keys) leave the outcome unknown. */
  private throwUnknown(error: unknown): never {
    if (this.isStripeError(error)) {
      throw new PaymentProviderError(`Stripe did not complete the request: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }

  private isStripeError(error: unknown): error is Stripe.errors.StripeError {
    return error instanceof this.stripe.errors.StripeError;
  }
}

/** The card's last four digits from the PaymentIntent's expanded latest charge, when a card paid. */
function last4Of(intent: Stripe.PaymentIntent): { last4?: string } {
  const charge = intent.latest_charge;
  const last4 = typeof charge === 'object' ? charge?.payment_method_details?.card?.last4 : null;
  return last4 ? { last4 } : {};
}

function fromIntent(intent: Stripe.PaymentIntent): ChargeResult {
  if (intent.status === 'succeeded') {
    return { status: 'succeeded', providerId: intent.id, ...last4Of(intent) };
  }
  if (intent.status === 'processing') {
    throw new PaymentProviderError(`PaymentIntent ${intent.id} is still processing`);
  }
  return {
    status: 'declined',
    message:
      intent.last_payment_error?.message ?? `The payment was not completed (${intent.status})`,
    providerId: intent.id,
  };
}
