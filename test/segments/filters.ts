import type { SegmentFilter } from '../../src/core/reading/segments/segments.ts';
import type { Seeded } from './seed.ts';

/** The filters the counts are checked on: each condition alone, the built-ins, and combinations. */
export function testFilters(s: Pick<Seeded, 'teams' | 'staff'>): Array<[string, SegmentFilter]> {
  return [
    ['everyone who may be contacted', {}],
    ['tags: all of VIP and 高意向', { tags: { all: ['VIP', '高意向'] } }],
    ['tags: any of 复购/老客户, none 价格敏感', { tags: { any: ['复购', '老客户'], none: ['价格敏感'] } }],
    ['stages interested or won', { stages: ['interested', 'won'] }],
    ['dormant (built-in)', { excludeStages: ['lost'], lastContact: { olderThanDays: 60 } }],
    ['win-back (built-in)', { lost: { withinDays: 180 } }],
    ['value tiers key or growth', { valueTiers: ['key', 'growth'] }],
    ['owners rep1 and rep2', { owners: [s.staff.rep1.id, s.staff.rep2.id] }],
    ['team 华东 with 上海组 under it', { teams: [s.teams.east] }],
    ['the unowned pool', { unowned: true }],
    ['owned only, with a won deal ever', { unowned: false, deals: { won: true } }],
    ['on WeCom or Feishu', { platforms: ['wecom', 'feishu'] }],
    ['came through expo-2026', { sources: ['expo-2026'] }],
    ['contacted within 30 days', { lastContact: { withinDays: 30 } }],
    ['never contacted', { lastContact: { never: true } }],
    ['won a deal within 180 days', { deals: { won: true, withinDays: 180 } }],
    ['no deal at all', { deals: { none: true } }],
    ['replied to the last campaign', { repliedToLastCampaign: true }],
    ['reached by the last campaign, no reply', { repliedToLastCampaign: false }],
    ['only do-not-contact', { doNotContact: 'only' }],
    ['leads, do-not-contact included', { doNotContact: 'include', stages: ['lead'] }],
    [
      'bought within six months and answered the last promotion',
      { deals: { won: true, withinDays: 180 }, repliedToLastCampaign: true },
    ],
    [
      '华南 VIPs on Telegram or WeCom, not lost',
      {
        teams: [s.teams.south],
        tags: { any: ['VIP', '复购'] },
        platforms: ['telegram', 'wecom'],
        excludeStages: ['lost'],
      },
    ],
    [
      'referred or expo, contacted within 90 days, no 价格敏感',
      {
        sources: ['referral-7', 'expo-2026'],
        lastContact: { withinDays: 90 },
        tags: { none: ['价格敏感'] },
      },
    ],
  ];
}
