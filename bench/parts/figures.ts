import type { CannonResult } from '../lib/cannon.js';

/** One line of the table: a figure, and beside it its floor when it has one. */
export interface Figure {
  mode: string;
  what: string;
  value: number;
  unit: string;
  floor?: number;
  /** value ÷ floor (or floor ÷ value for latencies, so that higher is better). */
  ratio?: number;
  /** The goal for this figure, in words, and whether this run met it. */
  goal?: string;
  met?: boolean;
  detail?: unknown;
}

export const throughput = (
  mode: string,
  what: string,
  a: CannonResult,
  floor: CannonResult,
  goalRatio?: number,
): Figure => {
  const ratio = a.perSecond / floor.perSecond;
  return {
    mode,
    what: `${what} req/s`,
    value: a.perSecond,
    unit: 'req/s',
    floor: floor.perSecond,
    ratio,
    ...(goalRatio !== undefined ? { goal: `≥ ${goalRatio}× floor`, met: ratio >= goalRatio } : {}),
    detail: { app: a, floor },
  };
};

export const latency = (
  mode: string,
  what: string,
  a: CannonResult,
  floor?: CannonResult,
  goalMs?: number,
): Figure => ({
  mode,
  what: `${what} p99`,
  value: a.p99,
  unit: 'ms',
  ...(floor ? { floor: floor.p99, ratio: floor.p99 / a.p99 } : {}),
  ...(goalMs !== undefined ? { goal: `≤ ${goalMs} ms`, met: a.p99 <= goalMs } : {}),
});
