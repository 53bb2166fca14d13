import type { Messages } from './catalogue.ts';

/** A rep's line in the digest; `median` is the median first response, already written out, or null. */
type RepActivity = { name: string; replies: number; notes: number; median: string | null };
/** One group of a campaign as the weekly section sums it up (`rate`: the reply rate, e.g. `25%`). */
type SectionGroup = { customers: number; replied: number; rate: string; won: number };
/** A campaign's reach in its report; `skippedBy`: the reasons written out, `extra`: pending/failed/cancelled. */
type ReportReach = {
  size: number;
  reached: number;
  delivered: number;
  holdout: number;
  skipped: number;
  skippedBy: string;
  extra: string[];
};
/** A group's figures in a campaign report (rates already written out as percentages). */
type ReportGroup = {
  customers: number;
  replied: number;
  replyRate: string;
  stageMoved: number;
  won: number;
  amount: string;
  wonRate: string;
};

/** Digests, reports and their chart. */
const zh = {
  digest: {
    titles: {
      daily: '📊 客户日报（近24小时）',
      weekly: '📊 客户周报（近7天）',
      week: '📊 客户报表（近7天）',
      month: '📊 客户报表（近30天）',
    },
    more: (n: number) => `……另有 ${n} 位`,
    overview: '概览',
    newCustomers: '新客户',
    messages: (inbound: number, outbound: number) => `消息：收到 ${inbound}，回复 ${outbound}`,
    duplicates: '待处理的重复客户建议',
    waiting: '待回复客户',
    waitingDetail: (overSla: number, longest: string) => `，超时 ${overSla}，最久 ${longest}`,
    hotLeads: '高意向客户',
    stale: (days: number) => `超过${days}天未跟进`,
    churn: '流失风险客户',
    funnel: '漏斗',
    openDeals: '商机',
    reps: '销售动态',
    rep: (r: RepActivity) =>
      `${r.name}：回复 ${r.replies}，跟进 ${r.notes}${r.median !== null ? `，首次响应中位 ${r.median}` : ''}`,
    minutes: (n: number) => `${n}分钟`,
    hours: (n: number) => `${n}小时`,
    days: (n: number) => `${n}天`,
  },
  chart: {
    title: '客户漏斗与近7天趋势',
    funnel: '客户漏斗',
    trend: '近7天趋势',
    newCustomers: '新客户',
    messagesIn: '收到消息',
    messagesOut: '回复',
  },
  /** The weekly report's marketing section. */
  marketing: {
    heading: '营销效果',
    campaign: (name: string, a: SectionGroup, money: string, k: SectionGroup) =>
      `「${name}」触达 ${a.customers} · 回复 ${a.replied}（${a.rate}）· 成交 ${a.won}${money}｜对照 ${k.customers} · 回复 ${k.replied}（${k.rate}）· 成交 ${k.won}`,
    sources: '新客户来源 Top',
    source: (label: string, newCustomers: number, replied: number, won: number, money: string) =>
      `${label}：新客户 ${newCustomers} · 回复 ${replied} · 成交 ${won}${money}`,
  },
  /** A campaign's effect report (`/campaign <name>`). */
  campaignReport: {
    statuses: {
      draft: '草稿',
      scheduled: '已排期',
      running: '发送中',
      paused: '已暂停',
      cancelled: '已取消',
      done: '已发完',
    },
    reasons: {
      do_not_contact: '免打扰',
      frequency_cap: '频次上限',
      no_channel: '无可用渠道',
      outside_window: '超出平台时限',
    },
    windowNotStarted: (days: number) => `观察期 ${days} 天（未开始）`,
    window: (days: number, measured: number) => `观察期 ${days} 天，已过 ${measured} 天`,
    pending: (n: number) => `待发 ${n}`,
    failed: (n: number) => `失败 ${n}`,
    cancelled: (n: number) => `取消 ${n}`,
    title: (name: string, status: string, window: string) => `📣 活动「${name}」· ${status} · ${window}`,
    reach: (r: ReportReach) =>
      `名单 ${r.size}：触达 ${r.reached}（送达 ${r.delivered}）、对照留存 ${r.holdout}、跳过 ${r.skipped}${r.skippedBy ? `（${r.skippedBy}）` : ''}${r.extra.length ? `、${r.extra.join('、')}` : ''}`,
    reached: '触达组',
    comparison: '对照组',
    group: (label: string, g: ReportGroup) =>
      `${label} ${g.customers}：回复 ${g.replied}（${g.replyRate}）· 阶段推进 ${g.stageMoved} · 成交 ${g.won} 单${g.amount}（${g.wonRate}）`,
    difference: (replyRate: string, wonRate: string) =>
      `差异：回复率 ${replyRate} 个百分点，成交率 ${wonRate} 个百分点`,
  },
};

const en: Messages<typeof zh> = {
  digest: {
    titles: {
      daily: '📊 Customer digest (last 24 hours)',
      weekly: '📊 Weekly customer report (last 7 days)',
      week: '📊 Customer report (last 7 days)',
      month: '📊 Customer report (last 30 days)',
    },
    more: (n) => `…and ${n} more`,
    overview: 'Overview',
    newCustomers: 'New customers',
    messages: (inbound, outbound) => `Messages: ${inbound} in, ${outbound} out`,
    duplicates: 'Open duplicate suggestions',
    waiting: 'Waiting for a reply',
    waitingDetail: (overSla, longest) => `, ${overSla} past the SLA, longest ${longest}`,
    hotLeads: 'Hot leads',
    stale: (days) => `Not contacted for ${days}+ days`,
    churn: 'Churn risks',
    funnel: 'Funnel',
    openDeals: 'open deals',
    reps: 'Rep activity',
    rep: (r) =>
      `${r.name}: ${r.replies} replies, ${r.notes} notes${r.median !== null ? `, median first response ${r.median}` : ''}`,
    minutes: (n) => `${n} min`,
    hours: (n) => `${n} h`,
    days: (n) => `${n} days`,
  },
  chart: {
    title: 'Funnel and the last 7 days',
    funnel: 'Funnel',
    trend: 'Last 7 days',
    newCustomers: 'New customers',
    messagesIn: 'Messages in',
    messagesOut: 'Messages out',
  },
  marketing: {
    heading: 'Marketing',
    campaign: (name, a, money, k) =>
      `"${name}" reached ${a.customers} · replied ${a.replied} (${a.rate}) · won ${a.won}${money} | comparison ${k.customers} · replied ${k.replied} (${k.rate}) · won ${k.won}`,
    sources: 'Top sources of new customers',
    source: (label, newCustomers, replied, won, money) =>
      `${label}: ${newCustomers} new · ${replied} replied · ${won} won${money}`,
  },
  campaignReport: {
    statuses: {
      draft: 'draft',
      scheduled: 'scheduled',
      running: 'sending',
      paused: 'paused',
      cancelled: 'cancelled',
      done: 'sent',
    },
    reasons: {
      do_not_contact: 'do not contact',
      frequency_cap: 'frequency cap',
      no_channel: 'no channel',
      outside_window: 'outside the platform window',
    },
    windowNotStarted: (days) => `${days}-day window (not started)`,
    window: (days, measured) => `${days}-day window, day ${measured}`,
    pending: (n) => `${n} pending`,
    failed: (n) => `${n} failed`,
    cancelled: (n) => `${n} cancelled`,
    title: (name, status, window) => `📣 Campaign "${name}" · ${status} · ${window}`,
    reach: (r) =>
      `Segment ${r.size}: reached ${r.reached} (delivered ${r.delivered}), holdout ${r.holdout}, skipped ${r.skipped}${r.skippedBy ? ` (${r.skippedBy})` : ''}${r.extra.length ? `, ${r.extra.join(', ')}` : ''}`,
    reached: 'Reached',
    comparison: 'Comparison',
    group: (label, g) =>
      `${label} ${g.customers}: replied ${g.replied} (${g.replyRate}) · stage moves ${g.stageMoved} · won ${g.won}${g.amount} (${g.wonRate})`,
    difference: (replyRate, wonRate) => `Difference: reply rate ${replyRate} pts, won rate ${wonRate} pts`,
  },
};

export const reports = { zh, en };
