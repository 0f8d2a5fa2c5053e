import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../test-support/http.js';
import { reservationJourney } from '../../test-support/journeys.js';
import { systemSuite } from '../../test-support/system-suite.js';
import { hasPodman, renderStack } from './stack.js';

const stack = await renderStack();
const base = () => stack.url;

/**
 * The black-box system suite through the real images, as `podman kube play` runs the podman
 * overlay: two pods of every workload behind the gateway (global-setup.ts starts them).
 */
describe.skipIf(!hasPodman && !process.env.CI)(
  'the podman stack (kube play of the podman overlay)',
  () => {
    systemSuite(base);

    it('when a ticket is listed, ordered, cancelled and edited, then every service agrees at each step', async () => {
      await reservationJourney(base());
    });

    it('when an unknown API path is asked for, then the gateway answers 404 in the error shape', async () => {
      const res = await new ApiClient(base()).get('/api/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
    });

    it('when the storefront is asked for its health and its home page, then both answer', async () => {
      const health = await fetch(`${base()}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const home = await fetch(`${base()}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toContain('text/html');
    });
  },
);
