import { describe, expect, it } from 'vitest';
import { parseSegmentFilter } from '../../src/core/reading/segments/segments.ts';

/** The filter as stored (JSON text) or sent (an object): accepted as documented, refused naming the field. */
describe('parseSegmentFilter', () => {
  it('accepts the built-ins’ stored filters and every documented condition', () => {
    expect(parseSegmentFilter('{"excludeStages":["lost"],"lastContact":{"olderThanDays":60}}')).toEqual({
      ok: true,
      filter: { excludeStages: ['lost'], lastContact: { olderThanDays: 60 } },
    });
    const all = {
      tags: { all: ['VIP'], any: ['复购', '老客户'], none: ['价格敏感'] },
      stages: ['won'],
      excludeStages: ['lost'],
      valueTiers: ['key'],
      owners: [3],
      teams: [1],
      unowned: false,
      platforms: ['wecom'],
      sources: ['expo-2026'],
      lastContact: { never: true },
      deals: { won: true, withinDays: 180 },
      repliedToLastCampaign: true,
      lost: { withinDays: 30 },
      doNotContact: 'include',
    };
    expect(parseSegmentFilter(all)).toEqual({ ok: true, filter: all });
  });

  it('names the field at fault', () => {
    const cases: Array<[unknown, string]> = [
      ['{not json', 'filter: not valid JSON'],
      [[], 'filter: Invalid input: expected object, received array'],
      [{ lastContact: { withinDays: 0 } }, 'lastContact.withinDays: Too small: expected number to be >=1'],
      [{ lastContact: {} }, 'lastContact.withinDays: Invalid input: expected number, received undefined'],
      [{ deals: { none: false } }, 'deals.none: Invalid input: expected true'],
      [{ tags: { any: [] } }, 'tags.any: Too small: expected array to have >=1 items'],
      [{ owners: ['3'] }, 'owners.0: Invalid input: expected number, received string'],
      [{ segment: 'vip' }, 'segment: Unrecognized key: "segment"'],
      [{ doNotContact: 'yes' }, 'doNotContact: Invalid option: expected one of "exclude"|"include"|"only"'],
    ];
    for (const [input, error] of cases)
      expect({ input, out: parseSegmentFilter(input) }).toEqual({ input, out: { ok: false, error } });
  });
});
