import {
  MailOutbox,
  ServiceRuntime,
  createMailer,
  logger,
  type SchedulerFactory,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import type { NotificationsConfig } from './config.js';
import { notificationsMigrations } from './data/migrations.js';
import type { NotifyContext } from './domain/notify.js';
import { ReminderSweeper, sendReminder } from './domain/reservation-reminder.js';
import {
  ChargeCreatedListener,
  OrderCancelledListener,
  OrderCompletedListener,
  OrderCreatedListener,
  TicketCreatedListener,
  TicketUpdatedListener,
  UserCreatedListener,
  UserSuspendedListener,
  UserUpdatedListener,
} from './listeners/notification-listeners.js';
import { notificationsRouter } from './routes/notifications-router.js';
import { describeNotificationsApi } from './routes/notifications-api-docs.js';

const NAME = 'notifications';

/** What the notifications service runs on: the database and bus, and a scheduler. */
export interface NotificationsDeps extends ServiceDeps {
  /**
   * Where pending reminders wait, as the host chooses (the same adapters as the expiration
   * service's): a table of the service's own database, or BullMQ delayed jobs in Redis. The
   * service makes it, starts it with its start and stops it with its stop.
   */
  scheduler: SchedulerFactory;
}

export interface NotificationsServiceOptions {
  /** Mail outbox timing (tests shorten the backoff). */
  mailOutbox?: ConstructorParameters<typeof MailOutbox>[2];
}

/**
 * Builds the notifications service on the database, bus and scheduler it is given. It only
 * listens: it keeps replicas of users (name, email), tickets (title, venue, start, seller) and
 * orders (buyer, ticket, window, outcome), and records one notification per cause for the people
 * concerned, each with its mail in the common mail outbox (sent after commit; SMTP or `.eml`
 * files). The reservation-ending reminder waits in the scheduler; the `orders` table is its
 * record.
 */
export async function createNotificationsService(
  deps: NotificationsDeps,
  config: NotificationsConfig,
  options: NotificationsServiceOptions = {},
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, notificationsMigrations, {
    sessions: 'consumer',
  });
  const mailer = createMailer({
    smtpUrl: config.SMTP_URL,
    mailDir: config.MAIL_DIR,
    from: config.MAIL_FROM,
  });
  const mail = new MailOutbox(runtime.db, mailer, options.mailOutbox);
  const ctx: NotifyContext = {
    mail,
    style: { publicUrl: config.PUBLIC_URL, timeZone: config.MAIL_TIME_ZONE },
    reminderLeadMs: config.RESERVATION_REMINDER_SECONDS * 1_000,
  };
  const scheduler = await deps.scheduler({ onReconnect: () => sweeper.trigger() });
  const remind = async (orderId: string) => {
    const outcome = await sendReminder(runtime.db, ctx, orderId);
    if (outcome === 'sent') mail.wake();
    return outcome;
  };
  const sweeper = new ReminderSweeper(
    runtime.db,
    scheduler,
    remind,
    config.REMINDER_SWEEP_SECONDS * 1_000,
  );
  const listeners = [
    new UserCreatedListener(runtime.db, NAME, ctx),
    new UserUpdatedListener(runtime.db, NAME, ctx),
    new TicketCreatedListener(runtime.db, NAME, ctx),
    new TicketUpdatedListener(runtime.db, NAME, ctx),
    new OrderCreatedListener(runtime.db, NAME, ctx, scheduler),
    new OrderCompletedListener(runtime.db, NAME, ctx),
    new ChargeCreatedListener(runtime.db, NAME, ctx),
    new OrderCancelledListener(runtime.db, NAME, ctx),
    new UserSuspendedListener(runtime.db, NAME, ctx),
  ];
  return {
    name: NAME,
    router: runtime.authenticated('/api/notifications', notificationsRouter(runtime.db)),
    api: describeNotificationsApi,
    async start() {
      await scheduler.start(async (job) => {
        await remind(job.id);
      });
      await runtime.start(listeners);
      mail.start();
      sweeper.start();
      logger.info({ service: NAME }, `${NAME}: mail goes to ${mailer.description}`);
    },
    async stop() {
      await sweeper.stop();
      await scheduler.stop();
      await runtime.stop();
      await mail.stop();
      mailer.close();
    },
    readinessChecks: { ...runtime.readinessChecks, scheduler: () => scheduler.ping() },
  };
}
