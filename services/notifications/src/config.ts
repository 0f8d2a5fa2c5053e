import { envVar, mailSettings } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every setting the notifications service reads, with its default. Like the expiration service's,
 * where pending reminders wait is its host's choice, with that scheduler's settings (the
 * standalone host: REDIS_URL, REMINDER_QUEUE, BULLMQ_PREFIX in apps/service/src/schedulers.ts).
 */
export const notificationsSettings = {
  JWT_KEY: envVar.jwtKey(),
  RESERVATION_REMINDER_SECONDS: envVar
    .positiveInt(180)
    .describe('how long before an unpaid reservation ends its buyer is reminded'),
  REMINDER_SWEEP_SECONDS: envVar
    .positiveInt(60)
    .describe('how often pending reminders are re-read from the database and rescheduled'),
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
