// @ticketing/common/local-bus: The embedded mode's event bus, a durable log in a database.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../bus/local-event-bus.js';
