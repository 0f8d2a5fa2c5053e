import { envVar } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every setting the expiration service reads, with its default. Where pending expirations wait is
 * its host's choice, with that scheduler's settings (the standalone host: REDIS_URL,
 * EXPIRATION_QUEUE, BULLMQ_PREFIX in apps/service/src/schedulers.ts).
 */
export const expirationSettings = {
  EXPIRATION_SWEEP_SECONDS: envVar
    .positiveInt(30)
    .describe(
      'how often pending expirations are re-read from the database and rescheduled (and overdue ones fired)',
    ),
};

export type ExpirationConfig = z.infer<z.ZodObject<typeof expirationSettings>>;
