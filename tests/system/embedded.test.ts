import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startEmbeddedProcess } from '../../test-support/embedded.js';
import { reservationJourney } from '../../test-support/journeys.js';
import { sessionsSuite } from '../../test-support/sessions-suite.js';
import { SYSTEM_WINDOW_SECONDS, systemSuite } from '../../test-support/system-suite.js';

/** The embedded mode exactly as `npm start` runs it, with a short reservation window. */
describe('embedded mode, the whole system in one process', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';
  let url = '';

  async function start() {
    const running = await startEmbeddedProcess(dataDir, {
      RESERVATION_WINDOW_SECONDS: String(SYSTEM_WINDOW_SECONDS),
      SIGNUP_MAX_PER_IP: '100000',
    });
    child = running.child;
    url = running.url;
  }

  async function stop() {
    if (child && child.exitCode === null) {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'system-embedded-'));
    await start();
  }, 180_000);

  afterAll(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  systemSuite(() => url);

  sessionsSuite(
    () => url,
    async () => {
      await stop();
      await start();
    },
  );

  it('when a ticket is listed, ordered, cancelled and edited, then every service agrees at each step', async () => {
    await reservationJourney(url);
  });
});
