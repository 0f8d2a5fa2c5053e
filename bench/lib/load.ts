/**
 * A small closed-loop load generator: `concurrency` workers each send their next request as soon
 * as the previous one answers, until `total` requests are done. It records every latency, so the
 * figures are exact percentiles rather than histogram estimates.
 */
export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

export async function runLoad(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<number | string>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      let status: number | string;
      try {
        status = await send(i);
      } catch (error) {
        status = `error:${(error as Error).message.slice(0, 40)}`;
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50: pct(50),
    p99: pct(99),
    statuses,
  };
}

export const fmt = (r: LoadResult) =>
  `${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99
    .toFixed(1)
    .padStart(6)} ms  ${JSON.stringify(r.statuses)}`;

export const progress = (message: string) => console.error(`[bench] ${message}`);
