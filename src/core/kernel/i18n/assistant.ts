import type { Messages } from './catalogue.ts';

/** What the LLM assistant says to staff (its prompt, for the model, is in prompts/). */
const zh = {
  plan: (commands: string[], customers: string[], minutes: number) =>
    [
      `我将执行${customers.length ? `（${customers.join('、')}）` : ''}：`,
      ...commands,
      `回复「确认」执行，「取消」放弃（${minutes} 分钟内有效）。`,
    ].join('\n'),
  planTitle: '待确认的操作',
  confirmButton: '确认执行',
  cancelButton: '取消',
  nothingPending: '没有待确认的操作。',
  expired: '这项操作已过期，未执行。请重新告诉我要做什么。',
  alreadyDecided: '这项操作已处理过，未重复执行。',
  cancelled: '已取消，未做任何更改。',
  appliedTitle: '已执行',
  cancelledTitle: '已取消',
  notUnderstood: '没太明白你的意思。可以换个说法，或发送 /help 查看命令。',
  privateOnly: '为保护客户信息，请私聊我使用智能助手。',
  tooMany: (max: number) => `一次最多处理 ${max} 项操作，请分几次告诉我。`,
  unavailable: (usage: string | null) =>
    `智能助手暂时不可用，请直接使用命令${usage ? `：${usage}` : '。'}\n发送 /help 查看全部命令。`,
};

const en: Messages<typeof zh> = {
  plan: (commands, customers, minutes) =>
    [
      `I will run${customers.length ? ` (${customers.join(', ')})` : ''}:`,
      ...commands,
      `Reply "yes" to apply or "cancel" to drop it (valid for ${minutes} minutes).`,
    ].join('\n'),
  planTitle: 'Confirm these changes',
  confirmButton: 'Confirm',
  cancelButton: 'Cancel',
  nothingPending: 'There is nothing waiting for your confirmation.',
  expired: 'That request expired and was not applied. Tell me again what to do.',
  alreadyDecided: 'That request was handled already; nothing was done twice.',
  cancelled: 'Cancelled; nothing was changed.',
  appliedTitle: 'Applied',
  cancelledTitle: 'Cancelled',
  notUnderstood: "I didn't quite get that. Try other words, or send /help to see the commands.",
  privateOnly: 'To protect customer data, talk to the assistant in a private chat with me.',
  tooMany: (max) => `I handle at most ${max} actions at a time; ask in several messages.`,
  unavailable: (usage) =>
    `The assistant is unavailable right now; use a command instead${usage ? `: ${usage}` : '.'}\nSend /help to see them all.`,
};

export const assistant = { zh, en };
