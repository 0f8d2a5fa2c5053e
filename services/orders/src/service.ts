import { ServiceRuntime, rateLimitsOf, type Service, type ServiceDeps } from '@ticketing/common';
import type { OrdersConfig } from './config.js';
import { ordersMigrations } from './data/migrations.js';
import { ChargeCreatedListener } from './listeners/charge-created-listener.js';
import { OrderExpiredListener } from './listeners/order-expired-listener.js';
import { TicketCreatedListener } from './listeners/ticket-created-listener.js';
import { TicketUpdatedListener } from './listeners/ticket-updated-listener.js';
import { UserSuspendedListener } from './listeners/user-suspended-listener.js';
import { ordersRouter } from './routes/orders-router.js';
import { describeOrdersApi } from './routes/orders-api-docs.js';

const NAME = 'orders';

/**
 * Builds the orders service on the database and bus it is given; it keeps a ticket replica,
 * cancels orders whose window expired and completes orders that were paid.
 */
export async function createOrdersService(
  deps: ServiceDeps,
  config: OrdersConfig,
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, ordersMigrations, {
    sessions: 'consumer',
  });
  const perMinute = config.ORDERS_PER_MINUTE_PER_USER;
  const ordersPerMinute = await rateLimitsOf(deps).limit({
    name: 'orders-per-minute',
    points: perMinute,
    durationSeconds: 60,
    message: `You may create at most ${perMinute} orders a minute: try again shortly`,
  });
  const listeners = [
    new TicketCreatedListener(runtime.db, NAME),
    new TicketUpdatedListener(runtime.db, NAME),
    new OrderExpiredListener(runtime.db, NAME),
    new ChargeCreatedListener(runtime.db, NAME),
    new UserSuspendedListener(runtime.db, NAME),
  ];
  return {
    name: NAME,
    router: runtime.authenticated(
      '/api/orders',
      ordersRouter(runtime.db, config, { ordersPerMinute }),
    ),
    api: describeOrdersApi,
    start: () => runtime.start(listeners),
    stop: () => runtime.stop(),
    readinessChecks: runtime.readinessChecks,
  };
}
