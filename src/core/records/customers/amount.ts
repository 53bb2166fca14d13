/** An amount as sales people type it: `50000`, `5万`, `5w`, `12k`, `¥50,000`, `3.5万元`; minor units (fen / cents). */
export function parseAmount(typed: string): number | null {
  const m = /^[¥￥$]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(万|w|k|千)?\s*(元|块|rmb|cny)?$/i.exec(
    typed.trim(),
  );
  if (!m) return null;
  const whole = Number((m[1] ?? '').replace(/,/g, ''));
  const fraction = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  const unit = { 万: 10_000, w: 10_000, W: 10_000, k: 1_000, K: 1_000, 千: 1_000 }[m[3] ?? ''] ?? 1;
  const minor = Math.round((whole * 100 + fraction) * unit);
  return Number.isSafeInteger(minor) && minor > 0 && minor < 1e15 ? minor : null;
}

/** `12,345.00`. */
export const formatAmount = (minor: number): string =>
  (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
