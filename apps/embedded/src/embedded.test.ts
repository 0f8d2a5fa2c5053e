import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  embeddedServerOf,
  isRunning,
  killEmbeddedProcess,
  queryEmbedded,
  startEmbeddedProcess,
  stopEmbeddedProcess,
  type EmbeddedProcessOptions,
} from '../../../test-support/embedded.js';
import { ApiClient, eventually } from '../../../test-support/http.js';
import { reservationJourney } from '../../../test-support/journeys.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) await killEmbeddedProcess(child);
  for (const dir of dirs) {
    // A server a test left running (an orphan) is stopped before its folder goes.
    const server = await embeddedServerOf(dir).catch(() => undefined);
    if (server && isRunning(server.pid)) process.kill(server.pid, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
  }
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embedded-'));
  dirs.push(dir);
  return dir;
}

async function start(
  dataDir: string,
  env: Record<string, string> = {},
  options: EmbeddedProcessOptions = {},
) {
  const running = await startEmbeddedProcess(dataDir, env, options);
  children.push(running.child);
  return running;
}

/**
 * Signs up `count` users at once and kills the app as soon as the first few are answered, so
 * that some users are committed with their `user:created` not yet relayed or delivered.
 */
async function signUpThenKill(url: string, child: ChildProcess, count: number): Promise<void> {
  let answered = 0;
  const killed = new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) {
      void new ApiClient(url)
        .post('/api/users/signup', {
          email: `burst${i}-${Date.now()}@example.com`,
          password: 'password123',
          name: `Burst ${i}`,
        })
        .catch(() => undefined)
        .then(() => {
          answered += 1;
          if (answered === 3) resolve();
        });
    }
  });
  await killed;
  await killEmbeddedProcess(child);
}

/** Every user committed in auth has reached the tickets service, and no delivery is pending. */
async function expectEveryUserDelivered(dataDir: string): Promise<void> {
  const users = await queryEmbedded<{ id: string }>(dataDir, 'auth', 'SELECT id::text FROM users');
  expect(users.length).toBeGreaterThan(0);
  await eventually(
    async () =>
      (await queryEmbedded<{ id: string }>(dataDir, 'tickets', 'SELECT id FROM sellers')).length,
    (n) => n >= users.length,
    20_000,
  );
  const sellers = await queryEmbedded<{ id: string }>(dataDir, 'tickets', 'SELECT id FROM sellers');
  expect(sellers.map((s) => s.id).sort()).toEqual(users.map((u) => u.id).sort());
  const pending = await queryEmbedded<{ n: number }>(
    dataDir,
    'bus',
    `SELECT count(*)::int AS n FROM bus_messages m
     WHERE m.subject = 'user:created'
       AND NOT EXISTS (SELECT 1 FROM bus_deliveries d WHERE d.seq = m.seq AND d.consumer = 'tickets')`,
  );
  expect(pending[0]!.n).toBe(0);
}

describe('embedded mode (npm start)', () => {
  it('when the app is SIGKILLed and its PostgreSQL server left running, then a restart stops that orphan and keeps every user, session and pending event', async () => {
    const dataDir = await newDataDir();
    const first = await start(dataDir);
    const api = new ApiClient(first.url);
    expect(await api.get('/api/users/currentuser')).toMatchObject({
      status: 200,
      body: { currentUser: null },
    });
    expect((await api.get('/readyz')).status).toBe(200);
    const signup = await api.post('/api/users/signup', {
      email: 'kept@example.com',
      password: 'password123',
      name: 'Kept',
    });
    expect(signup.status).toBe(201);
    const orphan = await embeddedServerOf(dataDir);
    await signUpThenKill(first.url, first.child, 20);
    // Only the app died: its server still runs, with nobody left to stop it.
    expect(isRunning(orphan.pid)).toBe(true);

    const second = await start(dataDir);
    expect(second.output()).toMatch(/stopped a PostgreSQL server left running/);
    expect(isRunning(orphan.pid)).toBe(false);
    expect((await embeddedServerOf(dataDir)).pid).not.toBe(orphan.pid);
    // The session from before the crash is still valid: the key is kept in the data folder.
    const again = new ApiClient(second.url);
    again.cookie = api.cookie;
    expect((await again.get('/api/users/currentuser')).body.currentUser).toEqual(signup.body);
    const signin = await new ApiClient(second.url).post('/api/users/signin', {
      email: 'KEPT@example.com',
      password: 'password123',
    });
    expect(signin.status).toBe(200);
    await expectEveryUserDelivered(dataDir);

    // Every service runs behind the one port, talking over the embedded bus.
    await reservationJourney(second.url);

    // A clean stop exits 0 and stops the server too.
    const server = await embeddedServerOf(dataDir);
    expect(await stopEmbeddedProcess(second.child)).toBe(0);
    expect(isRunning(server.pid)).toBe(false);
    await expect(stat(join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow();
  }, 240_000);

  it('when the app and its PostgreSQL server are both SIGKILLed (a stale postmaster.pid), then a restart recovers every user and delivers what was pending', async () => {
    const dataDir = await newDataDir();
    const first = await start(dataDir);
    const server = await embeddedServerOf(dataDir);
    const signup = await new ApiClient(first.url).post('/api/users/signup', {
      email: 'before-the-crash@example.com',
      password: 'password123',
      name: 'Before',
    });
    expect(signup.status).toBe(201);
    // The whole tree dies, as on a power cut: the server's pid file stays behind.
    await signUpThenKill(first.url, first.child, 20);
    process.kill(server.pid, 'SIGKILL');
    await eventually(
      () => !isRunning(server.pid),
      (gone) => gone,
    );
    expect((await stat(join(dataDir, 'postgres', 'postmaster.pid'))).isFile()).toBe(true);

    const second = await start(dataDir);
    const signin = await new ApiClient(second.url).post('/api/users/signin', {
      email: 'before-the-crash@example.com',
      password: 'password123',
    });
    expect(signin.status).toBe(200);
    await expectEveryUserDelivered(dataDir);
    expect(await stopEmbeddedProcess(second.child, 'SIGINT')).toBe(0);
  }, 240_000);

  it('when two apps run on two data folders, then each has its own server and data, side by side', async () => {
    const [a, b] = await Promise.all([newDataDir(), newDataDir()]);
    const [appA, appB] = await Promise.all([start(a), start(b)]);
    const serverA = await embeddedServerOf(a);
    const serverB = await embeddedServerOf(b);
    expect(serverA.port).not.toBe(serverB.port);
    const user = { email: 'twin@example.com', password: 'password123', name: 'Twin' };
    expect((await new ApiClient(appA.url).post('/api/users/signup', user)).status).toBe(201);
    // The same email is free in the other app: nothing is shared.
    expect((await new ApiClient(appB.url).post('/api/users/signup', user)).status).toBe(201);
    expect((await new ApiClient(appA.url).post('/api/users/signin', user)).status).toBe(200);
    // A second app on a folder in use is refused instead of sharing the server.
    await expect(startEmbeddedProcess(a)).rejects.toThrow(/in use by another running app/);
    expect((await new ApiClient(appA.url).get('/readyz')).status).toBe(200);
    // Each has its operators' port, and the public one does not serve metrics.
    for (const app of [appA, appB]) {
      const metricsUrl = /Metrics for operators: (http:\S+)/.exec(app.output())?.[1];
      expect(metricsUrl, app.output()).toBeDefined();
      const metrics = await fetch(metricsUrl!);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('http_request_duration_seconds');
      const publicMetrics = await fetch(`${app.url}/metrics`);
      expect(await publicMetrics.text()).not.toContain('http_request_duration_seconds');
    }
    expect(await stopEmbeddedProcess(appA.child)).toBe(0);
    expect(await stopEmbeddedProcess(appB.child)).toBe(0);
  }, 240_000);

  it('when its port is taken, then it says so and exits 1, and leaves no PostgreSQL server running', async () => {
    const dataDir = await newDataDir();
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const started = startEmbeddedProcess(dataDir, { PORT: String(port) });
      await expect(started).rejects.toThrow(/exited with 1: [\s\S]*Port \d+ is in use/);
      const server = await embeddedServerOf(dataDir).catch(() => undefined);
      expect(server === undefined || !isRunning(server.pid)).toBe(true);
    } finally {
      taken.close();
    }
  }, 120_000);

  it('when `npm start` itself is sent SIGTERM (as `timeout` does), then the app stops too and leaves no server running', async () => {
    const dataDir = await newDataDir();
    const npm = spawn('npm', ['start'], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { ...process.env, PORT: '0', METRICS_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(npm);
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk));
    await eventually(
      () => output,
      (text) => text.includes('Ticketing is running on'),
      90_000,
    );
    const server = await embeddedServerOf(dataDir);
    const port = Number(/running on http:\/\/localhost:(\d+)/.exec(output)![1]);
    npm.kill('SIGTERM');
    await eventually(
      () => isRunning(server.pid),
      (running) => !running,
      30_000,
    );
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 150_000);

  it('when started with umask 000 on a folder holding first-release data, then every folder is 0700, every file 0600, and it says the old data is not carried over', async () => {
    const dataDir = await newDataDir();
    // What the first release left: one PGlite cluster per service.
    await mkdir(join(dataDir, 'auth'));
    await writeFile(join(dataDir, 'auth', 'PG_VERSION'), '17\n');
    const running = await start(dataDir, {}, { umask: 0o000 });
    expect(running.output()).toMatch(/first release \(PGlite\).*NOT carried over/s);
    expect(running.output()).toContain(join(dataDir, 'postgres'));
    expect(
      (
        await new ApiClient(running.url).post('/api/users/signup', {
          email: 'private@example.com',
          password: 'password123',
          name: 'Private',
        })
      ).status,
    ).toBe(201);

    const loose: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (path.startsWith(join(dataDir, 'auth'))) continue; // the old data, not ours
        const mode = (await stat(path)).mode & 0o777;
        if (entry.isDirectory()) {
          if (mode !== 0o700) loose.push(`${path} ${mode.toString(8)}`);
          await walk(path);
        } else if (entry.isFile() && mode !== 0o600) {
          loose.push(`${path} ${mode.toString(8)}`);
        }
      }
    };
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    await walk(dataDir);
    expect(loose).toEqual([]);
    expect(await stopEmbeddedProcess(running.child)).toBe(0);
  }, 240_000);

  it('when a setting is malformed, then it stops with a message naming the variable', async () => {
    const dataDir = await newDataDir();
    await expect(startEmbeddedProcess(dataDir, { PORT: 'not-a-port' })).rejects.toThrow(/PORT/);
    await expect(startEmbeddedProcess(dataDir, { JWT_KEY: 'short' })).rejects.toThrow(
      /JWT_KEY.*at least 32/,
    );
    await expect(
      startEmbeddedProcess(dataDir, { RESERVATION_WINDOW_SECONDS: '-5' }),
    ).rejects.toThrow(/RESERVATION_WINDOW_SECONDS/);
    // Three starts of the app: on a busy 2-core machine each can take ten seconds.
  }, 120_000);
});
