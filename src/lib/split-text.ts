/**
 * Splits text into pieces no longer than `max` (as `measure` counts: characters, UTF-8 bytes…), preferring line
 * breaks, then spaces, and never cutting a surrogate pair.
 */
export function splitText(
  text: string,
  max: number,
  measure: (s: string) => number = (s) => s.length,
): string[] {
  if (measure(text) <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (measure(rest) > max) {
    let cut = longestPrefix(rest, max, measure);
    const lineBreak = rest.lastIndexOf('\n', cut);
    const space = rest.lastIndexOf(' ', cut);
    if (lineBreak > cut / 2) cut = lineBreak + 1;
    else if (space > cut / 2) cut = space + 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function longestPrefix(s: string, max: number, measure: (s: string) => number): number {
  let lo = 1;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(s.slice(0, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  const code = s.charCodeAt(lo - 1);
  return code >= 0xd800 && code <= 0xdbff && lo > 1 ? lo - 1 : lo;
}
