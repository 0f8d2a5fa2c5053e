import {
  ServiceRuntime,
  type Database,
  type Scheduler,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { BullMqScheduler } from '@ticketing/common/bullmq';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { Router } from 'express';
import type { ExpirationConfig } from './config.js';
import { expirationMigrations } from './data/migrations.js';
import { expireOrder } from './domain/expire-order.js';
import { ExpirySweeper } from './domain/expiry-sweeper.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';

const NAME = 'expiration';

export interface ExpirationServiceOptions {
  /**
   * Where pending expirations wait: by default the one `expirationScheduler` picks from the
   * config. The service starts it with its start and stops it (closing its connections) with
   * its stop.
   */
  scheduler?: Scheduler;
}

/**
 * The scheduler the config asks for: BullMQ delayed jobs in Redis when REDIS_URL is set, else a
 * table of `db` (the service's own database) with an in-process timer.
 */
export async function expirationScheduler(
  db: Database,
  config: ExpirationConfig,
  hooks: { onReconnect?: () => void } = {},
): Promise<Scheduler> {
  if (!config.REDIS_URL) return DatabaseScheduler.create(db);
  return new BullMqScheduler({
    url: config.REDIS_URL,
    queueName: config.EXPIRATION_QUEUE,
    prefix: config.BULLMQ_PREFIX,
    onReconnect: hooks.onReconnect,
  });
}

/**
 * Builds the expiration service on the database and bus it is given: on order:created it records
 * the order's window and arms its expiry; when that comes, it records order:expired in its outbox.
 * Its `expirations` table is the record of every pending expiry: a sweep rebuilds the scheduler
 * from it at start, every EXPIRATION_SWEEP_SECONDS and when Redis comes back, and fires overdue
 * ones itself. It has no routes beyond the shared health and metrics.
 */
export async function createExpirationService(
  deps: ServiceDeps,
  config: ExpirationConfig,
  options: ExpirationServiceOptions = {},
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, expirationMigrations);
  const scheduler =
    options.scheduler ??
    (await expirationScheduler(deps.db, config, { onReconnect: () => sweeper.trigger() }));
  // Redis calls back only once connected, by which time the sweeper exists.
  const sweeper = new ExpirySweeper(runtime.db, scheduler, {
    intervalMs: config.EXPIRATION_SWEEP_SECONDS * 1_000,
  });
  const listeners = [new OrderCreatedListener(runtime.db, NAME, scheduler)];
  return {
    name: NAME,
    router: Router(),
    async start() {
      // Through runtime.db, so the relay publishes the event right after its commit.
      await scheduler.start(async (job) => {
        await expireOrder(runtime.db, { orderId: job.id, expiresAt: job.dueAt });
      });
      await runtime.start(listeners);
      sweeper.start();
    },
    async stop() {
      // The scheduler first: an expiry in progress commits, and the relay sends it or the next
      // start does.
      await sweeper.stop();
      await scheduler.stop();
      await runtime.stop();
    },
    readinessChecks: { ...runtime.readinessChecks, scheduler: () => scheduler.ping() },
  };
}
