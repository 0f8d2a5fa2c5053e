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
import { createPaymentProvider } from './provider.js';
import { paymentsRouter } from './routes/payments-router.js';

const NAME = 'payments';

export interface PaymentsServiceOptions {
  /** The card processor; by default Stripe when STRIPE_SECRET_KEY is set, else the sandbox. */
  provider?: PaymentProvider;
}

/**
 * Builds the payments service on the database and bus it is given; it keeps a replica of orders
 * and, from start, finishes charges a crash left in flight.
 */
export async function createPaymentsService(
  deps: ServiceDeps,
  config: PaymentsConfig,
  options: PaymentsServiceOptions = {},
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, paymentsMigrations, {
    sessions: 'consumer',
  });
  const provider = options.provider ?? (await createPaymentProvider(config));
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
