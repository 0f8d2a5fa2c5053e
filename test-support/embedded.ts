import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built entry point, exactly as `npm start` runs it: a path relative to the repository, from
// the repository (`npm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const main = 'apps/embedded/dist/main.js';

export interface RunningEmbedded {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

export interface EmbeddedProcessOptions {
  /** The file-creation mask to start it with (`npm start` from a shell with `umask 000`). */
  umask?: number;
}

/**
 * Starts `npm start`'s process on a free port with its data in `dataDir`, and resolves once it
 * says where it listens; rejects with its output if it exits first (a bad setting, say).
 */
export function startEmbeddedProcess(
  dataDir: string,
  env: Record<string, string> = {},
  options: EmbeddedProcessOptions = {},
): Promise<RunningEmbedded> {
  return new Promise((resolve, reject) => {
    const [command, args] =
      options.umask === undefined
        ? [process.execPath, [main]]
        : [
            '/bin/sh',
            [
              '-c',
              `umask ${options.umask.toString(8).padStart(3, '0')} && exec "$0" "$1"`,
              process.execPath,
              main,
            ],
          ];
    const child = spawn(command, args, {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        // Tests sign many users up from this one address.
        SIGNUP_MAX_PER_IP: '100000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, output: () => output });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`embedded exited with ${code}: ${output}`)));
  });
}

/** Stops it as Ctrl-C or a service manager would; resolves with its exit code. */
export function stopEmbeddedProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Kills it at once (the power-cut case): nothing of it runs any code after this. */
export function killEmbeddedProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The pid and port of the PostgreSQL server running on `dataDir`, from its `postmaster.pid`. */
export async function embeddedServerOf(dataDir: string): Promise<{ pid: number; port: number }> {
  const lines = (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/**
 * A connection URL to `database` on the PostgreSQL server of the app running on `dataDir`,
 * as the app itself connects (its generated password, its port of the day).
 */
export async function embeddedDatabaseUrl(dataDir: string, database: string): Promise<string> {
  const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
  const { port } = await embeddedServerOf(dataDir);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Runs one query on a database of the app running on `dataDir`. */
export async function queryEmbedded<R>(
  dataDir: string,
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: await embeddedDatabaseUrl(dataDir, database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Whether process `pid` exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface TestEmbeddedServer {
  /** A URL for `database` on it; `openPostgres` creates the database when missing. */
  urlFor(database: string): string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * The embedded mode's engine for one test file: a PostgreSQL server of its own in a temporary
 * folder, started exactly as `npm start` starts it. Costs an `initdb` (a second or more): share
 * one per file.
 */
export async function startTestEmbeddedServer(): Promise<TestEmbeddedServer> {
  const { startEmbeddedPostgres } = await import('@ticketing/common/embedded-postgres');
  const dataDir = await mkdtemp(join(tmpdir(), 'embedded-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, databases: [] });
  return {
    urlFor: server.urlFor,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
