import type { Database, MailOutbox, RateLimit } from '@ticketing/common';
import type { AuthConfig } from '../config.js';
import type { SessionRevoker } from './sessions.js';
import type { SignInRateLimit } from './sign-in-rate-limit.js';

/** What auth's use cases run on: its database, settings, limits, session revoker and mail. */
export interface AuthContext {
  db: Database;
  config: AuthConfig;
  limiter: SignInRateLimit;
  revoker: SessionRevoker;
  mail: MailOutbox;
  limits: {
    signUpPerIp: RateLimit;
    resetPerIp: RateLimit;
    resetPerEmail: RateLimit;
    passwordChangeFailures: RateLimit;
  };
}
