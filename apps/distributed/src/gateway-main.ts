import { z } from 'zod';
import { endProcessGracefully, envVar, loadConfigOrExit } from '@ticketing/common';
import { createGateway, type Route } from './gateway.js';

// The gateway alone, as a container: the stand-in for the Kubernetes ingress where there is no
// cluster (the podman stack, deploy/podman). Replicas listen on 127.0.0.1 (host network).
const settings = {
  PORT: envVar.port(8080).describe('the gateway port'),
  GATEWAY_ROUTES: z
    .string()
    .regex(/^(\/[\w./-]*=\d+(,\d+)*)(;\/[\w./-]*=\d+(,\d+)*)*$/)
    .describe('path prefix = replica ports, `;`-separated: `/api/users=4101,4111;/=4100`'),
};

const config = loadConfigOrExit(settings);

const routes: Route[] = config.GATEWAY_ROUTES.split(';').map((entry) => {
  const [prefix, ports] = entry.split('=') as [string, string];
  const list = ports.split(',').map(Number);
  return { prefix, ports: () => list };
});
const server = createGateway(routes).listen(config.PORT, () =>
  console.log(`gateway on port ${config.PORT}: ${config.GATEWAY_ROUTES}`),
);

endProcessGracefully({
  name: 'gateway',
  graceMs: 5_000,
  stop: () =>
    new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
    }),
});
