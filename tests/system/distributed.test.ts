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

/** The distributed topology as `npm run start:distributed` runs it: one process per replica. */
describe.skipIf(!hasPostgres || !hasNats)('distributed topology behind its gateway', () => {
  const prefix = uniqueName('topo');
  let topology: Topology | undefined;

  beforeAll(async () => {
    topology = await startTopology({
      postgresUrl: POSTGRES_URL,
      natsUrl: NATS_URL,
      redisUrl: REDIS_URL,
      jwtKey: TEST_JWT_KEY,
      dbPrefix: prefix,
      replicas: 2,
      gatewayPort: 0,
      env: { LOG_LEVEL: 'warn', COOKIE_SECURE: 'false' },
      logDir: `.test-output/${prefix}`,
    });
  }, 120_000);

  afterAll(async () => {
    await topology?.stop();
    for (const spec of SERVICES) await dropDatabase(`${POSTGRES_URL}/${prefix}_${spec.name}`);
    await deleteNatsStreams(prefix);
  }, 60_000);

  it('when the journey runs against two replicas of every service, then every step agrees', async () => {
    await reservationJourney(topology!.url);
  });

  it('when an unknown path is asked for, then the gateway answers 404 in the error shape', async () => {
    const res = await new ApiClient(topology!.url).get('/api/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('when a replica is stopped with SIGTERM, then it exits 0 and its twin keeps serving', async () => {
    const [first] = topology!.of('auth');
    expect(await first!.stop('SIGTERM')).toBe(0);
    const res = await new ApiClient(topology!.url).get('/api/users/currentuser');
    expect(res.status).toBe(200);
    await first!.start();
  });
});
