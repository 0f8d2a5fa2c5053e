/**
 * The system under test, always in processes of its own: `npm start`'s entry point (embedded)
 * or `npm run start:distributed`'s (every service × replicas behind the gateway), built output
 * only. Gives its URL, each service's database URL, and the pids of its whole process tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NATS_URL,
  POSTGRES_URL,
  deleteNatsStreams,
  dropDatabase,
} from '../../test-support/servers.js';
import { freePort, processTree, progress, sleep } from './measure.js';

export const JWT_KEY = 'bench-key-that-is-long-enough-for-hs256-0123456789';
export const SERVICES = [
  'auth',
  'tickets',
  'orders',
  'payments',
  'expiration',
  'notifications',
] as const;
export type ServiceName = (typeof SERVICES)[number];

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Sut {
  mode: string;
  url: string;
  /** The URL of each service's database, and `server` for the server's maintenance database. */
  db: Record<ServiceName | 'server', string>;
  /** Milliseconds from spawning to the first 200 of `/readyz`. */
  startMs: number;
  pid: number;
  pids(): Promise<number[]>;
  stop(): Promise<void>;
  /** Stops the processes and, for the embedded mode, starts it again on the same folder. */
  restart?(): Promise<number>;
  cleanup(): Promise<void>;
}

export type Mode = { kind: 'embedded' } | { kind: 'distributed'; replicas: number };
export const modeName = (m: Mode) =>
  m.kind === 'embedded' ? 'embedded' : `distributed×${m.replicas}`;

async function spawnReady(
  args: string[],
  env: Record<string, string>,
  port: number,
  log: string,
): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited; see ${log}`);
    // Ready: the API answers (through the gateway in the distributed mode) and so does the
    // storefront (its first render prepares Next.js).
    const api = await fetch(`http://127.0.0.1:${port}/api/tickets`).catch(() => undefined);
    if (api?.status === 200) {
      const home = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (home?.status === 200) return { child, ms: performance.now() - started };
    }
    await sleep(50);
  }
  for (const pid of (await processTree(child.pid!)).reverse()) process.kill(pid, 'SIGKILL');
  throw new Error(`not ready within 180 s; see ${log}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Starts the mode with `env` (e.g. RESERVATION_WINDOW_SECONDS) and waits until it serves. */
export async function startSut(mode: Mode, env: Record<string, string> = {}): Promise<Sut> {
  const port = await freePort();
  const logDir = await mkdtemp(join(tmpdir(), 'bench-sut-'));
  const log = join(logDir, 'sut.log');
  const name = modeName(mode);
  progress(`${name}: starting (log ${log}) …`);
  // The bench signs many users up from this one address (the revocation part).
  env = { SIGNUP_MAX_PER_IP: '100000', ...env };
  if (mode.kind === 'embedded') {
    // Its own folder under /tmp: when run as root, the server's account must reach it.
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-data-'));
    const args = [join(root, 'apps/embedded/dist/main.js')];
    const fullEnv = { ...env, DATA_DIR: dataDir, JWT_KEY };
    let { child, ms } = await spawnReady(args, fullEnv, port, log);
    const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
    /** The server's port changes with each start: the last one the app announced. */
    const databases = async () => {
      const announced = [
        ...(await readFile(log, 'utf8')).matchAll(/listening on 127\.0\.0\.1:(\d+)/g),
      ];
      const pgPort = announced.at(-1)?.[1];
      if (!pgPort) throw new Error(`no PostgreSQL port in ${log}`);
      const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}`;
      return {
        ...(Object.fromEntries(SERVICES.map((s) => [s, `${base}/${s}`])) as Record<
          ServiceName,
          string
        >),
        server: `${base}/postgres`,
      };
    };
    const sut: Sut = {
      mode: name,
      url: `http://127.0.0.1:${port}`,
      db: await databases(),
      startMs: ms,
      pid: child.pid!,
      pids: () => processTree(child.pid!),
      stop: () => stopChild(child),
      async restart() {
        await stopChild(child);
        ({ child, ms } = await spawnReady(args, fullEnv, port, log));
        sut.pid = child.pid!;
        sut.db = await databases();
        return ms;
      },
      async cleanup() {
        // The log stays, for a run that went wrong: it is small.
        await rm(dataDir, { recursive: true, force: true });
      },
    };
    return sut;
  }
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const { child, ms } = await spawnReady(
    [join(root, 'apps/distributed/dist/main.js')],
    {
      ...env,
      DB_PREFIX: prefix,
      REPLICAS: String(mode.replicas),
      JWT_KEY,
      POSTGRES_URL,
      NATS_URL,
    },
    port,
    log,
  );
  const base = POSTGRES_URL.replace(/\/$/, '');
  return {
    mode: name,
    url: `http://127.0.0.1:${port}`,
    db: {
      ...(Object.fromEntries(SERVICES.map((s) => [s, `${base}/${prefix}_${s}`])) as Record<
        ServiceName,
        string
      >),
      server: `${base}/postgres`,
    },
    startMs: ms,
    pid: child.pid!,
    pids: () => processTree(child.pid!),
    stop: () => stopChild(child),
    async cleanup() {
      for (const s of SERVICES) await dropDatabase(`${base}/${prefix}_${s}`).catch(() => undefined);
      await deleteNatsStreams(prefix).catch(() => undefined);
      // The log stays, for a run that went wrong: it is small.
    },
  };
}
