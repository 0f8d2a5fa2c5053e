import { ServiceRuntime, type Service, type ServiceDeps } from '@ticketing/common';
import type { AuthConfig } from './config.js';
import { authMigrations } from './data/migrations.js';
import { SignInRateLimit } from './domain/sign-in-rate-limit.js';
import { usersRouter } from './routes/users-router.js';

/** Builds the auth service on the database and bus it is given. It consumes no events. */
export async function createAuthService(deps: ServiceDeps, config: AuthConfig): Promise<Service> {
  const runtime = await ServiceRuntime.create('auth', deps, authMigrations);
  const limiter = new SignInRateLimit({
    maxPerIp: config.SIGNIN_MAX_PER_IP,
    maxFailuresPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
  });
  return {
    name: 'auth',
    router: usersRouter(runtime.db, config, limiter),
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    readinessChecks: runtime.readinessChecks,
  };
}
