import { z } from 'zod';
import { envVar } from '../config/config.js';

/**
 * The settings of a service that sends mail through the mail outbox (auth's password reset,
 * every notification): where mail goes, its sender, and the origin its links point at. One
 * definition, spread into each such service's settings.
 */
export const mailSettings = {
  PUBLIC_URL: envVar
    .url(['http', 'https'])
    .default('http://localhost:3000')
    .describe('the address users open, for links in mails'),
  SMTP_URL: envVar
    .url(['smtp', 'smtps'])
    .optional()
    .describe('SMTP server for mail (smtp://user:pass@host:587); unset: .eml files in MAIL_DIR'),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('Ticketing <no-reply@localhost>')
    .describe('From address of the mails'),
  MAIL_DIR: z
    .string()
    .default('./mail')
    .describe('folder of the .eml files written when SMTP_URL is unset'),
};
