import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import type { CannonResult } from './cannon.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Progress goes to stderr, so stdout keeps only the figures. */
export const progress = (message: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The median run by throughput, with every run's statuses added up. */
export function medianRun(runs: CannonResult[]): CannonResult & { runs: number[] } {
  const m = median(runs.map((r) => r.perSecond));
  const statuses: Record<string, number> = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    requests: runs.reduce((a, r) => a + r.requests, 0),
    seconds: median(runs.map((r) => r.seconds)),
    perSecond: m,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    statuses,
    runs: runs.map((r) => Math.round(r.perSecond)),
  };
}

/**
 * Runs `a` and `floor` alternately, `times` each (A, floor, A, floor, …), and returns the median
 * of each side. `before` runs ahead of every run (e.g. to prepare its data), untimed.
 */
export async function interleaved<T>(
  label: string,
  times: number,
  a: (run: number) => Promise<T>,
  floor: (run: number) => Promise<T>,
): Promise<{ a: T[]; floor: T[] }> {
  const out = { a: [] as T[], floor: [] as T[] };
  for (let i = 0; i < times; i++) {
    progress(`${label}: run ${i + 1}/${times} (load ${load()}) …`);
    out.a.push(await a(i));
    out.floor.push(await floor(i));
  }
  return out;
}

/** The pid and every descendant of it, from /proc. */
export async function processTree(pid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing paren.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!ppid) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

export interface Memory {
  /** Sums over the processes, in MB: RSS counts shared pages once per process, PSS shares them. */
  rssMb: number;
  pssMb: number;
  processes: Array<{ pid: number; name: string; rssMb: number; pssMb: number }>;
}

const kb = (text: string, field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

export async function memory(pids: number[]): Promise<Memory> {
  const processes: Memory['processes'] = [];
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!status) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .filter(Boolean);
    const script = cmd.find((a) => /\.(m?js|ts)$/.test(a)) ?? cmd[0] ?? '?';
    processes.push({
      pid,
      name: `${/^Name:\s+(.*)$/m.exec(status)?.[1]} ${script.split('/').slice(-3).join('/')}`,
      rssMb: kb(status, 'VmRSS') / 1024,
      pssMb: kb(rollup, 'Pss') / 1024,
    });
  }
  return {
    rssMb: processes.reduce((a, p) => a + p.rssMb, 0),
    pssMb: processes.reduce((a, p) => a + p.pssMb, 0),
    processes,
  };
}

/** Samples the tree's memory every `everyMs` until stopped; returns the peak PSS sample. */
export function peakSampler(pids: () => Promise<number[]>, everyMs = 250) {
  let peak: Memory | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      const m = await memory(await pids());
      if (!peak || m.pssMb > peak.pssMb) peak = m;
      await sleep(everyMs);
    }
  })();
  return {
    async stop(): Promise<Memory | undefined> {
      running = false;
      await loop;
      return peak;
    },
  };
}
