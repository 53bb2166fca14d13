import { type Lang, messages } from '../../kernel/i18n/index.ts';
import {
  listQuickReplies,
  MAX_QUICK_REPLY_CHARS,
  type QuickReply,
} from '../../records/quick-replies/quick-replies.ts';
import {
  type RemoveOutcome,
  removeQuickReply,
  type SaveOutcome,
  saveQuickReply,
} from '../../records/quick-replies/store.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';

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
  ...helpOf('quick'),
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
  const t = messages(ctx.lang).commands.quick;
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
  return messages(ctx.lang).commands.quick.saved(q.key, owner(q, ctx.lang), outcome.created);
}

async function removeAnswer(ctx: CommandContext, ref: string, u: string): Promise<string> {
  if (!ref || /\s/.test(ref)) return usage(ctx, u);
  const id = /^#(\d{1,15})$/.exec(ref)?.[1];
  const outcome = await removeQuickReply(ctx.deps, ctx.actor, id ? { id: Number(id) } : { key: ref });
  if (!outcome.ok) return removeRefusal(ctx.lang, ref, outcome.reason);
  const q = outcome.quickReply;
  return messages(ctx.lang).commands.quick.removed(q.key, owner(q, ctx.lang));
}

/** Whose it is: the team's name, or the whole organisation. */
const owner = (q: QuickReply, lang: Lang): string => q.teamName ?? messages(lang).commands.quick.org;

/** The text's start on one line. */
function preview(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : flat;
}

function saveRefusal(lang: Lang, reason: Extract<SaveOutcome, { ok: false }>['reason']): string {
  const t = messages(lang).commands.quick;
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
      return t.tooLong(MAX_QUICK_REPLY_CHARS);
    case 'key_reused':
      return t.keyReused;
  }
}

function removeRefusal(lang: Lang, ref: string, reason: Extract<RemoveOutcome, { ok: false }>['reason']) {
  const t = messages(lang).commands.quick;
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
