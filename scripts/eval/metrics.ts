/** Counts of one tag (or of alerts) over a set of messages. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export const emptyCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

export function count(c: Counts, gold: boolean, predicted: boolean): void {
  if (gold && predicted) c.tp++;
  else if (predicted) c.fp++;
  else if (gold) c.fn++;
}

/** A proportion with its 95% Wilson score interval (sound at small counts and at 0 or 1). */
export interface Rate {
  value: number;
  low: number;
  high: number;
  n: number;
}

export function wilson(k: number, n: number, z = 1.96): Rate {
  if (n === 0) return { value: Number.NaN, low: 0, high: 1, n };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

export const precision = (c: Counts): Rate => wilson(c.tp, c.tp + c.fp);
export const recall = (c: Counts): Rate => wilson(c.tp, c.tp + c.fn);

export function f1(c: Counts): number {
  const p = c.tp / (c.tp + c.fp);
  const r = c.tp / (c.tp + c.fn);
  return p + r === 0 || Number.isNaN(p) || Number.isNaN(r) ? 0 : (2 * p * r) / (p + r);
}

export const formatRate = (r: Rate): string =>
  Number.isNaN(r.value)
    ? '   —             '
    : `${r.value.toFixed(2)} [${r.low.toFixed(2)}–${r.high.toFixed(2)}]`;
