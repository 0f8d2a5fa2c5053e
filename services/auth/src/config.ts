import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the auth service reads, with its default. */
export const authSettings = {
  JWT_KEY: envVar.jwtKey(),
  JWT_TTL_SECONDS: envVar.positiveInt(60 * 60 * 24 * 7).describe('lifetime of a session token'),
  COOKIE_SECURE: envVar
    .boolean(true)
    .describe('send the session cookie over HTTPS only; false for plain http on a LAN'),
  SIGNIN_MAX_PER_IP: envVar.positiveInt(30).describe('sign-in attempts per IP per window'),
  SIGNIN_MAX_FAILURES_PER_EMAIL: envVar
    .positiveInt(5)
    .describe('failed sign-ins per email per window'),
  SIGNIN_WINDOW_SECONDS: envVar.positiveInt(15 * 60).describe('sign-in rate limit window'),
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
