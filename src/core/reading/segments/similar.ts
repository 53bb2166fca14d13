import { BUILTIN_TITLES, type SegmentRow } from './segments.ts';

/** Edit distance between two short strings (names typed in a chat). */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

const pairs = (s: string): string[] => {
  const c = [...s];
  return c.slice(0, -1).map((ch, i) => ch + c[i + 1]);
};

/** Segments whose name (or built-in title) looks like a reference that matched none: a typo, a part of it. */
export function similarSegments(ref: string, segments: SegmentRow[]): SegmentRow[] {
  const r = ref.trim().toLowerCase();
  if (!r) return [];
  const close = (name: string): boolean => {
    const n = name.toLowerCase();
    if (n.includes(r) || r.includes(n)) return true;
    if (distance(n, r) <= Math.max(1, Math.floor(Math.min([...n].length, [...r].length) / 3))) return true;
    // Chinese names: one shared pair of characters (沉睡 in 沉睡的客户).
    return /[\u4e00-\u9fff]/.test(r) && pairs(r).some((p) => /[\u4e00-\u9fff]/.test(p) && n.includes(p));
  };
  return segments
    .filter((s) => {
      const titles = s.builtin === 1 ? Object.values(BUILTIN_TITLES[s.name] ?? {}) : [];
      return [s.name, ...titles].some(close);
    })
    .slice(0, 5);
}
