import { envVar, mailSettings } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every setting the notifications service reads, with its default. Like the expiration service,
 * where pending reminders wait follows from REDIS_URL: BullMQ delayed jobs in Redis when it is set
 * (required by the standalone process), else the service's own database (the embedded mode).
 */
export const notificationsSettings = {
  JWT_KEY: envVar.jwtKey(),
  RESERVATION_REMINDER_SECONDS: envVar
    .positiveInt(180)
    .describe('how long before an unpaid reservation ends its buyer is reminded'),
  REMINDER_SWEEP_SECONDS: envVar
    .positiveInt(60)
    .describe('how often pending reminders are re-read from the database and rescheduled'),
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .optional()
    .describe('Redis that keeps pending reminders as BullMQ delayed jobs'),
  REMINDER_QUEUE: z
    .string()
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('reservation-reminder')
    .describe('name of the BullMQ queue of pending reservation reminders'),
  BULLMQ_PREFIX: z
    .string()
    .min(1)
    .default('bull')
    .describe('prefix of the BullMQ keys in Redis, to share one Redis between deployments'),
  ...mailSettings,
  MAIL_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris')
    .describe('time zone in which mails and notifications state dates and times'),
};

export type NotificationsConfig = z.infer<z.ZodObject<typeof notificationsSettings>>;

/** The standalone (distributed) process: the same settings, with Redis required. */
export const notificationsStandaloneSettings = {
  ...notificationsSettings,
  REDIS_URL: envVar
    .url(['redis', 'rediss'])
    .describe('Redis that keeps pending reminders as BullMQ delayed jobs'),
};
