import {
  ServiceRuntime,
  logger,
  type PaymentProvider,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import type { PaymentsConfig } from './config.js';
import { paymentsMigrations } from './data/migrations.js';
import type { PaymentsContext } from './domain/payments-context.js';
import { ChargeReconciler } from './domain/reconcile-charges.js';
import { OrderCancelledListener } from './listeners/order-cancelled-listener.js';
import { OrderCompletedListener } from './listeners/order-completed-listener.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';
import { paymentsRouter } from './routes/payments-router.js';
import { describePaymentsApi } from './routes/payments-api-docs.js';

const NAME = 'payments';

/** What the payments service runs on: the database and bus, and a card processor. */
export interface PaymentsDeps extends ServiceDeps {
  /** The card processor, as the host chooses: Stripe, or the sandbox (Stripe's test mode). */
  paymentProvider: PaymentProvider;
}

/**
 * Builds the payments service on the database, bus and payment provider it is given; it keeps a
 * replica of orders and, from start, finishes charges a crash left in flight.
 */
export async function createPaymentsService(
  deps: PaymentsDeps,
  config: PaymentsConfig,
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, paymentsMigrations, {
    sessions: 'consumer',
  });
  const provider = deps.paymentProvider;
  const ctx: PaymentsContext = {
    db: runtime.db,
    provider,
    currency: config.CURRENCY,
    inFlight: new Set(),
  };
  const reconciler = new ChargeReconciler(ctx, config.RECONCILE_INTERVAL_SECONDS);
  const listeners = [
    new OrderCreatedListener(runtime.db, NAME),
    new OrderCancelledListener(ctx, NAME),
    new OrderCompletedListener(runtime.db, NAME),
  ];
  return {
    name: NAME,
    router: runtime.authenticated('/api/payments', paymentsRouter(ctx)),
    api: describePaymentsApi,
    async start() {
      await runtime.start(listeners);
      reconciler.start();
      logger.info({ service: NAME, provider: provider.name }, `payments through ${provider.name}`);
    },
    async stop() {
      await reconciler.stop();
      await runtime.stop();
    },
    readinessChecks: runtime.readinessChecks,
  };
}
