import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Topology } from '@ticketing/distributed';
import { ApiClient } from '../../test-support/http.js';
import { reservationJourney } from '../../test-support/journeys.js';
import { sessionsSuite } from '../../test-support/sessions-suite.js';
import { hasNats, hasPostgres, uniqueName } from '../../test-support/servers.js';
import { SYSTEM_WINDOW_SECONDS, systemSuite } from '../../test-support/system-suite.js';
import { removeTestTopology, startTestTopology } from '../../test-support/topology.js';

/**
 * The distributed topology as `npm run start:distributed` runs it: every service as two
 * processes on PostgreSQL, NATS JetStream and Redis, behind the gateway.
 */
describe.skipIf(!hasPostgres || !hasNats)('distributed mode, two replicas of every service', () => {
  const prefix = uniqueName('topo');
  let topology: Topology | undefined;
  const base = () => topology!.url;

  beforeAll(async () => {
    topology = await startTestTopology(prefix, 2, {
      COOKIE_SECURE: 'false',
      RESERVATION_WINDOW_SECONDS: String(SYSTEM_WINDOW_SECONDS),
    });
  }, 180_000);

  afterAll(() => removeTestTopology(topology, prefix), 60_000);

  systemSuite(base);

  // Every replica of every service stopped, then started again.
  sessionsSuite(base, async () => {
    const services = topology!.replicas.filter((r) => !r.spec.client);
    await Promise.all(services.map((r) => r.stop('SIGTERM')));
    for (const replica of services) await replica.start();
  });

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
