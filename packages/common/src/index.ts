// The ports (Database, EventBus, Scheduler, PaymentProvider, RateLimits), the messaging core
// (outbox, inbox, Publisher, Listener, delivery policy) and the shared HTTP, config and
// observability pieces. Each adapter is a subpath of its own (src/adapters/, package.json
// "exports"): services import only this root; hosts choose the adapters.
export * from './errors/http-errors.js';
export * from './errors/unavailable.js';
export * from './config/config.js';
export * from './observability/logger.js';
export * from './observability/metrics.js';
export * from './observability/request-context.js';
export * from './events/subjects.js';
export * from './events/schemas.js';
export * from './events/envelope.js';
export * from './db/database.js';
export * from './db/migrate.js';
export * from './bus/event-bus.js';
export * from './messaging/messaging-migrations.js';
export * from './messaging/publisher.js';
export * from './messaging/listener.js';
export * from './messaging/outbox-relay.js';
export * from './messaging/retention.js';
export * from './messaging/version-order.js';
export * from './domain/own-order.js';
export * from './db/database-now.js';
export * from './mail/mail-settings.js';
export * from './session/session-token.js';
export * from './session/revocations.js';
export * from './http/current-user.js';
export * from './http/validate.js';
export * from './http/pagination.js';
export * from './http/error-handler.js';
export * from './http/create-app.js';
export * from './http/request-guards.js';
export * from './http/openapi.js';
export * from './rate-limit/rate-limits.js';
export * from './service/service-runtime.js';
export * from './service/process-end.js';
export * from './service/periodic-sweep.js';
export * from './domain/money.js';
export * from './payments/payment-provider.js';
export * from './payments/test-cards.js';
export * from './scheduler/scheduler.js';
export * from './mail/mail-outbox.js';
export * from './mail/mailer.js';
