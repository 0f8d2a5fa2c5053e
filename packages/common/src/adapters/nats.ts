// `@ticketing/common/nats`: NATS JetStream, the distributed mode's event bus.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../bus/nats-event-bus.js';
