// `npm start`'s build step: the TypeScript project references (`tsc -b`, incremental on its own)
// always, and the storefront's `next build` only when something it is built from is newer than
// its last build — a restart then takes seconds instead of the 20 s or more a full Next.js build
// costs on two cores. `npm run build` still rebuilds everything.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const client = join(root, 'client');
const built = join(client, '.next', 'BUILD_ID');
/** What the storefront is built from: its own sources and config, and what it installs. */
const inputs = [
  'app',
  'components',
  'lib',
  'public',
  'next.config.mjs',
  'postcss.config.mjs',
  'proxy.ts',
  'tsconfig.json',
  'package.json',
].map((p) => join(client, p));
inputs.push(join(root, 'package-lock.json'));

/** The newest modification time under `path` (a file or a folder), in ms; 0 if absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

// npm is `npm.cmd` on Windows, which Node runs only through a shell.
const run = (args) =>
  execFileSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

// tsc through Node itself: no shell, the same on every platform.
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
  cwd: root,
  stdio: 'inherit',
});
const lastBuild = existsSync(built) ? statSync(built).mtimeMs : 0;
const changed = Math.max(...inputs.map(newest));
if (changed > lastBuild) {
  console.log(
    lastBuild
      ? 'The storefront changed since its last build: building it (next build) …'
      : 'Building the storefront (next build; a minute or two the first time) …',
  );
  run(['run', 'build', '-w', '@ticketing/client']);
} else {
  console.log('The storefront is up to date (no next build needed).');
}
