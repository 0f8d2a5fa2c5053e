import {
  ServiceRuntime,
  type SchedulerFactory,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { Router } from 'express';
import type { ExpirationConfig } from './config.js';
import { expirationMigrations } from './data/migrations.js';
import { expireOrder } from './domain/expire-order.js';
import { ExpirySweeper } from './domain/expiry-sweeper.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';

const NAME = 'expiration';

/** What the expiration service runs on: the database and bus, and a scheduler. */
export interface ExpirationDeps extends ServiceDeps {
  /**
   * Where pending expirations wait, as the host chooses: a table of the service's own database
   * (embedded) or BullMQ delayed jobs in Redis (standalone). The service makes it, starts it with
   * its start and stops it (closing its connections) with its stop.
   */
  scheduler: SchedulerFactory;
}

/**
 * Builds the expiration service on the database, bus and scheduler it is given: on
 * order:created it records the order's window and arms its expiry; when that comes, it records
 * order:expired in its outbox.
 * Its `expirations` table is the record of every pending expiry: a sweep rebuilds the scheduler
 * from it at start, every EXPIRATION_SWEEP_SECONDS and when Redis comes back, and fires overdue
 * ones itself. It has no routes beyond the shared health and metrics.
 */
export async function createExpirationService(
  deps: ExpirationDeps,
  config: ExpirationConfig,
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, expirationMigrations);
  // A store that comes back (Redis) calls back only once connected, by which time the sweeper
  // exists.
  const scheduler = await deps.scheduler({ onReconnect: () => sweeper.trigger() });
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
