import { ServiceRuntime, type Service, type ServiceDeps } from '@ticketing/common';
import type { TicketsConfig } from './config.js';
import { ticketsMigrations } from './data/migrations.js';
import { OrderCancelledListener } from './listeners/order-cancelled-listener.js';
import { OrderCompletedListener } from './listeners/order-completed-listener.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';
import { UserCreatedListener } from './listeners/user-created-listener.js';
import { UserUpdatedListener } from './listeners/user-updated-listener.js';
import { UserSuspendedListener } from './listeners/user-suspended-listener.js';
import { ticketsRouter } from './routes/tickets-router.js';
import { describeTicketsApi } from './routes/tickets-api-docs.js';

const NAME = 'tickets';

/**
 * Builds the tickets service on the database and bus it is given. It follows orders (reserve,
 * release, sell) and users (sellers' names). Its only setting, the JWT key, is read by the HTTP
 * app that hosts the router.
 */
export async function createTicketsService(
  deps: ServiceDeps,
  _config: TicketsConfig,
): Promise<Service> {
  const runtime = await ServiceRuntime.create(NAME, deps, ticketsMigrations, {
    sessions: 'consumer',
  });
  const listeners = [
    new OrderCreatedListener(runtime.db, NAME),
    new OrderCancelledListener(runtime.db, NAME),
    new OrderCompletedListener(runtime.db, NAME),
    new UserCreatedListener(runtime.db, NAME),
    new UserUpdatedListener(runtime.db, NAME),
    new UserSuspendedListener(runtime.db, NAME),
  ];
  return {
    name: NAME,
    router: runtime.authenticated(['/api/tickets', '/api/sales'], ticketsRouter(runtime.db)),
    api: describeTicketsApi,
    start: () => runtime.start(listeners),
    stop: () => runtime.stop(),
    readinessChecks: runtime.readinessChecks,
  };
}
