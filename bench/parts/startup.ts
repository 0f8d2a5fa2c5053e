import { memory } from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import type { Figure } from './figures.js';

/** Start-up time (to `/readyz` and the home page answering) and idle memory, as started. */
export async function startup(sut: Sut): Promise<Figure[]> {
  const idle = await memory(await sut.pids());
  const embedded = sut.mode === 'embedded';
  return [
    {
      mode: sut.mode,
      what: 'first start (empty data) to ready',
      value: sut.startMs,
      unit: 'ms',
      ...(embedded ? { goal: '≤ 10 s (+ client build)', met: sut.startMs <= 10_000 } : {}),
    },
    {
      mode: sut.mode,
      what: 'memory idle after start (PSS, all processes)',
      value: idle.pssMb,
      unit: 'MB',
      ...(embedded ? { goal: '≤ 400 MB', met: idle.pssMb <= 400 } : {}),
      detail: idle,
    },
  ];
}

/** The embedded mode stopped and started again on its data. */
export async function restart(sut: Sut): Promise<Figure[]> {
  if (!sut.restart) return [];
  const ms = await sut.restart();
  return [
    {
      mode: sut.mode,
      what: 'restart to ready',
      value: ms,
      unit: 'ms',
      goal: '≤ 3 s',
      met: ms <= 3_000,
    },
  ];
}
