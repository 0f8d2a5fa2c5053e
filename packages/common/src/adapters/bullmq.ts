// @ticketing/common/bullmq:
// What keeps state in Redis: the BullMQ scheduler, and rate limits in Redis.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../scheduler/bullmq-scheduler.js';
export * from '../rate-limit/redis-rate-limits.js';
