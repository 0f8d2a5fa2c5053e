import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The built entry point, exactly what `npm start` runs (`npm test` builds first).
const main = fileURLToPath(new URL('../packages/embedded/dist/main.js', import.meta.url));

export interface RunningEmbedded {
  child: ChildProcess;
  url: string;
}

/**
 * Starts `npm start`'s process on a free port with its data in `dataDir`, and resolves once it
 * says where it listens; rejects with its output if it exits first (a bad setting, say).
 */
export function startEmbeddedProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<RunningEmbedded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`embedded exited with ${code}: ${output}`)));
  });
}
