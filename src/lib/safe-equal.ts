import { timingSafeEqual } from 'node:crypto';

/**
 * A constant-time check of a presented secret against the configured one. Only whether the length matches can leak
 * (secrets are long random strings, so their length tells an attacker nothing useful); the content never does.
 */
export function secretMatcher(expected: string): (given: string) => boolean {
  const want = Buffer.from(expected, 'utf8');
  return (given) => {
    const got = Buffer.from(given, 'utf8');
    if (got.length !== want.length) return !timingSafeEqual(want, want);
    return timingSafeEqual(got, want);
  };
}
