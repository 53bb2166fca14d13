import type { Lang } from '../i18n.ts';

/** What the assistant says, in the staff member's language. */
export interface AssistantTexts {
  plan: (commands: string[], customers: string[], minutes: number) => string;
  planTitle: string;
  confirmButton: string;
  cancelButton: string;
  nothingPending: string;
  expired: string;
  alreadyDecided: string;
  cancelled: string;
  appliedTitle: string;
  cancelledTitle: string;
  notUnderstood: string;
  privateOnly: string;
  tooMany: (max: number) => string;
  unavailable: (usage: string | null) => string;
}

export const assistantTexts: Record<Lang, AssistantTexts> = {
  zh: {
    plan: (commands, customers, minutes) =>
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
    tooMany: (max) => `一次最多处理 ${max} 项操作，请分几次告诉我。`,
    unavailable: (usage) =>
      `智能助手暂时不可用，请直接使用命令${usage ? `：${usage}` : '。'}\n发送 /help 查看全部命令。`,
  },
  en: {
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
  },
};

const CONFIRM = new Set([
  '确认',
  '确定',
  '是',
  '是的',
  '好',
  '好的',
  '执行',
  'yes',
  'y',
  'ok',
  'okay',
  'confirm',
]);
const CANCEL = new Set(['取消', '不', '不要', '否', '算了', 'cancel', 'no', 'n']);

/** Whether a whole message confirms or cancels the pending request ("确认", "yes", "取消"…), or neither. */
export function decisionOf(text: string): 'confirm' | 'cancel' | null {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/[\s。.!！~～,，]+$/u, '');
  if (CONFIRM.has(word)) return 'confirm';
  if (CANCEL.has(word)) return 'cancel';
  return null;
}

/** The language to answer in: Chinese when the person typed Chinese, else their platform language. */
export function answerLanguage(text: string, staffLang: Lang): Lang {
  return /[\u3400-\u9fff]/.test(text) ? 'zh' : staffLang;
}
