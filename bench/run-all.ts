/**
 * `npm run bench [-- <part>… <mode>…]`: the app in its own processes, load from autocannon in
 * another, every figure beside its floor, runs interleaved (A, floor, A, floor, A, floor;
 * medians). Parts: startup, reads, ssr, reservations, hot, revocation, lag; modes: embedded, dist1, dist2
 * (default: all that apply). Writes bench/results/<date>.json and prints a table.
 * Needs the build (`npm run build`; done here when missing), PostgreSQL, NATS and Redis.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startFloor, type Floor } from './lib/floor.js';
import { load, progress } from './lib/measure.js';
import { modeName, startSut, type Mode } from './lib/sut.js';
import type { Figure } from './parts/figures.js';
import { hot } from './parts/hot.js';
import { LAG_WINDOW_SECONDS, lag } from './parts/lag.js';
import { reads, ssr } from './parts/reads.js';
import { reservations } from './parts/reservations.js';
import { restart, startup } from './parts/startup.js';
import { revocation } from './parts/revocation.js';
import { table } from './lib/table.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const PARTS = ['startup', 'reads', 'ssr', 'reservations', 'hot', 'revocation', 'lag'] as const;
type Part = (typeof PARTS)[number];
const MODES: Record<string, Mode> = {
  embedded: { kind: 'embedded' },
  dist1: { kind: 'distributed', replicas: 1 },
  dist2: { kind: 'distributed', replicas: 2 },
};
/** Which parts run in which mode: 2 replicas only for what the issue compares there. */
const PLAN: Record<string, Part[]> = {
  embedded: [...PARTS],
  dist1: [...PARTS],
  dist2: ['startup', 'reservations', 'hot'],
};

const args = process.argv.slice(2);
const unknown = args.filter((a) => !(PARTS as readonly string[]).includes(a) && !(a in MODES));
if (unknown.length) {
  console.error(
    `unknown part or mode: ${unknown.join(', ')}; parts: ${PARTS.join(', ')}; modes: ${Object.keys(MODES).join(', ')}`,
  );
  process.exit(2);
}
const wantParts = args.filter((a) => (PARTS as readonly string[]).includes(a)) as Part[];
const wantModes = args.filter((a) => a in MODES);
const parts = (mode: string) =>
  PLAN[mode]!.filter((p) => !wantParts.length || wantParts.includes(p));

if (
  !existsSync(`${root}apps/embedded/dist/main.js`) ||
  !existsSync(`${root}client/.next/BUILD_ID`)
) {
  progress('building (npm run build) …');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

const started = new Date();
const figures: Figure[] = [];
const stamp = started.toISOString().replace(/[:.]/g, '-');
await mkdir(`${root}bench/results`, { recursive: true });
const file = `${root}bench/results/${stamp}.json`;
/** Written after every part, so a run stopped halfway keeps what it measured. */
const save = () =>
  writeFile(
    file,
    `${JSON.stringify({ started: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, cores: cpus().length, loads, figures }, null, 2)}\n`,
  );
const loads: Array<{ at: string; loadavg: number[] }> = [];
const note = (where: string) => {
  loads.push({ at: where, loadavg: loadavg() });
  progress(`load average ${load()} (${cpus().length} cores) — ${where}`);
};

for (const key of wantModes.length ? wantModes : Object.keys(MODES)) {
  const mode = MODES[key]!;
  const todo = parts(key);
  const main = todo.filter((p) => p !== 'lag');
  if (main.length) {
    note(`${modeName(mode)}: before start`);
    const sut = await startSut(mode);
    let floor: Floor | undefined = await startFloor(sut);
    try {
      for (const part of main) {
        note(`${sut.mode}: ${part}`);
        if (part === 'startup') figures.push(...(await startup(sut)));
        if (part === 'reads') figures.push(...(await reads(sut, floor)));
        if (part === 'ssr') figures.push(...(await ssr(sut)));
        if (part === 'reservations') figures.push(...(await reservations(sut, floor)));
        if (part === 'hot') figures.push(...(await hot(sut, floor)));
        if (part === 'revocation') figures.push(...(await revocation(sut)));
        await save();
      }
      await floor.stop();
      floor = undefined;
      if (todo.includes('startup')) figures.push(...(await restart(sut)));
    } finally {
      await floor?.stop();
      await sut.stop();
      await sut.cleanup();
    }
  }
  if (todo.includes('lag')) {
    note(`${modeName(mode)}: lag`);
    const sut = await startSut(mode, { RESERVATION_WINDOW_SECONDS: String(LAG_WINDOW_SECONDS) });
    try {
      figures.push(...(await lag(sut)));
      await save();
    } finally {
      await sut.stop();
      await sut.cleanup();
    }
  }
}
note('end');

await save();
console.log(table(figures));
console.log(
  `\nload average at each step: ${loads.map((l) => l.loadavg[0]!.toFixed(1)).join(', ')}`,
);
console.log(`results: ${file}`);
process.exit(0);
