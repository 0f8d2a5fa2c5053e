// `@ticketing/common/database-scheduler`: The embedded mode's scheduler: pending jobs as rows of the service's own database.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../scheduler/database-scheduler.js';
