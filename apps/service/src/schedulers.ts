import { HOST_SCHEDULER_CONCURRENCY, envVar, type SchedulerFactory } from '@ticketing/common';
import { BullMqScheduler } from '@ticketing/common/bullmq';
import { z } from 'zod';

const bullMqPrefix = z
  .string()
  .min(1)
  .default('bull')
  .describe('prefix of the BullMQ keys in Redis, to share one Redis between deployments');

/** Where the standalone expiration service keeps pending expirations: BullMQ, in Redis. */
export const expirationSchedulerSettings = {
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .describe('Redis that keeps pending expirations as BullMQ delayed jobs'),
  EXPIRATION_QUEUE: z
    .string()
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('order-expiration')
    .describe('name of the BullMQ queue of pending expirations'),
  BULLMQ_PREFIX: bullMqPrefix,
};

/** Where the standalone notifications service keeps pending reminders: BullMQ, in Redis. */
export const reminderSchedulerSettings = {
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .describe('Redis that keeps pending reminders as BullMQ delayed jobs'),
  REMINDER_QUEUE: z
    .string()
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('reservation-reminder')
    .describe('name of the BullMQ queue of pending reservation reminders'),
  BULLMQ_PREFIX: bullMqPrefix,
};

/** Delayed jobs of queue `queueName` in the Redis at `url`. */
export const bullMqSchedulerOf =
  (options: { url: string; queueName: string; prefix: string }): SchedulerFactory =>
  (hooks) =>
    new BullMqScheduler({
      ...options,
      concurrency: HOST_SCHEDULER_CONCURRENCY,
      onReconnect: hooks.onReconnect,
    });
