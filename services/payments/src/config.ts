import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the payments service reads, with its default. */
export const paymentsSettings = {
  JWT_KEY: envVar.jwtKey(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'expected a Stripe secret key (sk_test_…, sk_live_…)')
    .optional()
    .describe('charges go through Stripe when set; through the test-mode sandbox when not'),
  STRIPE_API_URL: envVar
    .url(['http', 'https'])
    .optional()
    .describe("Stripe's API address; only to point at a local Stripe stub or mock"),
  CURRENCY: z
    .string()
    .regex(/^[a-z]{3}$/, 'expected a lower-case ISO 4217 code such as usd')
    .default('usd')
    .describe('the currency of every charge (ticket prices carry no currency of their own)'),
  RECONCILE_INTERVAL_SECONDS: envVar
    .positiveInt(60)
    .describe(
      'how often charges left unfinished (a crash, a provider that did not answer) are finished; ' +
        'a charge is left alone until it is this old',
    ),
};

export type PaymentsConfig = z.infer<z.ZodObject<typeof paymentsSettings>>;
