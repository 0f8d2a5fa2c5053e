import { envVar, mailSettings } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the auth service reads, with its default. */
export const authSettings = {
  JWT_KEY: envVar.jwtKey(),
  JWT_TTL_SECONDS: envVar.positiveInt(60 * 60 * 24 * 7).describe('lifetime of a session token'),
  COOKIE_SECURE: envVar
    .boolean(true)
    .describe('send the session cookie over HTTPS only; false for plain http on a LAN'),
  SIGNIN_MAX_PER_IP: envVar
    .positiveInt(30)
    .describe('failed sign-ins per client IP (any email) per window'),
  SIGNIN_MAX_FAILURES_PER_EMAIL: envVar
    .positiveInt(5)
    .describe('failed sign-ins per email from one client IP per window'),
  SIGNIN_FLOOD_PER_EMAIL: envVar
    .positiveInt(10)
    .describe(
      'failed sign-ins on one email from anywhere per minute before clients that failed on it wait',
    ),
  SIGNUP_MAX_PER_IP: envVar.positiveInt(20).describe('sign-ups per client IP per window'),
  SIGNUP_WINDOW_SECONDS: envVar.positiveInt(60 * 60).describe('sign-up rate limit window'),
  SIGNIN_WINDOW_SECONDS: envVar.positiveInt(15 * 60).describe('sign-in rate limit window'),
  ...mailSettings,
  RESET_MAX_PER_IP: envVar
    .positiveInt(10)
    .describe('password-reset requests per client IP per hour'),
  RESET_MAX_PER_EMAIL: envVar.positiveInt(3).describe('password-reset requests per email per hour'),
  ADMIN_EMAILS: z
    .string()
    .optional()
    .describe('comma-separated emails of the administrators (read at start)'),
};

export type AuthConfig = z.infer<z.ZodObject<typeof authSettings>>;

/** ADMIN_EMAILS as a list of lower-case emails. */
export const adminEmails = (config: Pick<AuthConfig, 'ADMIN_EMAILS'>): string[] =>
  (config.ADMIN_EMAILS ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
