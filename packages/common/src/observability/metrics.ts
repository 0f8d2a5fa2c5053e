import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process. In the embedded mode several services share the process, so every
 * metric carries a `service` label instead of each service owning a registry of its own.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog',
  help: 'Events committed to the outbox and not yet published',
  labelNames: ['service'],
  registers: [registry],
});

export const eventsPublished = new Counter({
  name: 'events_published_total',
  help: 'Events published from the outbox to the bus',
  labelNames: ['service', 'subject'],
  registers: [registry],
});

export const eventsHandled = new Counter({
  name: 'events_handled_total',
  help: 'Events handled and acknowledged by a consumer',
  labelNames: ['consumer', 'subject'],
  registers: [registry],
});

export const redeliveries = new Counter({
  name: 'event_redeliveries_total',
  help: 'Deliveries of an event to a consumer after the first',
  labelNames: ['consumer', 'subject'],
  registers: [registry],
});

export const deadLetters = new Counter({
  name: 'event_dead_letters_total',
  help: 'Events given up on and moved to the dead-letter subject',
  labelNames: ['consumer', 'subject'],
  registers: [registry],
});

export const messagingTableRows = new Gauge({
  name: 'messaging_table_rows',
  help: 'Rows in the outbox, inbox and local-bus tables after the last retention sweep',
  labelNames: ['service', 'table'],
  registers: [registry],
});

export const fatalErrors = new Counter({
  name: 'process_fatal_errors_total',
  help: 'Errors nobody caught (uncaughtException, unhandledRejection); each stops the process',
  labelNames: ['kind'],
  registers: [registry],
});
