import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '@ticketing/common';
import { startEmbeddedProcess } from '../../../test-support/embedded.js';
import { ApiClient } from '../../../test-support/http.js';
import { reservationJourney } from '../../../test-support/journeys.js';

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('embedded mode (npm start)', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) await killHard(child);
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('when started with no servers and no settings, then it answers on one port and keeps data across a hard kill', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'embedded-'));
    dirs.push(dataDir);
    const first = await startEmbeddedProcess(dataDir);
    children.push(first.child);
    const api = new ApiClient(first.url);
    expect(await api.get('/api/users/currentuser')).toMatchObject({
      status: 200,
      body: { currentUser: null },
    });
    expect((await api.get('/readyz')).status).toBe(200);

    const emails = ['first@example.com', 'second@example.com', 'third@example.com'];
    for (const email of emails) {
      const res = await new ApiClient(first.url).post('/api/users/signup', {
        email,
        password: 'password123',
        name: 'Kim',
      });
      expect(res.status).toBe(201);
    }
    const signup = await api.post('/api/users/signup', {
      email: 'kept@example.com',
      password: 'password123',
      name: 'Kept',
    });
    expect(signup.status).toBe(201);
    await killHard(first.child);

    const second = await startEmbeddedProcess(dataDir);
    children.push(second.child);
    // The session from before the crash is still valid: the key is kept in the data folder.
    const again = new ApiClient(second.url);
    again.cookie = api.cookie;
    expect((await again.get('/api/users/currentuser')).body.currentUser).toEqual(signup.body);
    const signin = await new ApiClient(second.url).post('/api/users/signin', {
      email: 'KEPT@example.com',
      password: 'password123',
    });
    expect(signin.status).toBe(200);

    // Every service runs behind the one port, talking over the embedded bus.
    await reservationJourney(second.url);
    await new Promise<void>((resolve) => {
      second.child.removeAllListeners('exit');
      second.child.once('exit', () => resolve());
      second.child.kill('SIGTERM');
    });
    expect(second.child.exitCode).toBe(0);

    // Every committed user has its user:created on the durable bus, the kill notwithstanding.
    const count = async (dir: string, sql: string) => {
      const db = await openPglite(join(dataDir, dir));
      const { rows } = await db.query<{ n: number }>(sql);
      await db.close();
      return rows[0]!.n;
    };
    const users = await count('auth', 'SELECT count(*)::int AS n FROM users');
    const events = await count(
      'bus',
      `SELECT count(*)::int AS n FROM bus_messages WHERE subject = 'user:created'`,
    );
    expect(users).toBeGreaterThanOrEqual(4);
    expect(events).toBe(users);
  }, 180_000);

  it('when a setting is malformed, then it stops with a message naming the variable', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'embedded-'));
    dirs.push(dataDir);
    await expect(startEmbeddedProcess(dataDir, { PORT: 'not-a-port' })).rejects.toThrow(/PORT/);
    await expect(startEmbeddedProcess(dataDir, { JWT_KEY: 'short' })).rejects.toThrow(
      /JWT_KEY.*at least 32/,
    );
    await expect(
      startEmbeddedProcess(dataDir, { RESERVATION_WINDOW_SECONDS: '-5' }),
    ).rejects.toThrow(/RESERVATION_WINDOW_SECONDS/);
  });
});
