// @ticketing/common/database-scheduler:
// The embedded mode's scheduler: pending jobs in the service's own database.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../scheduler/database-scheduler.js';
