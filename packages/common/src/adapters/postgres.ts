// @ticketing/common/postgres:
// PostgreSQL through `pg`: a service's database (a pool), created when missing.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../db/postgres-database.js';
