import type { Messages } from './catalogue.ts';

/** A possible duplicate as its owner is told about it. */
type DuplicatePair = { aId: number; bId: number; aName: string; bName: string; score: number };

/** What the bot tells staff on its own: relays, alerts, reminders, notices, refusals of things sent earlier. */
const zh = {
  undelivered: {
    notice: (who: string, why: string) => `未能送达${who}：${why}`,
    refusals: {
      reply_window:
        '已超出微信客服的回复时限（客户最后一条消息后48小时内、最多5条）。请等客户再次发来消息后再回复。',
      session_with_person:
        '这个微信客服会话已由接待人员在企业微信里接待（或已结束），只能由接待人员在企业微信客户端回复。',
      session_ended: '这个微信客服会话已结束，需等客户再次发来消息。',
      not_servicer:
        '接手人不是这个客服账号的接待人员（或未激活、已停止接待）。请在企业微信管理后台把他加为接待人员后再试。',
    },
  },
  relay: {
    /** One customer's run of messages: `#12 王芳（微信客服）：` and the text. */
    block: (id: number, name: string, where: string, text: string) => `#${id} ${name}（${where}）：\n${text}`,
    one: (blocks: string, id: number) =>
      `💬 ${blocks}\n\n回复客户：直接发「回复 要说的话」，或 /reply #${id} 要说的话`,
    several: (customers: number, blocks: string) =>
      `💬 ${customers} 位客户来信：\n\n${blocks}\n\n回复客户：/reply #编号 <内容>`,
    inboxTopic: (blocks: string) => `💬 ${blocks}\n\n在本话题直接发消息即回复客户。`,
    inboxOne: (blocks: string, id: number) =>
      `💬 ${blocks}\n\n回复客户：回复（引用）这条消息，或 /reply #${id} 要说的话`,
  },
  alerts: {
    causes: {
      complaint: '⚠️ 客户投诉',
      refund: '⚠️ 客户要求退款',
      negative: '⚠️ 客户情绪不满或犹豫，请介入',
      churn: '⚠️ 流失风险：客户可能不再续约或改用别家',
      high_intent: '🔥 高意向：客户在询价或要合同',
      urgent: '⏱ 客户着急',
      sla: '⏰ 客户消息超时未回复',
    },
    /** Short names, for an alert naming several causes of one message. */
    names: {
      complaint: '投诉',
      refund: '退款',
      churn: '流失风险',
      negative: '情绪不满',
      urgent: '着急',
      high_intent: '高意向',
      sla: '超时未回复',
    },
    /** `names`: the causes, joined (`投诉 · 退款`). */
    several: (names: string) => `⚠️ 客户${names}`,
    /** `quote`: the customer's words (masked), or empty. */
    text: (cause: string, id: number, name: string, quote: string) =>
      `${cause}：#${id} ${name}${quote ? `\n「${quote}」` : ''}\n查看 /show #${id}`,
    /** The batched ping of new hot leads; `lines`: one `#12 王芳` per customer. */
    hotLeads: (count: number, lines: string) =>
      `🔥 ${count} 位新的高意向客户：\n${lines}\n全部高意向客户：/mine`,
    /** A customer who seems to ask not to be contacted; `quote` as in `text`. */
    stopContact: (id: number, name: string, quote: string) =>
      `🔕 客户似乎希望不再被联系：#${id} ${name}${quote ? `\n「${quote}」` : ''}\n设为免打扰：/dnc #${id} on\n不设置：/dnc #${id} off`,
  },
  duplicates: {
    signals: {
      phone: '手机号相同',
      email: '邮箱相同',
      name_company: '姓名和公司相同',
      stated_phone: '客户在消息中留了同一手机号',
    },
    // Starts like the other notifications (⚠️): a notice, not an answer to what someone typed.
    notice: (p: DuplicatePair, why: string) =>
      `⚠️ 可能是同一位客户（${p.score}分，${why}）：#${p.aId} ${p.aName} 与 #${p.bId} ${p.bName}\n合并 /merge #${p.aId} #${p.bId}，不是同一人 /dupes 忽略 #${p.aId} #${p.bId}`,
  },
  /** `who`: ` — #12 王芳` or empty; `notice`: the customer's wish not to be contacted, or empty. */
  reminder: (text: string, who: string, notice: string) =>
    `⏰ 提醒：${text}${who}${notice ? `（${notice}）` : ''}`,
  stopped: {
    digest: (id: number, kind: string, platform: string) =>
      `${platform} 群的客户${kind === 'weekly' ? '周报' : '日报'}订阅 #${id} 已停止：订阅人已离开或不再是经理及以上。需要的话请由在职的经理重新订阅。`,
    sop: (name: string, id: number) =>
      `SOP「${name}」#${id} 已停止：创建人已离开或不再是经理及以上。需要的话请由在职的经理重新创建。`,
  },
  sop: {
    /** Why a message step became a reminder to the owner. */
    why: {
      wecom_template: '企业微信客户，请在企业微信中发送',
      frequency_cap: '已达营销频次上限，未自动发送',
      no_channel: '没有可自动发送的渠道',
      outside_window: '已超出平台允许发消息的时限',
    },
    /** `step` counts from 1; `why` may be empty. */
    send: (name: string, step: number, text: string, why: string) =>
      `SOP「${name}」第${step}步，请发给客户：${text}${why ? `（${why}）` : ''}`,
    task: (name: string, step: number, text: string) => `SOP「${name}」第${step}步：${text}`,
  },
  cardRefused: '这位客户不在你的权限范围内，操作未执行。',
  /** A click on a button Liaison did not draw, or on a card whose customer is gone. */
  cardOutdated: '此按钮已失效，操作未执行。请重新打开客户卡片。',
};

const en: Messages<typeof zh> = {
  undelivered: {
    notice: (who, why) => `Not delivered to ${who}: ${why}`,
    refusals: {
      reply_window:
        "WeChat Customer Service only allows replies within 48 hours of the customer's last message, 5 at most. Reply once the customer writes again.",
      session_with_person:
        "A servicer took this WeChat Customer Service session in WeCom's own client (or it ended): answer there.",
      session_ended: 'This WeChat Customer Service session has ended; the customer must write again.',
      not_servicer:
        'The person is not an active servicer of this customer-service account. Add them as a servicer in the WeCom admin console, then try again.',
    },
  },
  relay: {
    block: (id, name, where, text) => `#${id} ${name} (${where}):\n${text}`,
    one: (blocks, id) => `💬 ${blocks}\n\nTo answer, send "reply your text", or /reply #${id} your text`,
    several: (customers, blocks) =>
      `💬 ${customers} customers wrote:\n\n${blocks}\n\nAnswer one: /reply #id <text>`,
    inboxTopic: (blocks) => `💬 ${blocks}\n\nWrite in this topic to answer the customer.`,
    inboxOne: (blocks, id) => `💬 ${blocks}\n\nTo answer: reply to this message, or /reply #${id} your text`,
  },
  alerts: {
    causes: {
      complaint: '⚠️ Complaint',
      refund: '⚠️ Refund request',
      negative: '⚠️ Unhappy or hesitating customer: step in',
      churn: '⚠️ Churn risk: the customer may not renew or may switch supplier',
      high_intent: '🔥 Hot lead: asking for a quote or contract',
      urgent: '⏱ Urgent request',
      sla: '⏰ Customer waiting for an answer past the SLA',
    },
    names: {
      complaint: 'complaint',
      refund: 'refund',
      churn: 'churn risk',
      negative: 'unhappy',
      urgent: 'urgent',
      high_intent: 'hot lead',
      sla: 'past the SLA',
    },
    several: (names) => `⚠️ ${names}`,
    text: (cause, id, name, quote) =>
      `${cause}: #${id} ${name}${quote ? `\n"${quote}"` : ''}\nSee /show #${id}`,
    hotLeads: (count, lines) => `🔥 ${count} new hot lead(s):\n${lines}\nAll hot leads: /mine`,
    stopContact: (id, name, quote) =>
      `🔕 The customer seems to ask not to be contacted: #${id} ${name}${quote ? `\n"${quote}"` : ''}\nSet do-not-contact: /dnc #${id} on\nLeave it: /dnc #${id} off`,
  },
  duplicates: {
    signals: {
      phone: 'same phone',
      email: 'same email',
      name_company: 'same name and company',
      stated_phone: 'phone stated in a message',
    },
    notice: (p, why) =>
      `⚠️ Possibly the same customer (${p.score}, ${why}): #${p.aId} ${p.aName} and #${p.bId} ${p.bName}\nMerge: /merge #${p.aId} #${p.bId} · not the same: /dupes dismiss #${p.aId} #${p.bId}`,
  },
  reminder: (text, who, notice) => `⏰ Reminder: ${text}${who}${notice ? ` (${notice})` : ''}`,
  stopped: {
    digest: (id, kind, platform) =>
      `Digest subscription #${id} (${kind}, ${platform}) was stopped: its subscriber left or is no longer a manager or above. A current manager may subscribe the group again.`,
    sop: (name, id) =>
      `SOP "${name}" #${id} was stopped: its creator left or is no longer a manager or above. A current manager may create it again.`,
  },
  sop: {
    why: {
      wecom_template: 'a WeCom contact: send it from WeCom',
      frequency_cap: 'the outreach frequency cap was reached, so it was not sent',
      no_channel: 'no channel to send it automatically',
      outside_window: 'outside the platform’s messaging window',
    },
    send: (name, step, text, why) =>
      `SOP "${name}" step ${step}, send the customer: ${text}${why ? ` (${why})` : ''}`,
    task: (name, step, text) => `SOP "${name}" step ${step}: ${text}`,
  },
  cardRefused: 'That customer is outside what you may act on; nothing was changed.',
  cardOutdated: 'This button is outdated; nothing was changed. Open the customer card again.',
};

export const notices = { zh, en };
