/** Percentile of a sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]): number => percentile(values, 50);

export interface Row {
  benchmark: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  pass?: boolean;
}

export function table(rows: Row[]): string {
  const head = '| benchmark | median (this code) | baseline (same run) | ratio | target |';
  const line = '| --- | --- | --- | --- | --- |';
  const body = rows.map((r) => `| ${r.benchmark} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target}${r.pass === undefined ? '' : r.pass ? ' ✅' : ' ❌'} |`);
  return [head, line, ...body].join('\n');
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
