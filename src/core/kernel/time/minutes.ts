/** A local time of day as minutes after midnight: `09:30` → 570. */
export const minutesOf = (hhmm: string): number => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};
