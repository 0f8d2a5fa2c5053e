import type { Database } from '@ticketing/common';
import type { AuthConfig } from '../config.js';
import type { SessionRevoker } from './sessions.js';
import type { SignInRateLimit } from './sign-in-rate-limit.js';

/** What auth's use cases run on: its database, settings, limits and session revoker. */
export interface AuthContext {
  db: Database;
  config: AuthConfig;
  limiter: SignInRateLimit;
  revoker: SessionRevoker;
}
