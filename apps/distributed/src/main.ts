import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { endProcessGracefully, envVar, loadConfigOrExit } from '@ticketing/common';
import { startTopology } from './topology.js';

// `npm run start:distributed`: every service as its own process against local PostgreSQL,
// NATS JetStream and Redis, behind one gateway port, the way the Kubernetes ingress routes.
const settings = {
  PORT: envVar.port(3000).describe('the gateway port'),
  POSTGRES_URL: envVar
    .url(['postgres', 'postgresql'])
    .default('postgres://postgres@127.0.0.1:5432')
    .describe('PostgreSQL server; each service gets its own database on it'),
  NATS_URL: envVar.url(['nats']).default('nats://127.0.0.1:4222'),
  REDIS_URL: envVar.url(['redis']).default('redis://127.0.0.1:6379'),
  JWT_KEY: envVar.jwtKey().optional(),
  DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .default('ticketing')
    .describe('database name prefix and NATS stream name'),
  REPLICAS: envVar.positiveInt(1).describe('processes per service'),
};

const config = loadConfigOrExit(settings);

console.log(`Starting ${config.REPLICAS} replica(s) of every service…`);
const topology = await startTopology({
  postgresUrl: config.POSTGRES_URL,
  natsUrl: config.NATS_URL,
  redisUrl: config.REDIS_URL,
  // Sessions last as long as this run unless a key is given.
  jwtKey: config.JWT_KEY ?? randomBytes(48).toString('base64url'),
  dbPrefix: config.DB_PREFIX,
  replicas: config.REPLICAS,
  gatewayPort: config.PORT,
});
for (const r of topology.replicas)
  console.log(`  ${r.label.padEnd(14)} http://127.0.0.1:${r.port}`);
console.log(`Ticketing (distributed) is running on http://localhost:${new URL(topology.url).port}`);

// Every child gets SIGTERM and its own grace period; this process waits for them all.
endProcessGracefully({ name: 'topology', graceMs: 60_000, stop: () => topology.stop() });
