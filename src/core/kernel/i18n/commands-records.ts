import type { Messages } from './catalogue.ts';

/** Commands that change a customer's record: stage, owner, reminders, do-not-contact, merges, handovers. */
const zh = {
  stage: {
    usage: '/stage 阶段 <客户> <阶段>',
    summary: '设置客户阶段',
    unknown: (typed: string, choices: string) => `没有「${typed}」这个阶段。可选：${choices}`,
    already: (who: string, stage: string) => `${who} 已经是「${stage}」阶段。`,
    moved: (who: string, from: string, to: string) => `${who}：${from} → ${to}`,
  },
  assign: {
    usage: '/assign 分配 <客户> <员工>',
    summary: '分配客户负责人',
    outOfReach: (staff: string, rep: boolean) =>
      `你不能把客户分配给 ${staff}：只能分配给你管理范围内的员工${rep ? '（销售只能分配给自己）' : ''}。`,
    already: (who: string, staff: string) => `${who} 的负责人已经是 ${staff}。`,
    done: (who: string, staff: string) => `已把 ${who} 分配给 ${staff}。`,
  },
  remind: {
    usage: '/remind 提醒 [客户] <时间> <内容>',
    summary: '到时提醒我（明天下午3点、周五、12月20号、2小时后）',
    badTime: (help: string) =>
      `看不懂提醒时间。例如：/remind 王芳 明天下午3点 回电、/remind 周五10点半 报价、/remind 12月20号 续约、/remind 2小时后 跟进\n${help}`,
    noText: (help: string) => `请写上提醒内容。\n${help}`,
    /** `about`: the customer (`#12 王芳`), or empty. */
    set: (at: string, text: string, about: string) =>
      `好的，${at} 提醒你：${text}${about ? `（${about}）` : ''}`,
    refusals: {
      not_staff: '只有员工可以设置提醒。',
      in_the_past: '这个时间已经过去了，请给一个将来的时间。',
      too_far: '提醒最多设在一年以内。',
    },
  },
  dnc: {
    usage: '/dnc 免打扰 <客户> 开|关',
    summary: '客户要求勿联系（免打扰）',
    state: (who: string, set: boolean) =>
      `${who}：${set ? '已设为免打扰（客户要求勿联系）' : '未设免打扰'}。`,
    set: (who: string) => `已将 ${who} 设为免打扰：不再自动回复，不出现在跟进名单里。`,
    cleared: (who: string) => `已取消 ${who} 的免打扰。`,
  },
  dupes: {
    usage: '/dupes 重复 [客户] · /dupes 忽略 <客户> <客户>',
    summary: '可能重复的客户',
    noneFor: (who: string) => `${who} 没有待处理的重复建议。`,
    headFor: (who: string) => `${who} 可能的重复客户：`,
    noneOfYours: '你名下的客户没有待处理的重复建议（公海客户的：/dupes <客户>）。',
    none: '没有待处理的重复客户建议。',
    headOfYours: '你名下客户可能的重复（按可能性排序）：',
    head: '可能重复的客户（按可能性排序）：',
    dismissUsage: '/dupes 忽略 <客户> <客户>',
    noPair: (a: number, b: number) => `#${a} 与 #${b} 之间没有待处理的重复建议。`,
    dismissed: (a: string, b: string) => `已忽略：${a} 与 ${b} 不再被建议合并。`,
    evidenceSep: '；',
    footer: '合并：/merge <客户> <客户> · 不是同一人：/dupes 忽略 <客户> <客户>',
  },
  merge: {
    usage: '/merge 合并 <保留的客户> <并入的客户> [确认]',
    summary: '合并重复的客户（先预览）',
    same: '这是同一位客户。',
    how: (kept: number, merged: number) =>
      `确认合并请发送：/merge #${kept} #${merged} 确认（之后可用 /unmerge #${kept} 撤销）`,
    merged: (merged: string, kept: string, mergeId: number, keptId: number) =>
      `已将 ${merged} 合并到 ${kept}（合并 #${mergeId}）。撤销：/unmerge #${keptId}`,
    already: (mergeId: number) => `这两位客户已经合并过了（合并 #${mergeId}）。`,
    busy: '其中一位客户正在被合并，请稍后再试。',
    gone: '其中一位客户已不存在或已被合并。',
  },
  unmerge: {
    usage: '/unmerge 取消合并 <客户|合并#编号>',
    summary: '撤销客户合并',
    notFound: (ref: string) => `没有找到「${ref}」的合并记录。`,
    undone: (mergeId: number, mergedId: number, survivorId: number) =>
      `已撤销合并 #${mergeId}：#${mergedId} 与 #${survivorId} 恢复为两位客户。`,
    notApplied: (mergeId: number) => `合并 #${mergeId} 已经撤销过了。`,
    blocked: (survivorId: number, by: number) =>
      `#${survivorId} 之后又被合并了（合并 #${by}），请先撤销那次合并。`,
  },
  handover: {
    usage: '/handover 交接 <原负责人> <接手人> [离职]',
    summary: '把一位员工的客户全部交接给另一位',
    /** `transfers`: the platforms' own transfers (`wecom 3`), or empty. */
    done: (from: string, count: number, to: string, transfers: string) =>
      `已把 ${from} 的 ${count} 位客户交接给 ${to}${transfers ? `；平台转接：${transfers}` : ''}。交接简报已发给 ${to}。`,
    lastNote: (note: string) => `最近跟进: ${note}`,
    briefHead: (from: string, total: number) => `交接简报：${from} 的 ${total} 位客户已交给你。`,
    briefMore: (n: number) => `……另有 ${n} 位，发送 /mine 查看全部。`,
    /** The model's lines on top of the brief, where an LLM is configured. */
    aiHead: 'AI 摘要：',
    /** Customer groups handed over with a departed member's customers (离职继承 of groups). */
    groups: (n: number) => `另有 ${n} 个客户群正在转给接手人，结果会另行通知。`,
    groupsFailed: (from: string, to: string, done: number, failed: number, why: string) =>
      `${from} 的客户群交接给 ${to}：成功 ${done} 个，未成功 ${failed} 个（${why}）。`,
    /** To the departed member's manager (or the admins): their book, and the one command to hand it over. */
    /** `ref`: how /handover names the departed member (`wecom:zhangsan`). */
    departed: (who: string, customers: number, groups: number, list: string, ref: string) =>
      `${who} 已离职，留下 ${customers} 位客户、${groups} 个客户群待继承。${list ? `\n${list}` : ''}\n交接：/handover ${ref} <接手人> 离职`,
    departedMore: (n: number) => `……另有 ${n} 位客户`,
    refusals: {
      same: '原负责人和接手人是同一个人。',
      not_allowed: '只有经理及以上可以交接客户。',
      out_of_reach: '只能在你管理的员工之间交接。',
    },
  },
};

const en: Messages<typeof zh> = {
  stage: {
    usage: '/stage <customer> <stage>',
    summary: 'set the lifecycle stage',
    unknown: (typed, choices) => `There is no stage "${typed}". Stages: ${choices}`,
    already: (who, stage) => `${who} is already at "${stage}".`,
    moved: (who, from, to) => `${who}: ${from} → ${to}`,
  },
  assign: {
    usage: '/assign <customer> <rep>',
    summary: 'give a customer an owner',
    outOfReach: (staff, rep) =>
      `You cannot assign customers to ${staff}: only to staff you manage${rep ? ' (reps only to themselves)' : ''}.`,
    already: (who, staff) => `${staff} already owns ${who}.`,
    done: (who, staff) => `${who} now belongs to ${staff}.`,
  },
  remind: {
    usage: '/remind [customer] <when> <text>',
    summary: 'remind me (tomorrow 3pm, friday, Dec 20, in 2h)',
    badTime: (help) =>
      `I could not read the time. E.g. /remind Wang tomorrow 3pm call back, /remind friday at 10:30 quote, /remind 12/20 renew, /remind in 2 hours follow up\n${help}`,
    noText: (help) => `Say what to remind you of.\n${help}`,
    set: (at, text, about) => `OK, I will remind you at ${at}: ${text}${about ? ` (${about})` : ''}`,
    refusals: {
      not_staff: 'Only staff set reminders.',
      in_the_past: 'That time has passed; give one in the future.',
      too_far: 'Reminders can be at most a year ahead.',
    },
  },
  dnc: {
    usage: '/dnc <customer> on|off',
    summary: 'the customer asked not to be contacted',
    state: (who, set) => `${who}: ${set ? 'do not contact (the customer asked)' : 'may be contacted'}.`,
    set: (who) => `${who} is now do-not-contact: no automatic replies, off the follow-up lists.`,
    cleared: (who) => `${who} may be contacted again.`,
  },
  dupes: {
    usage: '/dupes [customer] · /dupes dismiss <customer> <customer>',
    summary: 'likely duplicate customers',
    noneFor: (who) => `No open duplicate suggestions for ${who}.`,
    headFor: (who) => `Possible duplicates of ${who}:`,
    noneOfYours:
      'None of your customers has an open duplicate suggestion (a pool customer’s: /dupes <customer>).',
    none: 'No open duplicate suggestions.',
    headOfYours: 'Likely duplicates of your customers (strongest first):',
    head: 'Likely duplicates (strongest first):',
    dismissUsage: '/dupes dismiss <customer> <customer>',
    noPair: (a, b) => `There is no open duplicate suggestion between #${a} and #${b}.`,
    dismissed: (a, b) => `Dismissed: ${a} and ${b} will not be suggested again.`,
    evidenceSep: '; ',
    footer: 'Merge: /merge <customer> <customer> · not the same person: /dupes dismiss <customer> <customer>',
  },
  merge: {
    usage: '/merge <customer to keep> <customer to merge in> [confirm]',
    summary: 'merge duplicate customers (preview first)',
    same: 'That is the same customer twice.',
    how: (kept, merged) =>
      `To merge, send: /merge #${kept} #${merged} confirm (undo later with /unmerge #${kept})`,
    merged: (merged, kept, mergeId, keptId) =>
      `Merged ${merged} into ${kept} (merge #${mergeId}). Undo: /unmerge #${keptId}`,
    already: (mergeId) => `These two are already merged (merge #${mergeId}).`,
    busy: 'One of them is being merged right now; try again in a moment.',
    gone: 'One of them no longer exists or was merged already.',
  },
  unmerge: {
    usage: '/unmerge <customer | merge#id>',
    summary: 'undo a customer merge',
    notFound: (ref) => `No merge found for "${ref}".`,
    undone: (mergeId, mergedId, survivorId) =>
      `Undid merge #${mergeId}: #${mergedId} and #${survivorId} are two customers again.`,
    notApplied: (mergeId) => `Merge #${mergeId} was undone already.`,
    blocked: (survivorId, by) => `#${survivorId} was merged again since (merge #${by}); undo that one first.`,
  },
  handover: {
    usage: '/handover <from> <to> [resigned]',
    summary: "hand all of one rep's customers to another",
    done: (from, count, to, transfers) =>
      `${count} customer(s) of ${from} now belong to ${to}${transfers ? `; platform transfers: ${transfers}` : ''}. ${to} got a brief.`,
    lastNote: (note) => `last note: ${note}`,
    briefHead: (from, total) => `Handover brief: ${total} customer(s) of ${from} are now yours.`,
    briefMore: (n) => `…and ${n} more: send /mine.`,
    aiHead: 'AI summary:',
    groups: (n) => `${n} customer group(s) are being handed to the successor too; you will hear how it went.`,
    groupsFailed: (from, to, done, failed, why) =>
      `Customer groups of ${from} to ${to}: ${done} handed over, ${failed} not (${why}).`,
    departed: (who, customers, groups, list, ref) =>
      `${who} has left: ${customers} customer(s) and ${groups} customer group(s) await a successor.${list ? `\n${list}` : ''}\nTo hand them over: /handover ${ref} <successor> resigned`,
    departedMore: (n) => `…and ${n} more customer(s)`,
    refusals: {
      same: 'That is the same person.',
      not_allowed: 'Only managers and above hand customers over.',
      out_of_reach: 'You can only hand over between staff you manage.',
    },
  },
};

export const recordCommands = { zh, en };
