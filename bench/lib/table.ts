import type { Figure } from '../parts/figures.js';

const num = (v: number | undefined, unit = '') =>
  v === undefined || Number.isNaN(v)
    ? '—'
    : `${v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2)}${unit}`;

/** The figures as a Markdown table: value, floor, ratio, goal and whether it was met. */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const d = f.detail as { p50?: number; p99?: number } | undefined;
    const value =
      d && typeof d.p50 === 'number' && typeof d.p99 === 'number' && f.what.includes('p50 / p99')
        ? `${num(d.p50)} / ${num(d.p99)} ${f.unit}`
        : `${num(f.value)} ${f.unit}`;
    return [
      f.mode,
      f.what,
      value,
      f.floor === undefined ? '—' : `${num(f.floor)} ${f.unit}`,
      num(f.ratio),
      f.goal ?? '',
      f.met === undefined ? '' : f.met ? 'met' : 'NOT met',
    ];
  });
  const head = ['mode', 'what', 'value', 'floor', 'ratio', 'goal', ''];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
