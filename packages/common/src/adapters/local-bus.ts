// `@ticketing/common/local-bus`: The embedded mode's event bus: a durable log in a database of the embedded server.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../bus/local-event-bus.js';
