import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface CannonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One load run: `amount` requests in all, or for `seconds`, over `connections` connections. */
export interface CannonJob {
  url: string;
  connections: number;
  amount?: number;
  seconds?: number;
  timeoutSeconds?: number;
  /** Sent in this order, round robin (each one a different buyer or ticket, for instance). */
  requests: CannonRequest[];
}

/** Latencies in milliseconds; `statuses` counts answers by HTTP status, plus errors/timeouts. */
export interface CannonResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

const worker = fileURLToPath(new URL('./cannon-worker.mjs', import.meta.url));

/** Runs autocannon in a process of its own and returns its figures. */
export async function cannon(job: CannonJob): Promise<CannonResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cannon-'));
  try {
    const file = join(dir, 'job.json');
    await writeFile(file, JSON.stringify(job));
    const { stdout } = await promisify(execFile)(process.execPath, [worker, file], {
      maxBuffer: 1 << 24,
      timeout: 600_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as CannonResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The number of answers with this status. */
export const count = (r: CannonResult, status: number | string) => r.statuses[String(status)] ?? 0;
