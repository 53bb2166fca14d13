import { PLATFORMS, type Platform } from '../db/schema.ts';

// Single values of the configuration that take more than a schema: who the staff are, whether the playground is on.

/** `platform:userId` entries, comma-separated (ADMIN_IDS, API_TOKEN_STAFF); each bad entry is a problem by name. */
export function parseStaffIds(
  name: string,
  raw: string | undefined,
  problems: string[],
): Array<{ platform: Platform; userId: string }> {
  const admins: Array<{ platform: Platform; userId: string }> = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+):(\S+)$/.exec(entry);
    const platform = m?.[1] as Platform | undefined;
    if (!m?.[2] || !platform || !PLATFORMS.includes(platform)) {
      problems.push(
        `${name}: "${entry}" is not platform:userId with platform one of ${PLATFORMS.join(', ')} (e.g. telegram:111)`,
      );
      continue;
    }
    admins.push({ platform, userId: m[2] });
  }
  return admins;
}

/** PLAYGROUND decides; unset, the playground is on unless the server is clearly in production. */
export function playgroundOn(
  setting: string | undefined,
  nodeEnv: string | undefined,
  publicUrl: string | undefined,
) {
  if (setting) return setting === 'on';
  return nodeEnv?.trim() !== 'production' && !publicUrl;
}

/** A whole number from `min` to `max`; unset or empty: the default. Out of range is a problem by name. */
export function wholeNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (!raw?.trim()) return fallback;
  const n = Number(raw.trim());
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(`${name} must be a whole number from ${min} to ${max}`);
  return fallback;
}
