import { SERVICES, startTopology } from '@ticketing/distributed';
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
import { storefrontSuite } from './storefront-suite.js';

// Against `npm run start:distributed`: every service and the client as their own processes,
// behind the gateway that routes like the ingress.
if (hasPostgres && hasNats) {
  storefrontSuite('distributed', async () => {
    const prefix = uniqueName('browser');
    const topology = await startTopology({
      postgresUrl: POSTGRES_URL,
      natsUrl: NATS_URL,
      redisUrl: REDIS_URL,
      jwtKey: TEST_JWT_KEY,
      dbPrefix: prefix,
      replicas: 1,
      gatewayPort: 0,
      env: { LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', SIGNUP_MAX_PER_IP: '100000' },
      logDir: `.test-output/${prefix}`,
    });
    return {
      url: topology.url.replace('127.0.0.1', 'localhost'),
      async stop() {
        await topology.stop();
        for (const spec of SERVICES) await dropDatabase(`${POSTGRES_URL}/${prefix}_${spec.name}`);
        await deleteNatsStreams(prefix);
      },
    };
  });
}
