import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway } from './gateway.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One service of the topology: its entry point, its public path, what else it needs. */
export interface ServiceSpec {
  name: string;
  /** The path the gateway routes to it, or none (expiration serves no API). */
  route?: string;
  /** More public paths it serves (tickets also answers /api/sales). */
  alsoRoutes?: string[];
  needsRedis?: boolean;
  /** The web client: client/serve.mjs, ready when `/` answers, calling the API at the gateway. */
  client?: boolean;
}

export const SERVICES: ServiceSpec[] = [
  { name: 'auth', route: '/api/users' },
  { name: 'tickets', route: '/api/tickets', alsoRoutes: ['/api/sales'] },
  { name: 'orders', route: '/api/orders' },
  { name: 'payments', route: '/api/payments' },
  { name: 'expiration', needsRedis: true },
  { name: 'notifications', route: '/api/notifications', needsRedis: true },
  // The storefront also serves the repository's copy of the OpenAPI document.
  { name: 'client', route: '/', alsoRoutes: ['/api/openapi.json'], client: true },
];

export interface TopologyOptions {
  postgresUrl: string;
  natsUrl: string;
  redisUrl: string;
  jwtKey: string;
  /** Databases are `<dbPrefix>_<service>`; the NATS stream and queues use it too. */
  dbPrefix: string;
  replicas: number;
  gatewayPort: number;
  /** How long each process may take to become ready at start; default 60 s. */
  readyTimeoutMs?: number;
  /** Told when a process dies unexpectedly and when it is back (default: stderr). */
  report?: (message: string) => void;
  /** Extra environment for every service (e.g. RESERVATION_WINDOW_SECONDS). */
  env?: Record<string, string>;
  /** Folder for each process's log; none means inherit the terminal. */
  logDir?: string;
  services?: ServiceSpec[];
}

/**
 * Replicas keep their port across restarts, so it must stay free while one is down: it is picked
 * below Linux's ephemeral range (32768–60999, `net.ipv4.ip_local_port_range`), where the kernel
 * never hands ports to outgoing connections. A port from `listen(0)` was in that range, and a
 * client connection took one between a replica's crash and its restart (EADDRINUSE, seen in CI).
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (!bound) continue;
    server.close();
    await once(server, 'close');
    return port;
  }
}

/** Waits before restart N+1 of a replica that keeps dying (the last value repeats). */
const RESTART_BACKOFF_MS = [250, 1_000, 2_000, 5_000, 10_000];
/** A run at least this long counts as healthy: the next death restarts at the first delay again. */
const HEALTHY_RUN_MS = 30_000;

/**
 * One process of one service, on a fixed port so that a restart comes back where it was, and
 * supervised as Kubernetes would: a process that exits without being asked to (a crash, a kill)
 * is started again after a backoff, and rejoins the gateway's rotation once it is ready.
 */
export class Replica {
  child: ChildProcess | undefined;
  /** Ready since its last start (readiness answered), until it exits. */
  ready = false;
  /** Restarts after unexpected exits, since the topology started. */
  restarts = 0;
  private log: WriteStream | undefined;
  /** Set by stop(): an exit we asked for is not restarted. */
  private stopping = false;
  private startedAt = 0;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly spec: ServiceSpec,
    readonly index: number,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile?: string,
    /** Told of each unexpected exit and restart. */
    private readonly report: (message: string) => void = () => undefined,
  ) {}

  /** The end of the running process's output, when it goes to a log file (else it is seen). */
  private tail = '';

  get label(): string {
    return `${this.spec.name}#${this.index}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The running process's id. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Starts the process and resolves once it is ready (/readyz, or the client's home page). */
  async start(timeoutMs = 60_000): Promise<void> {
    this.stopping = false;
    clearTimeout(this.restartTimer);
    await this.spawnAndWait(timeoutMs);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.ready = false;
    if (this.stopping) return;
    this.failures = Date.now() - this.startedAt >= HEALTHY_RUN_MS ? 1 : this.failures + 1;
    const delay = RESTART_BACKOFF_MS[Math.min(this.failures, RESTART_BACKOFF_MS.length) - 1]!;
    // A process that failed by itself (not killed) says why in its last lines: shown with it.
    const why =
      signal === null && this.tail ? `; its last output:\n${lastLines(this.tail, 15)}` : '';
    this.report(
      `${this.label} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms${why}`,
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restarts++;
      // A start that fails because the process died again is handled by that exit.
      // Waits for readiness as long as it takes: a dependency may be down for a while.
      this.spawnAndWait(Infinity).then(
        () => this.report(`${this.label} restarted and ready`),
        (error: Error) => this.report(`${this.label} restart: ${error.message}`),
      );
    }, delay);
    this.restartTimer.unref();
  }

  private async spawnAndWait(timeoutMs = 60_000): Promise<void> {
    const args = this.spec.client
      ? [join(root, 'client', 'serve.mjs')]
      : [join(root, 'apps', 'service', 'dist', `${this.spec.name}-main.js`)];
    const readyPath = this.spec.client ? '/' : '/readyz';
    this.log ??= this.logFile ? createWriteStream(this.logFile, { flags: 'a' }) : undefined;
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', this.log ? 'pipe' : 'inherit', this.log ? 'pipe' : 'inherit'],
    });
    this.child = child;
    this.ready = false;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    if (this.log) {
      child.stdout?.pipe(this.log, { end: false });
      child.stderr?.pipe(this.log, { end: false });
      this.tail = '';
      const keep = (chunk: Buffer) => (this.tail = (this.tail + chunk.toString()).slice(-8_000));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child !== this.child || !this.running)
        throw new Error(`${this.label} exited while starting (see its log)`);
      const ready = await fetch(`http://127.0.0.1:${this.port}${readyPath}`).catch(() => undefined);
      if (ready?.status === 200) {
        this.ready = child === this.child;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.label} was not ready within ${timeoutMs / 1000} s`);
  }

  /** Sends `signal` and resolves when the process has exited, with its exit code; no restart. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  }

  closeLog(): void {
    this.log?.end();
  }
}

export interface Topology {
  url: string;
  replicas: Replica[];
  /** The replicas of one service. */
  of(name: string): Replica[];
  stop(): Promise<void>;
}

/**
 * The distributed mode on one machine: each service as its own process (× replicas) with its own
 * PostgreSQL database, all on one NATS JetStream stream, behind a gateway that routes as the
 * Kubernetes ingress does. Services must be built (`npm run build`).
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  if (options.logDir) await mkdir(options.logDir, { recursive: true });
  const specs = options.services ?? SERVICES;
  const replicas: Replica[] = [];
  // The gateway listens first: the client's server-side rendering calls the API through it.
  const gateway: Server = createGateway(
    specs
      .flatMap((spec) =>
        (spec.route ? [spec.route, ...(spec.alsoRoutes ?? [])] : []).map((prefix) => ({
          spec,
          prefix,
        })),
      )
      .map(({ spec, prefix }) => ({
        prefix,
        // Ready replicas; while none is (all restarting), any live one, which may answer first.
        ports: () => {
          const live = replicas.filter((r) => r.spec === spec && r.running);
          const ready = live.filter((r) => r.ready);
          return (ready.length ? ready : live).map((r) => r.port);
        },
      })),
  );
  gateway.listen(options.gatewayPort, '0.0.0.0');
  await once(gateway, 'listening');
  const { port } = gateway.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;

  for (const spec of specs) {
    for (let i = 0; i < options.replicas; i++) {
      const env: Record<string, string> = spec.client
        ? { API_ORIGIN: url, ...options.env }
        : {
            DATABASE_URL: `${options.postgresUrl.replace(/\/$/, '')}/${options.dbPrefix}_${spec.name}`,
            NATS_URL: options.natsUrl,
            NATS_PREFIX: options.dbPrefix,
            // Replicas share this machine: each takes any free port for its metrics.
            METRICS_PORT: '0',
            // Without SMTP_URL, mail is written as files: beside the logs, or in the ignored data/.
            MAIL_DIR: options.logDir ? join(options.logDir, 'mail') : join(root, 'data', 'mail'),
            JWT_KEY: options.jwtKey,
            // Each deployment gets its own queue, so topologies sharing one Redis never mix jobs.
            ...(spec.needsRedis
              ? {
                  REDIS_URL: options.redisUrl,
                  EXPIRATION_QUEUE: `${options.dbPrefix}_expiration`,
                  REMINDER_QUEUE: `${options.dbPrefix}_reminders`,
                }
              : {}),
            ...options.env,
          };
      const log = options.logDir ? join(options.logDir, `${spec.name}-${i}.log`) : undefined;
      const report = options.report ?? ((message: string) => console.error(message));
      replicas.push(new Replica(spec, i, await freePort(), env, log, report));
    }
  }
  // Replicas of one service share one database: start the first alone so that it alone migrates.
  const timeout = options.readyTimeoutMs;
  for (const replica of replicas.filter((r) => r.index === 0)) await replica.start(timeout);
  await Promise.all(replicas.filter((r) => r.index > 0).map((r) => r.start(timeout)));

  return {
    url,
    replicas,
    of: (name) => replicas.filter((r) => r.spec.name === name),
    async stop() {
      gateway.close();
      gateway.closeAllConnections();
      await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
      for (const r of replicas) r.closeLog();
    },
  };
}

/** The last `n` lines of `text`, indented for a report. */
const lastLines = (text: string, n: number): string =>
  text
    .trimEnd()
    .split('\n')
    .slice(-n)
    .map((line) => `    ${line}`)
    .join('\n');
