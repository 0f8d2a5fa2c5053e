import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * PostgreSQL, NATS and Redis servers of a test's own, on free ports in a temporary folder, for
 * tests that kill, pause or restart a server: the shared servers on the default ports are never
 * touched. Each can be killed (-9), paused (SIGSTOP/SIGCONT) and started again on the same port
 * and data folder, and `remove()` ends it and deletes its folder whatever state it is in.
 */

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether this machine has the binaries (Debian's packages); CI must have them. */
export function ownServersAvailable(): boolean {
  try {
    execFileSync(join(PG_BIN, 'pg_ctl'), ['--version'], { stdio: 'ignore' });
    execFileSync('nats-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('PostgreSQL 15, nats-server and redis-server are needed');
    console.warn('[skip] PostgreSQL 15, nats-server or redis-server binaries are missing');
    return false;
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Resolves once something accepts TCP connections on `port`, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PostgreSQL refuses to run as root: when we are root, its processes run as `postgres`. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export interface OwnServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** The server's process id while it runs. */
  pid(): number | undefined;
  start(): Promise<void>;
  /** SIGKILL (or the given signal) and wait until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  pause(): void;
  resume(): void;
  /** Ends the server, however it is, and deletes its data folder. */
  remove(): Promise<void>;
}

/** A server run as one child process of ours (NATS, Redis). */
class ChildServer implements OwnServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly url: string,
    private readonly dir: string,
    private readonly command: string,
    private readonly args: string[],
  ) {}

  pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  async start(): Promise<void> {
    const child = spawn(this.command, this.args, { stdio: 'ignore', cwd: this.dir });
    this.child = child;
    await Promise.race([
      waitForPort(this.port),
      once(child, 'exit').then(() => {
        throw new Error(`${this.name} exited while starting`);
      }),
    ]);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async remove(): Promise<void> {
    await this.kill('SIGKILL').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Redis without persistence, as the deployment ran it: a restart comes back empty. */
export async function startOwnRedis(): Promise<OwnServer> {
  const dir = await mkdtemp(join(tmpdir(), 'own-redis-'));
  const port = await freePort();
  const server = new ChildServer('redis', port, `redis://127.0.0.1:${port}`, dir, 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  await server.start();
  return server;
}

/** NATS with JetStream on file storage in its folder, which survives a kill -9 and restart. */
export async function startOwnNats(): Promise<OwnServer> {
  const dir = await mkdtemp(join(tmpdir(), 'own-nats-'));
  const port = await freePort();
  const server = new ChildServer('nats', port, `nats://127.0.0.1:${port}`, dir, 'nats-server', [
    '-js',
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-sd',
    dir,
  ]);
  await server.start();
  return server;
}

/** PostgreSQL 15 in a fresh cluster (initdb), trust auth, driven with pg_ctl. */
class PostgresServer implements OwnServer {
  readonly name = 'postgres';
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  private run(tool: string, args: string[]): Promise<void> {
    const child = spawn(join(PG_BIN, tool), args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...postgresUser(),
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${tool} exited ${code}: ${stderr}`)),
      );
    });
  }

  async init(): Promise<void> {
    const user = postgresUser();
    if (user) {
      await chown(this.dir, user.uid, user.gid);
      await chmod(this.dir, 0o700);
    }
    await this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  }

  pid(): number | undefined {
    try {
      const line = execFileSync('head', ['-1', join(this.data, 'postmaster.pid')]).toString();
      const pid = Number(line.trim());
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  async start(): Promise<void> {
    // fsync off: only the processes die in these tests, never the machine, and it is faster.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
    await this.run('pg_ctl', [
      'start',
      '-w',
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-o',
      options,
    ]);
  }

  /** `pg_ctl stop -m immediate`: every backend ends at once, as in a crash. */
  async kill(): Promise<void> {
    if (!this.pid()) return;
    this.resume();
    await this.run('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.data]);
  }

  pause(): void {
    const pid = this.pid();
    if (pid) process.kill(pid, 'SIGSTOP');
  }

  resume(): void {
    const pid = this.pid();
    if (pid) process.kill(pid, 'SIGCONT');
  }

  async remove(): Promise<void> {
    await this.kill().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function startOwnPostgres(): Promise<OwnServer> {
  const dir = await mkdtemp(join(tmpdir(), 'own-pg-'));
  const server = new PostgresServer(await freePort(), dir);
  try {
    await server.init();
    await server.start();
  } catch (error) {
    await server.remove();
    throw error;
  }
  return server;
}
