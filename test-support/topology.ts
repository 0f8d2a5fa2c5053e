import { SERVICES, startTopology, type Topology } from '@ticketing/distributed';
import {
  NATS_URL,
  POSTGRES_URL,
  REDIS_URL,
  deleteNatsStreams,
  dropDatabase,
  obliterateQueue,
} from './servers.js';
import { TEST_JWT_KEY } from './service-harness.js';

/** The distributed topology on this machine's servers, its databases and streams under `prefix`. */
export const startTestTopology = (
  prefix: string,
  replicas: number,
  env: Record<string, string>,
): Promise<Topology> =>
  startTopology({
    postgresUrl: POSTGRES_URL,
    natsUrl: NATS_URL,
    redisUrl: REDIS_URL,
    jwtKey: TEST_JWT_KEY,
    dbPrefix: prefix,
    replicas,
    gatewayPort: 0,
    // The suites sign many users up from this one address.
    env: { LOG_LEVEL: 'warn', SIGNUP_MAX_PER_IP: '100000', ...env },
    logDir: `.test-output/${prefix}`,
  });

/** Stops a topology from `startTestTopology` and removes its databases and streams. */
export async function removeTestTopology(
  topology: Topology | undefined,
  prefix: string,
): Promise<void> {
  await topology?.stop();
  for (const spec of SERVICES) await dropDatabase(`${POSTGRES_URL}/${prefix}_${spec.name}`);
  await deleteNatsStreams(prefix);
  // The delayed jobs still pending (expiries, reminders), under the topology's queue names.
  for (const queue of [`${prefix}_expiration`, `${prefix}_reminders`]) {
    await obliterateQueue(queue, 'bull');
  }
}
