import type { Lang } from '../../kernel/i18n/index.ts';

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
