import type { Messages } from './catalogue.ts';

/** What a refused reply is explained with: whom it was for, and the longest reply allowed. */
type ReplyRefusal = { who: string; maxChars: number };

/** Commands about one customer or a list of them: finding, answering, following up. */
const zh = {
  find: {
    usage: '/find 查找 <姓名|公司|电话|标签|#编号>',
    summary: '查找客户',
    found: (n: string, query: string) => `找到 ${n} 位与「${query}」匹配的客户：`,
    owner: (name: string) => `负责人 ${name}`,
    unowned: '公海',
    more: '结果较多，请输入更完整的姓名、公司或电话。',
  },
  show: { usage: '/show 查看 <客户>', summary: '客户详情卡片' },
  reply: {
    usage: '/reply 回复 <客户> <内容>',
    summary: '回复客户（发到客户最近联系的渠道）',
    sent: (who: string, where: string) => `已回复 ${who}（${where}）。`,
    confirmImplied: (who: string, text: string, minutes: number) =>
      `发给最近转来消息的客户 ${who}：\n${text}\n回复「确认」发送，「取消」放弃（${minutes} 分钟内有效）。其他客户请用 /reply #编号 <内容>。`,
    lastRelayHint: (minutes: number) =>
      `（转来的客户消息 ${minutes} 分钟内可直接发「回复 要说的话」回复该客户。）`,
    refusals: {
      no_channel: ({ who }: ReplyRefusal) =>
        `${who} 没有可以回复的渠道：客户还没有通过机器人、微信客服或网页联系过我们。可以用 /remind 设提醒，稍后跟进。`,
      contact_only: ({ who }: ReplyRefusal) =>
        `${who} 是企业微信联系人：请在企业微信里直接回复客户，或用 /remind 设提醒。`,
      unreachable: ({ who }: ReplyRefusal) =>
        `${who} 已屏蔽机器人，消息发不出去；客户解除屏蔽或重新点「开始」后才能回复。可以用 /remind 设提醒。`,
      outside_window: ({ who }: ReplyRefusal) =>
        `${who} 的会话已超出平台的回复时限（微信客服 48 小时、Telegram Business 24 小时），需等客户再次发消息。可以用 /remind 设提醒。`,
      reply_limit: ({ who }: ReplyRefusal) =>
        `${who} 在客户再次发消息之前最多还能收到 5 条消息（微信客服限制），现在已用完。`,
      empty: (_: ReplyRefusal) => '请写上回复内容。',
      too_long: ({ maxChars }: ReplyRefusal) => `回复最长 ${maxChars} 字。`,
      key_reused: (_: ReplyRefusal) => '这条请求已经发过另一段内容。',
      unknown_quick_reply: (_: ReplyRefusal) =>
        '没有这条快捷回复，未发送。发送 /快捷 列表 查看你可以用的快捷回复（用法：/reply #12 :price）。',
      attachment_elsewhere: ({ who }: ReplyRefusal) =>
        `${who} 最近联系的渠道收不到这个附件：附件只能在同一个平台的机器人里原样转发。请改发文字，或在客户所在的平台里直接发送。`,
    },
  },
  draft: {
    usage: '/draft 草拟 <客户> [要说的话]',
    summary: '起草给客户的回复（配置了 AI 时由 AI 起草），确认后才发送',
    head: (who: string, byModel: boolean) => `${byModel ? 'AI 起草' : '模板'}的回复草稿（给 ${who}）：`,
    confirm: (minutes: number) =>
      `回复「确认」发送，「取消」放弃（${minutes} 分钟内有效）。想改写就直接发 /reply #编号 <内容>。`,
    template: (name: string, point: string) =>
      point ? `${name}您好，${point}` : `${name}您好，收到您的消息了，我这边确认一下，尽快回复您。`,
  },
  quick: {
    usage: '/quick 快捷 [列表 [词]] | 添加 <关键词> <内容> | 删除 <关键词>',
    summary: '快捷回复（话术库）',
    none: '还没有快捷回复。经理可用 /quick 快捷 添加 <关键词> <内容> 为本组添加。',
    noMatch: (word: string) => `没有含「${word}」的快捷回复。发送 /quick 快捷 列表 查看全部。`,
    org: '全公司',
    listHead: '可用的快捷回复：',
    listFoot: '回复客户时发送 /reply #编号 :关键词，{name} 会换成客户的名字。',
    line: (key: string, owner: string, id: number, preview: string) => `:${key}（${owner} #${id}）${preview}`,
    more: (n: number) => `……另有 ${n} 条`,
    saved: (key: string, owner: string, created: boolean) =>
      `${created ? '已添加' : '已更新'}快捷回复 :${key}（${owner}）。回复客户时发送 /reply #编号 :${key}。`,
    removed: (key: string, owner: string) => `已删除快捷回复 :${key}（${owner}）。`,
    notAllowed: '只有经理及以上可以添加或删除快捷回复：经理管理本组（及下级团队）的，总监和管理员管理全部。',
    noTeam: '你不属于任何团队，无法添加团队快捷回复；全公司通用的快捷回复由总监和管理员添加。',
    invalidKey: '关键词最多 20 个字，只能是文字、数字、_ 或 -，例如 price、报价。',
    empty: '请写上快捷回复的内容。',
    tooLong: (maxChars: number) => `快捷回复最长 ${maxChars} 字。`,
    keyReused: '这条请求已经保存过另一条快捷回复。',
    unknown: (ref: string) => `没有你可以删除的快捷回复「${ref}」。发送 /quick 快捷 列表 查看。`,
    ambiguous: (ref: string) =>
      `多个团队都有快捷回复「${ref}」，请用编号删除，例如 /quick 快捷 删除 #3（编号见列表）。`,
  },
  handoff: {
    usage: '/handoff 转人工 <客户>',
    summary: '把微信客服会话转给人工（在企业微信客户端接待）',
    noSession: (who: string) => `${who} 没有微信客服会话。`,
    noServicer: (who: string) => `负责人和你都没有企业微信账号，无法接待 ${who} 的会话。`,
    done: (who: string, servicer: string) =>
      `已把 ${who} 的微信客服会话转给 ${servicer}，请在企业微信客户端接待。`,
  },
  mine: {
    usage: '/mine 我的客户',
    summary: '我负责的客户（高意向在前）',
    none: '你还没有负责的客户。',
    head: (total: number) => `你负责 ${total} 位客户：`,
    /** The hot list at the top of `/mine`: customers who showed buying intent lately. */
    hot: (total: number) => `高意向客户 ${total} 位 🔥：`,
    all: '全部客户：',
  },
  stale: {
    usage: '/stale 未跟进 [天数]',
    summary: '很久没联系的客户（默认30天）',
    none: (days: number) => `没有超过 ${days} 天未跟进的客户。`,
    head: (total: number, days: number) => `${total} 位客户超过 ${days} 天未跟进（最久的在前）：`,
  },
  /** What the lists of `/mine` and `/stale` say about each customer. */
  customerList: {
    keyAccount: '重点客户',
    churnRisk: (risk: number) => `⚠️流失风险${risk}`,
    more: (n: number) => `……另有 ${n} 位未列出。`,
  },
  note: {
    usage: '/note 跟进 <客户> <内容>',
    summary: '记录跟进',
    tooLong: (maxChars: number) => `跟进内容最长${maxChars}字。`,
    recorded: (who: string) => `已记录对 ${who} 的跟进。`,
  },
  tag: {
    usage: '/tag 标签 <客户> <标签…>',
    summary: '给客户打标签',
    tooLong: '标签最长30个字。',
    /** The answer: the tags that changed, then those that already were (or were not) there. */
    answer: (on: boolean, who: string, changed: string[], same: string[]) => {
      const done = changed.length
        ? `已${on ? '为' : '从'}${who}${on ? '添加' : '去掉'}标签：${changed.join('、')}。`
        : '';
      const kept = same.length ? `${who}${on ? '已有' : '没有'}标签：${same.join('、')}。` : '';
      return `${done}${kept}`;
    },
  },
  untag: { usage: '/untag 去标签 <客户> <标签…>', summary: '去掉客户标签' },
};

const en: Messages<typeof zh> = {
  find: {
    usage: '/find <name|company|phone|tag|#id>',
    summary: 'look a customer up',
    found: (n, query) => `${n} customer(s) match "${query}":`,
    owner: (name) => `owner ${name}`,
    unowned: 'unowned',
    more: 'More match: add more of the name, company or phone.',
  },
  show: { usage: '/show <customer>', summary: 'a customer at a glance' },
  reply: {
    usage: '/reply <customer> <text>',
    summary: 'answer a customer where they last wrote',
    sent: (who, where) => `Sent to ${who} (${where}).`,
    confirmImplied: (who, text, minutes) =>
      `Send to ${who}, the customer last relayed to you:\n${text}\nReply "yes" to send or "cancel" to drop it (valid for ${minutes} minutes). For someone else: /reply #id <text>.`,
    lastRelayHint: (minutes) =>
      `(Within ${minutes} minutes of a relayed message, "reply your text" answers that customer.)`,
    refusals: {
      no_channel: ({ who }) =>
        `${who} cannot be answered here: they have not written through the bot, WeChat Customer Service or the web chat. Set a reminder with /remind to follow up.`,
      contact_only: ({ who }) =>
        `${who} is a WeCom contact: answer them in WeCom itself, or set a reminder with /remind.`,
      unreachable: ({ who }) =>
        `${who} blocked the bot, so nothing can reach them there until they unblock it or press Start again. Set a reminder with /remind.`,
      outside_window: ({ who }) =>
        `${who}'s conversation is past the platform's reply window (WeChat Customer Service 48 h, Telegram Business 24 h); they must write again first. Set a reminder with /remind.`,
      reply_limit: ({ who }) =>
        `${who} may get at most 5 messages until they write again (WeChat Customer Service), and those are used up.`,
      empty: (_) => 'Say what to send.',
      too_long: ({ maxChars }) => `A reply is at most ${maxChars} characters.`,
      key_reused: (_) => 'This request already sent another text.',
      unknown_quick_reply: (_) =>
        'No such quick reply; nothing was sent. Send /quick list to see the ones you can use (e.g. /reply #12 :price).',
      attachment_elsewhere: ({ who }) =>
        `${who} cannot get this attachment where they last wrote: attachments go on only within the same platform's bot. Send text instead, or send it from the platform the customer uses.`,
    },
  },
  draft: {
    usage: '/draft <customer> [what to say]',
    summary: 'draft a reply to a customer (by the AI when one is set up), sent only once you confirm',
    head: (who, byModel) => `${byModel ? 'AI draft' : 'Template draft'} of a reply to ${who}:`,
    confirm: (minutes) =>
      `Reply "yes" to send it or "cancel" to drop it (valid for ${minutes} minutes). To change it, send /reply #id <text>.`,
    template: (name, point) =>
      point
        ? `Hi ${name}, ${point}`
        : `Hi ${name}, thanks for your message. Let me check and get back to you shortly.`,
  },
  quick: {
    usage: '/quick [list [word]] | add <key> <text> | remove <key>',
    summary: 'saved quick replies',
    none: 'No quick replies yet. Managers add them for their team with /quick add <key> <text>.',
    noMatch: (word) => `No quick reply has "${word}". Send /quick list to see them all.`,
    org: 'everyone',
    listHead: 'Quick replies you can send:',
    listFoot: 'Send one with /reply #id :key; {name} becomes the customer’s name.',
    line: (key, owner, id, preview) => `:${key} (${owner} #${id}) ${preview}`,
    more: (n) => `…and ${n} more`,
    saved: (key, owner, created) =>
      `${created ? 'Added' : 'Updated'} quick reply :${key} (${owner}). Send it with /reply #id :${key}.`,
    removed: (key, owner) => `Removed quick reply :${key} (${owner}).`,
    notAllowed:
      'Only managers and above add or remove quick replies: managers their team’s (and the teams under it), directors and admins any.',
    noTeam:
      'You are in no team, so there is no team to add quick replies for; directors and admins add the organisation’s.',
    invalidKey: 'A key is up to 20 letters, digits, _ or -, e.g. price.',
    empty: 'Say what the quick reply should say.',
    tooLong: (maxChars) => `A quick reply is at most ${maxChars} characters.`,
    keyReused: 'This request already saved another quick reply.',
    unknown: (ref) => `No quick reply "${ref}" you may remove. Send /quick list to see them.`,
    ambiguous: (ref) =>
      `Several teams have a quick reply "${ref}"; remove one by number, e.g. /quick remove #3 (see the list).`,
  },
  handoff: {
    usage: '/handoff <customer>',
    summary: "hand a WeChat Customer Service session to a person (answered in WeCom's client)",
    noSession: (who) => `${who} has no WeChat Customer Service session.`,
    noServicer: (who) => `Neither the owner nor you has a WeCom account to take ${who}'s session.`,
    done: (who, servicer) =>
      `${who}'s WeChat Customer Service session goes to ${servicer}: answer in WeCom's client.`,
  },
  mine: {
    usage: '/mine',
    summary: 'customers I own (hot leads first)',
    none: 'You own no customers yet.',
    head: (total) => `You own ${total} customer(s):`,
    hot: (total) => `Hot leads (${total}) 🔥:`,
    all: 'All customers:',
  },
  stale: {
    usage: '/stale [days]',
    summary: 'customers not contacted lately (30 days)',
    none: (days) => `No customer of yours waits more than ${days} days.`,
    head: (total, days) => `${total} customer(s) not contacted for over ${days} days (longest first):`,
  },
  customerList: {
    keyAccount: 'key account',
    churnRisk: (risk) => `⚠️churn risk ${risk}`,
    more: (n) => `…and ${n} more.`,
  },
  note: {
    usage: '/note <customer> <text>',
    summary: 'record a follow-up',
    tooLong: (maxChars) => `A note is at most ${maxChars} characters.`,
    recorded: (who) => `Follow-up recorded for ${who}.`,
  },
  tag: {
    usage: '/tag <customer> <tag…>',
    summary: 'tag a customer',
    tooLong: 'A tag is at most 30 characters.',
    answer: (on, who, changed, same) => {
      const done = changed.length ? `${on ? 'Tagged' : 'Untagged'} ${who}: ${changed.join(', ')}.` : '';
      const kept = same.length ? `${on ? 'Already tagged' : 'Not tagged'}: ${same.join(', ')}.` : '';
      return [done, kept].filter(Boolean).join(' ');
    },
  },
  untag: { usage: '/untag <customer> <tag…>', summary: 'remove tags' },
};

export const customerCommands = { zh, en };
