import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { reservationJourney } from '../../test-support/journeys.js';
import { SYSTEM_WINDOW_SECONDS, systemSuite } from '../../test-support/system-suite.js';

const main = fileURLToPath(new URL('../../packages/embedded/dist/main.js', import.meta.url));

/** The embedded mode exactly as `npm start` runs it, with a short reservation window. */
describe('embedded mode, the whole system in one process', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';
  let url = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'system-embedded-'));
    url = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          RESERVATION_WINDOW_SECONDS: String(SYSTEM_WINDOW_SECONDS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let output = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /running on http:\/\/localhost:(\d+)/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      });
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk));
      proc.on('exit', (code) => reject(new Error(`embedded exited with ${code}: ${output}`)));
    });
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  systemSuite(() => url);

  it('when a ticket is listed, ordered, cancelled and edited, then every service agrees at each step', async () => {
    await reservationJourney(url);
  });
});
