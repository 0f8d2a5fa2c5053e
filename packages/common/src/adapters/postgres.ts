// `@ticketing/common/postgres`: PostgreSQL through `pg`: a service's database (a pool), created when missing.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../db/postgres-database.js';
