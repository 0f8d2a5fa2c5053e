import { ServiceRuntime, type Service, type ServiceDeps } from '@ticketing/common';
import { adminEmails, type AuthConfig } from './config.js';
import { authMigrations } from './data/migrations.js';
import { syncAdmins } from './data/user-repository.js';
import type { AuthContext } from './domain/auth-context.js';
import { SessionRevoker } from './domain/sessions.js';
import { SignInRateLimit } from './domain/sign-in-rate-limit.js';
import { usersRouter } from './routes/users-router.js';

/**
 * Builds the auth service on the database and bus it is given. It consumes no events: it is the
 * source of users and of session revocations, which it records in its own revocation table and
 * publishes for the other services'.
 */
export async function createAuthService(deps: ServiceDeps, config: AuthConfig): Promise<Service> {
  const runtime = await ServiceRuntime.create('auth', deps, authMigrations, { sessions: 'source' });
  await syncAdmins(runtime.db, adminEmails(config));
  const limiter = new SignInRateLimit({
    maxPerIp: config.SIGNIN_MAX_PER_IP,
    maxFailuresPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
  });
  const ctx: AuthContext = {
    db: runtime.db,
    config,
    limiter,
    revoker: new SessionRevoker(runtime.db, runtime.sessions!, config.JWT_TTL_SECONDS),
  };
  return {
    name: 'auth',
    router: runtime.authenticated('/api/users', usersRouter(ctx)),
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    readinessChecks: runtime.readinessChecks,
  };
}
