import { envVar } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every setting the payments service reads, with its default. Which card processor it charges
 * through is its host's choice, with that provider's settings (STRIPE_SECRET_KEY, STRIPE_API_URL
 * in apps/service/src/payment-provider.ts).
 */
export const paymentsSettings = {
  JWT_KEY: envVar.jwtKey(),
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
