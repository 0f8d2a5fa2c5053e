import {
  MailOutbox,
  ServiceRuntime,
  createMailer,
  logger,
  mailMigrations,
  rateLimitsOf,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { adminEmails, type AuthConfig } from './config.js';
import { authMigrations } from './data/migrations.js';
import { syncAdmins } from './data/user-repository.js';
import type { AuthContext } from './domain/auth-context.js';
import { SessionRevoker } from './domain/sessions.js';
import { SignInRateLimit } from './domain/sign-in-rate-limit.js';
import { usersRouter } from './routes/users-router.js';
import { describeUsersApi } from './routes/users-api-docs.js';

/**
 * Builds the auth service on the database and bus it is given. It consumes no events: it is the
 * source of users and of session revocations, which it records in its own revocation table and
 * publishes for the other services'. It sends one mail itself (the password-reset link, which
 * must never travel on the bus) through the common mail outbox.
 */
export async function createAuthService(deps: ServiceDeps, config: AuthConfig): Promise<Service> {
  const runtime = await ServiceRuntime.create(
    'auth',
    deps,
    [...mailMigrations, ...authMigrations],
    {
      sessions: 'source',
    },
  );
  await syncAdmins(runtime.db, adminEmails(config));
  const store = rateLimitsOf(deps);
  const limiter = await SignInRateLimit.create(store, {
    maxFailuresPerIp: config.SIGNIN_MAX_PER_IP,
    maxFailuresPerClient: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
    floodThreshold: config.SIGNIN_FLOOD_PER_EMAIL,
  });
  const mailer = createMailer({
    smtpUrl: config.SMTP_URL,
    mailDir: config.MAIL_DIR,
    from: config.MAIL_FROM,
  });
  const mail = new MailOutbox(runtime.db, mailer);
  const ctx: AuthContext = {
    db: runtime.db,
    config,
    limiter,
    revoker: new SessionRevoker(runtime.db, runtime.sessions!, config.JWT_TTL_SECONDS),
    mail,
    limits: {
      signUpPerIp: await store.limit({
        name: 'signup-ip',
        points: config.SIGNUP_MAX_PER_IP,
        durationSeconds: config.SIGNUP_WINDOW_SECONDS,
        message: `Too many sign-ups from this address: at most ${config.SIGNUP_MAX_PER_IP} per ${config.SIGNUP_WINDOW_SECONDS / 60} minutes`,
      }),
      resetPerIp: await store.limit({
        name: 'reset-ip',
        points: config.RESET_MAX_PER_IP,
        durationSeconds: 3600,
        message: `Too many password-reset requests: at most ${config.RESET_MAX_PER_IP} an hour from one address`,
      }),
      resetPerEmail: await store.limit({
        name: 'reset-email',
        points: config.RESET_MAX_PER_EMAIL,
        durationSeconds: 3600,
        message: `Too many password-reset requests: at most ${config.RESET_MAX_PER_EMAIL} an hour for one email`,
      }),
      passwordChangeFailures: await store.limit({
        name: 'password-change-failures',
        points: 5,
        durationSeconds: 15 * 60,
        message: 'Too many wrong current passwords, try again later',
      }),
    },
  };
  const router = usersRouter(ctx);
  return {
    name: 'auth',
    router: runtime.authenticated('/api/users', router),
    api: describeUsersApi,
    async start() {
      await runtime.start();
      mail.start();
      logger.info({ service: 'auth' }, `auth: mail goes to ${mailer.description}`);
    },
    async stop() {
      await router.settle();
      await mail.stop();
      mailer.close();
      await runtime.stop();
    },
    readinessChecks: runtime.readinessChecks,
  };
}
