import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, startTopology, type Topology } from '@ticketing/distributed';
import { ApiClient } from '../../test-support/http.js';
import { reservationJourney } from '../../test-support/journeys.js';
import {
  NATS_URL,
  POSTGRES_URL,
  REDIS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueName,
} from '../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../test-support/service-harness.js';
import { SYSTEM_WINDOW_SECONDS, systemSuite } from '../../test-support/system-suite.js';

/**
 * The distributed topology as `npm run start:distributed` runs it: every service as two
 * processes on PostgreSQL, NATS JetStream and Redis, behind the gateway.
 */
describe.skipIf(!hasPostgres || !hasNats)('distributed mode, two replicas of every service', () => {
  const prefix = uniqueName('topo');
  let topology: Topology | undefined;
  const base = () => topology!.url;

  beforeAll(async () => {
    topology = await startTopology({
      postgresUrl: POSTGRES_URL,
      natsUrl: NATS_URL,
      redisUrl: REDIS_URL,
      jwtKey: TEST_JWT_KEY,
      dbPrefix: prefix,
      replicas: 2,
      gatewayPort: 0,
      env: {
        LOG_LEVEL: 'warn',
        COOKIE_SECURE: 'false',
        RESERVATION_WINDOW_SECONDS: String(SYSTEM_WINDOW_SECONDS),
      },
      logDir: `.test-output/${prefix}`,
    });
  }, 180_000);

  afterAll(async () => {
    await topology?.stop();
    for (const spec of SERVICES) await dropDatabase(`${POSTGRES_URL}/${prefix}_${spec.name}`);
    await deleteNatsStreams(prefix);
  }, 60_000);

  systemSuite(base);

  it('when a ticket is listed, ordered, cancelled and edited, then every service agrees at each step', async () => {
    await reservationJourney(base());
  });

  it('when an unknown path is asked for, then the gateway answers 404 in the error shape', async () => {
    const res = await new ApiClient(base()).get('/api/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('when a replica is stopped with SIGTERM, then it exits 0 and its twin keeps serving', async () => {
    const [first] = topology!.of('auth');
    expect(await first!.stop('SIGTERM')).toBe(0);
    const res = await new ApiClient(base()).get('/api/users/currentuser');
    expect(res.status).toBe(200);
    await first!.start();
  });
});
