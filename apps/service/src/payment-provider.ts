import { envVar, type PaymentProvider } from '@ticketing/common';
import { SandboxPaymentProvider } from '@ticketing/common/sandbox-payments';
import { StripePaymentProvider } from '@ticketing/common/stripe';
import { z } from 'zod';

/** The settings that choose the payments service's card processor, read by every host. */
export const paymentProviderSettings = {
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'expected a Stripe secret key (sk_test_…, sk_live_…)')
    .optional()
    .describe('charges go through Stripe when set; through the test-mode sandbox when not'),
  STRIPE_API_URL: envVar
    .url(['http', 'https'])
    .optional()
    .describe("Stripe's API address; only to point at a local Stripe stub or mock"),
};

export type PaymentProviderConfig = z.infer<z.ZodObject<typeof paymentProviderSettings>>;

/** Stripe when a secret key is configured; otherwise the sandbox, which needs no account. */
export async function paymentProviderFrom(config: PaymentProviderConfig): Promise<PaymentProvider> {
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
