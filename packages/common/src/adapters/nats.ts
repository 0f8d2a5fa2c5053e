// @ticketing/common/nats: NATS JetStream, the distributed mode's event bus.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../bus/nats-event-bus.js';
