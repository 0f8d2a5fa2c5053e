// `@ticketing/common/bullmq`: Redis: the scheduler as BullMQ delayed jobs, and rate limits kept in Redis.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../scheduler/bullmq-scheduler.js';
export * from '../rate-limit/redis-rate-limits.js';
