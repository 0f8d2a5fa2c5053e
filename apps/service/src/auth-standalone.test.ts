import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type EventEnvelope } from '@ticketing/common';
import { NatsEventBus } from '@ticketing/common/nats';
import { ApiClient, eventually } from '../../../test-support/http.js';
import {
  NATS_URL,
  deleteNatsConsumer,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueDatabaseUrl,
} from '../../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../../test-support/service-harness.js';

// The built entry point, exactly what the container runs (`npm test` builds first).
const main = fileURLToPath(new URL('../dist/auth-main.js', import.meta.url));

function run(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

describe('auth as its own process', () => {
  it('when required settings are missing or bad, then it exits 1 naming each variable', async () => {
    const { child, output } = run({ PORT: '99999', NATS_URL: 'http://wrong' });
    expect(await exited(child)).toBe(1);
    expect(output()).toMatch(/PORT/);
    expect(output()).toMatch(/DATABASE_URL.*is required/);
    expect(output()).toMatch(/NATS_URL.*nats URL/);
    expect(output()).toMatch(/JWT_KEY.*is required/);
  });

  describe.skipIf(!hasPostgres || !hasNats)('on PostgreSQL and NATS JetStream', () => {
    const databaseUrl = uniqueDatabaseUrl('auth_main');
    let child: ChildProcess | undefined;
    let bus: NatsEventBus | undefined;
    const consumer = `authtest${Date.now()}`;
    afterAll(async () => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await bus?.close();
      await deleteNatsConsumer('TICKETING', `${consumer}_user_created`);
      await dropDatabase(databaseUrl);
    });

    it('when a user signs up, then user:created is seen on the real NATS bus, and SIGTERM exits 0', async () => {
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const proc = run({
        PORT: port,
        DATABASE_URL: databaseUrl,
        NATS_URL,
        JWT_KEY: TEST_JWT_KEY,
        COOKIE_SECURE: 'false',
      });
      child = proc.child;
      const api = new ApiClient(`http://127.0.0.1:${port}`);
      for (let i = 0; ; i++) {
        const ready = await api.get('/readyz').catch(() => undefined);
        if (ready?.status === 200) break;
        if (i > 200 || child.exitCode !== null)
          throw new Error(`auth did not start: ${proc.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }

      // A consumer of our own on the production stream, as tickets would be.
      bus = await NatsEventBus.connect({ url: NATS_URL, name: 'auth-test-consumer' });
      const email = `nats${Date.now()}@example.com`;
      const received: EventEnvelope[] = [];
      await bus.subscribe({
        consumer,
        subject: 'user:created',
        handler: async (envelope) => {
          received.push(envelope);
        },
      });
      const res = await api.post('/api/users/signup', {
        email,
        password: 'password123',
        name: 'Nat S',
      });
      expect(res.status).toBe(201);
      const envelope = await eventually(() =>
        received.find((e) => (e.data as { id: string }).id === res.body.id),
      );
      expect(envelope!.data).toEqual({ id: res.body.id, name: 'Nat S', email, version: 0 });
      expect(envelope!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    });
  });
});
