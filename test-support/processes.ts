import { spawn } from 'node:child_process';

/** Runs a fixture in a real child process, resolving with the signal that ended it: crash tests. */
export function runUntilKilled(fixture: string, args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal ? resolve(signal) : reject(new Error(`fixture exited ${code}: ${stderr}`)),
    );
  });
}
