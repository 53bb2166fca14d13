import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** The alert policy's thresholds: HOT_LEAD_PING_HOURS and ALERT_MIN_CONFIDENCE, with their defaults and bounds. */
describe('alert settings', () => {
  it('defaults to a ping every 4 hours and no confidence floor, and reads both', () => {
    expect(loadConfig({}).org).toMatchObject({ hotLeadPingMs: 4 * 3_600_000, alertMinConfidence: 0 });
    expect(loadConfig({ HOT_LEAD_PING_HOURS: '8', ALERT_MIN_CONFIDENCE: '0.75' }).org).toMatchObject({
      hotLeadPingMs: 8 * 3_600_000,
      alertMinConfidence: 0.75,
    });
  });

  it('refuses values out of range, naming the variable', () => {
    for (const wrong of ['0', '169', '2.5', 'often'])
      expect(problems({ HOT_LEAD_PING_HOURS: wrong }).join('\n')).toMatch(/HOT_LEAD_PING_HOURS/);
    for (const wrong of ['1.5', '-0.1', 'high', '0.7x'])
      expect(problems({ ALERT_MIN_CONFIDENCE: wrong }).join('\n')).toMatch(/ALERT_MIN_CONFIDENCE/);
  });
});
