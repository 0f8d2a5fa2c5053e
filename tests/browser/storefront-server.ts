import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'apps/embedded/dist/main.js');
const CLIENT_BUILD = join(ROOT, 'client/.next/BUILD_ID');

export interface Storefront {
  /** The origin the browser opens, e.g. http://localhost:41234. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The app the browser tests drive: STOREFRONT_URL when set (a server already running), else
 * `npm start`'s embedded mode started here from its build, on a free port with fresh data.
 * `env` adds settings for that process (e.g. a short RESERVATION_WINDOW_SECONDS).
 */
export async function startStorefront(env: Record<string, string> = {}): Promise<Storefront> {
  const given = process.env.STOREFRONT_URL;
  if (given) {
    const url = given.replace(/\/+$/, '');
    await assertServesPages(url);
    return { url, stop: async () => undefined };
  }

  for (const [file, build] of [
    [MAIN, 'npx tsc -b'],
    [CLIENT_BUILD, 'npm run build -w @ticketing/client'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${build}\` first`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'storefront-test-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SIGNUP_MAX_PER_IP: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // An app that dies while the browser tests use it says why in the test output, not silently.
  let stopping = false;
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`the storefront app exited (${code ?? signal}); its last output:\n${tail}`);
  });
  const stop = async () => {
    stopping = true;
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await readyUrl(child);
    await assertServesPages(url);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the origin once the process prints `running on http://localhost:PORT`. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`the app did not start within 240 s:\n${out}${err}`)),
      240_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running on http:\/\/localhost:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(`http://localhost:${match[1]}`);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with code ${code} before it was ready:\n${out}${err}`));
    });
  });
}

/** The storefront answers `/` with a page; an API-only host answers with a JSON 404. */
async function assertServesPages(url: string): Promise<void> {
  const response = await fetch(`${url}/`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/html')) {
    throw new Error(
      `${url}/ answered ${response.status} ${type}, not a page: this host does not serve the ` +
        'storefront (was the client built? `npm run build`).',
    );
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
