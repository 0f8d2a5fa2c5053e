import { envVar } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every setting the expiration service reads, with its default. Where pending expirations live
 * follows from REDIS_URL: BullMQ delayed jobs in Redis when it is set (required by the
 * standalone process), else the service's own database (the embedded mode).
 */
export const expirationSettings = {
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .optional()
    .describe('Redis that keeps pending expirations as BullMQ delayed jobs'),
  EXPIRATION_QUEUE: z
    .string()
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('order-expiration')
    .describe('name of the BullMQ queue of pending expirations'),
  BULLMQ_PREFIX: z
    .string()
    .min(1)
    .default('bull')
    .describe('prefix of the BullMQ keys in Redis, to share one Redis between deployments'),
  EXPIRATION_SWEEP_SECONDS: envVar
    .positiveInt(30)
    .describe(
      'how often pending expirations are re-read from the database and rescheduled (and overdue ones fired)',
    ),
};

export type ExpirationConfig = z.infer<z.ZodObject<typeof expirationSettings>>;

/** The standalone (distributed) process: the same settings, with Redis required. */
export const expirationStandaloneSettings = {
  ...expirationSettings,
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .describe('Redis that keeps pending expirations as BullMQ delayed jobs'),
};
