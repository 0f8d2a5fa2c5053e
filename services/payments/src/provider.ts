import { type PaymentProvider } from '@ticketing/common';
import { SandboxPaymentProvider } from '@ticketing/common/sandbox-payments';
import { StripePaymentProvider } from '@ticketing/common/stripe';
import type { PaymentsConfig } from './config.js';

/** Stripe when a secret key is configured; otherwise the sandbox, which needs no account. */
export async function createPaymentProvider(
  config: Pick<PaymentsConfig, 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL'>,
): Promise<PaymentProvider> {
  if (!config.STRIPE_SECRET_KEY) return new SandboxPaymentProvider();
  const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  const protocol = api?.protocol === 'http:' ? 'http' : 'https';
  return StripePaymentProvider.create({
    secretKey: config.STRIPE_SECRET_KEY,
    ...(api && {
      host: api.hostname,
      port: Number(api.port) || (protocol === 'http' ? 80 : 443),
      protocol,
    }),
  });
}
