import type { Lang } from '../i18n.ts';
import { listQuickReplies, MAX_QUICK_REPLY_CHARS, type QuickReply } from '../quick-replies/quick-replies.ts';
import {
  type RemoveOutcome,
  removeQuickReply,
  type SaveOutcome,
  saveQuickReply,
} from '../quick-replies/store.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';

const LISTED = 30;
const PREVIEW_CHARS = 40;

/**
 * `/quick 快捷 列表 [词]` (or alone): the quick replies (话术库) the asker may send — their team's, the teams' above it,
 * the organisation's — or those whose key or text has the word; `/quick 快捷 添加 <key> <text>`: saves one (managers: for their team; directors and admins: for the
 * organisation), a second add of a key replaces its text; `/quick 快捷 删除 <key|#id>`. Sent as `/reply #12 :key`.
 */
export const quickCommand: Command = {
  name: 'quick',
  aliases: ['快捷', '话术'],
  usage: {
    zh: '/quick 快捷 [列表 [词]] | 添加 <关键词> <内容> | 删除 <关键词>',
    en: '/quick [list [word]] | add <key> <text> | remove <key>',
  },
  summary: { zh: '快捷回复（话术库）', en: 'saved quick replies' },
  hints: ['快捷回复', '话术', 'quick reply'],
  async run(ctx) {
    // `/quick 快捷 …` names the command twice, as the usage line shows it.
    const args = ctx.args.replace(/^(快捷|话术|quick)(?=\s|$)/i, '').trim();
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(args);
    const word = (m?.[1] ?? '').toLowerCase();
    const rest = (m?.[2] ?? '').trim();
    if (!word || LIST.includes(word)) return listAnswer(ctx, rest);
    if (ADD.includes(word)) return addAnswer(ctx, rest, this.usage[ctx.lang]);
    if (REMOVE.includes(word)) return removeAnswer(ctx, rest, this.usage[ctx.lang]);
    return usage(ctx, this.usage[ctx.lang]);
  },
};

const LIST = ['list', 'ls', '列表', '查看'];
const ADD = ['add', 'set', '添加', '新增', '保存'];
const REMOVE = ['remove', 'rm', 'delete', '删除'];

async function listAnswer(ctx: CommandContext, word: string): Promise<string> {
  const t = text[ctx.lang];
  const seen = await listQuickReplies(ctx.deps.db, ctx.actor);
  if (seen.length === 0) return t.none;
  // A long library is searched rather than scrolled: the key or the text has the word, in any letter case.
  const lower = word.replace(/^[:：]/, '').toLowerCase();
  const all = lower ? seen.filter((q) => `${q.key}\n${q.text}`.toLowerCase().includes(lower)) : seen;
  if (all.length === 0) return t.noMatch(word);
  const lines = all.slice(0, LISTED).map((q) => t.line(q.key, owner(q, ctx.lang), q.id, preview(q.text)));
  const more = all.length > LISTED ? [t.more(all.length - LISTED)] : [];
  return [t.listHead, ...lines, ...more, t.listFoot].join('\n');
}

async function addAnswer(ctx: CommandContext, args: string, u: string): Promise<string> {
  const m = /^(\S+)\s+([\s\S]+)$/.exec(args);
  if (!m?.[1] || !m[2]) return usage(ctx, u);
  const outcome = await saveQuickReply(ctx.deps, ctx.actor, { key: m[1], text: m[2] }, ctx.key);
  if (!outcome.ok) return saveRefusal(ctx.lang, outcome.reason);
  const q = outcome.quickReply;
  return text[ctx.lang].saved(q.key, owner(q, ctx.lang), outcome.created);
}

async function removeAnswer(ctx: CommandContext, ref: string, u: string): Promise<string> {
  if (!ref || /\s/.test(ref)) return usage(ctx, u);
  const id = /^#(\d{1,15})$/.exec(ref)?.[1];
  const outcome = await removeQuickReply(ctx.deps, ctx.actor, id ? { id: Number(id) } : { key: ref });
  if (!outcome.ok) return removeRefusal(ctx.lang, ref, outcome.reason);
  const q = outcome.quickReply;
  return text[ctx.lang].removed(q.key, owner(q, ctx.lang));
}

/** Whose it is: the team's name, or the whole organisation. */
const owner = (q: QuickReply, lang: Lang): string => q.teamName ?? text[lang].org;

/** The text's start on one line. */
function preview(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : flat;
}

function saveRefusal(lang: Lang, reason: Extract<SaveOutcome, { ok: false }>['reason']): string {
  const t = text[lang];
  switch (reason) {
    case 'not_allowed':
    case 'unknown_team':
      return t.notAllowed;
    case 'no_team':
      return t.noTeam;
    case 'invalid_key':
      return t.invalidKey;
    case 'empty':
      return t.empty;
    case 'too_long':
      return t.tooLong;
    case 'key_reused':
      return t.keyReused;
  }
}

function removeRefusal(lang: Lang, ref: string, reason: Extract<RemoveOutcome, { ok: false }>['reason']) {
  const t = text[lang];
  switch (reason) {
    case 'not_allowed':
      return t.notAllowed;
    case 'no_team':
      return t.noTeam;
    case 'unknown':
      return t.unknown(ref);
    case 'ambiguous':
      return t.ambiguous(ref);
  }
}

const text: Record<
  Lang,
  {
    none: string;
    noMatch: (word: string) => string;
    org: string;
    listHead: string;
    listFoot: string;
    line: (key: string, owner: string, id: number, preview: string) => string;
    more: (n: number) => string;
    saved: (key: string, owner: string, created: boolean) => string;
    removed: (key: string, owner: string) => string;
    notAllowed: string;
    noTeam: string;
    invalidKey: string;
    empty: string;
    tooLong: string;
    keyReused: string;
    unknown: (ref: string) => string;
    ambiguous: (ref: string) => string;
  }
> = {
  zh: {
    none: '还没有快捷回复。经理可用 /quick 快捷 添加 <关键词> <内容> 为本组添加。',
    noMatch: (w) => `没有含「${w}」的快捷回复。发送 /quick 快捷 列表 查看全部。`,
    org: '全公司',
    listHead: '可用的快捷回复：',
    listFoot: '回复客户时发送 /reply #编号 :关键词，{name} 会换成客户的名字。',
    line: (key, owner, id, preview) => `:${key}（${owner} #${id}）${preview}`,
    more: (n) => `……另有 ${n} 条`,
    saved: (key, owner, created) =>
      `${created ? '已添加' : '已更新'}快捷回复 :${key}（${owner}）。回复客户时发送 /reply #编号 :${key}。`,
    removed: (key, owner) => `已删除快捷回复 :${key}（${owner}）。`,
    notAllowed: '只有经理及以上可以添加或删除快捷回复：经理管理本组（及下级团队）的，总监和管理员管理全部。',
    noTeam: '你不属于任何团队，无法添加团队快捷回复；全公司通用的快捷回复由总监和管理员添加。',
    invalidKey: '关键词最多 20 个字，只能是文字、数字、_ 或 -，例如 price、报价。',
    empty: '请写上快捷回复的内容。',
    tooLong: `快捷回复最长 ${MAX_QUICK_REPLY_CHARS} 字。`,
    keyReused: '这条请求已经保存过另一条快捷回复。',
    unknown: (ref) => `没有你可以删除的快捷回复「${ref}」。发送 /quick 快捷 列表 查看。`,
    ambiguous: (ref) =>
      `多个团队都有快捷回复「${ref}」，请用编号删除，例如 /quick 快捷 删除 #3（编号见列表）。`,
  },
  en: {
    none: 'No quick replies yet. Managers add them for their team with /quick add <key> <text>.',
    noMatch: (w) => `No quick reply has "${w}". Send /quick list to see them all.`,
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
    tooLong: `A quick reply is at most ${MAX_QUICK_REPLY_CHARS} characters.`,
    keyReused: 'This request already saved another quick reply.',
    unknown: (ref) => `No quick reply "${ref}" you may remove. Send /quick list to see them.`,
    ambiguous: (ref) =>
      `Several teams have a quick reply "${ref}"; remove one by number, e.g. /quick remove #3 (see the list).`,
  },
};
