import type { Messages } from './catalogue.ts';

/** A merge side's counts, as the merge preview lists them. */
type SideCounts = { messages: number; notes: number; deals: number; reminders: number };

/** How records read in a chat: the customer card, the merge preview, sources, built-in segments. */
const zh = {
  /** A tag as records show it: a person's own tag by its name, a rule's or the model's with who set it. */
  taggedBy: { rule: (tag: string) => `${tag}（规则）`, llm: (tag: string) => `${tag}（AI）` },
  card: {
    owner: '负责人',
    unowned: '公海',
    stage: '阶段',
    company: '公司',
    phone: '电话',
    email: '邮箱',
    tags: '标签',
    identities: '身份',
    deals: '商机',
    note: '最近跟进',
    reminders: '待办提醒',
    recent: '最近消息',
    bot: '客户助手',
    assignToMe: '分配给我',
    followedUp: '标记已跟进',
    openPanel: '打开客户面板',
    doNotContact: '⛔ 免打扰',
    unreachable: '⚠️ 无法触达',
    unreachableSince: (platform: string, since: string) => `${platform}：客户已屏蔽机器人（${since} 起）`,
  },
  mergePreview: {
    title: '合并预览',
    keep: '保留',
    into: '并入',
    ids: '身份',
    owner: '负责人',
    stage: '阶段',
    tags: '标签',
    counts: (c: SideCounts) => `消息 ${c.messages} · 跟进 ${c.notes} · 商机 ${c.deals} · 提醒 ${c.reminders}`,
    after: '合并后',
    name: '姓名',
    company: '公司',
    phone: '电话',
    email: '邮箱',
    first: '首次接触',
    source: '来源',
    none: '无',
    keepsAll: '所有身份、消息、跟进、标签（保留来源）、商机和提醒都归到保留的客户。',
    /** Why the merged record takes a value. */
    reasons: {
      same: '双方相同',
      survivor: '保留方的',
      survivor_empty: '保留方为空，取并入方的',
      further_stage: '漏斗中更靠后的阶段',
      active_over_lost: '有效阶段优先于流失',
      earliest: '较早的',
    },
  },
  sources: {
    /** Channel kinds as people read them. */
    kinds: {
      campaign: '营销活动',
      rep: '员工活码',
      event: '线下活动',
      referral: '老客户推荐',
      other: '其他',
    },
    referrer: (customerId: number) => `，推荐人 #${customerId}`,
    /** `展会2026（expo2026 · 线下活动 · wecom）` */
    named: (name: string, facts: string) => `${name}（${facts}）`,
    first: '首次来源',
    latest: '最近来源',
  },
  segments: {
    /** The built-in segments' names; their Chinese names find them too. */
    builtin: { dormant: '沉睡客户', 'win-back': '流失挽回' },
    /** A built-in segment in a reply: `dormant（沉睡客户）`. */
    title: (name: string, title: string) => `${name}（${title}）`,
  },
};

const en: Messages<typeof zh> = {
  taggedBy: { rule: (tag) => `${tag} (rule)`, llm: (tag) => `${tag} (AI)` },
  card: {
    owner: 'Owner',
    unowned: 'unowned',
    stage: 'Stage',
    company: 'Company',
    phone: 'Phone',
    email: 'Email',
    tags: 'Tags',
    identities: 'Identities',
    deals: 'Open deals',
    note: 'Last note',
    reminders: 'Reminders',
    recent: 'Last messages',
    bot: 'assistant',
    assignToMe: 'Assign to me',
    followedUp: 'Mark followed up',
    openPanel: 'Open panel',
    doNotContact: '⛔ Do not contact',
    unreachable: '⚠️ Unreachable',
    unreachableSince: (platform, since) => `${platform}: the customer blocked the bot (since ${since})`,
  },
  mergePreview: {
    title: 'Merge preview',
    keep: 'Keep',
    into: 'Merge in',
    ids: 'identities',
    owner: 'owner',
    stage: 'stage',
    tags: 'tags',
    counts: (c) => `${c.messages} messages · ${c.notes} notes · ${c.deals} deals · ${c.reminders} reminders`,
    after: 'After the merge',
    name: 'name',
    company: 'company',
    phone: 'phone',
    email: 'email',
    first: 'first contact',
    source: 'source',
    none: 'none',
    keepsAll:
      'Every identity, message, note, tag (with its source), deal and reminder goes to the kept customer.',
    reasons: {
      same: 'both the same',
      survivor: 'the kept record’s',
      survivor_empty: 'the kept record has none',
      further_stage: 'further along the funnel',
      active_over_lost: 'an active stage beats lost',
      earliest: 'the earlier one',
    },
  },
  sources: {
    kinds: { campaign: 'campaign', rep: 'rep', event: 'event', referral: 'referral', other: 'other' },
    referrer: (customerId) => `, referred by #${customerId}`,
    named: (name, facts) => `${name} (${facts})`,
    first: 'First source',
    latest: 'Latest source',
  },
  segments: {
    builtin: { dormant: 'Dormant customers', 'win-back': 'Lost customers to win back' },
    title: (name, title) => `${name} (${title})`,
  },
};

export const views = { zh, en };
