import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { handoverBriefV1 } from '../../../../prompts/index.ts';
import { audit } from '../../kernel/audit.ts';
import { inEach, type Lang, messages } from '../../kernel/i18n/index.ts';
import { summarizeFenced } from '../../kernel/llm-summary.ts';
import { holdsContactData, maskTextFor } from '../../kernel/permissions/mask.ts';
import { mayUnmask, viewerOf } from '../../kernel/permissions/scope.ts';
import type { CoreDeps, StageDefinition } from '../../kernel/runtime.ts';
import { ago } from '../../kernel/time/format.ts';
import { maskSensitive } from '../../reading/intelligence/mask-text.ts';
import { stageName } from '../../records/customers/stages.ts';
import { handOverCustomers, handoverRefusal } from '../../records/staff/handover.ts';
import { messageToStaff } from '../../records/staff/notify.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { staffOrReply } from './staff-arg.ts';

const BRIEFED = 50;
const BRIEF_TIMEOUT_MS = 15_000;
/** Characters of the latest note a brief line quotes. */
const NOTE_CHARS = 60;

/**
 * `/handover 交接 <from> <to> [离职]`: every customer of one rep to another, with a short brief per customer to the
 * successor; on WeCom the contacts are transferred too (在职继承, or 离职继承 when the rep has left).
 */
export const handoverCommand: Command = {
  name: 'handover',
  aliases: ['交接'],
  ...helpOf('handover'),
  hints: ['交接', '离职', 'handover'],
  async run(ctx) {
    const [fromRef, toRef, flag] = ctx.args.split(/\s+/).filter(Boolean);
    if (!fromRef || !toRef) return usage(ctx, this.usage[ctx.lang]);
    const t = messages(ctx.lang).commands.handover;
    if (ctx.viewer.role === 'rep') return t.refusals.not_allowed;
    const from = await staffOrReply(ctx, fromRef);
    if (!from.staff) return from.reply;
    const to = await staffOrReply(ctx, toRef);
    if (!to.staff) return to.reply;
    const { db } = ctx.deps;
    // Asked before the brief is read: it lists the customers of someone the asker may not manage.
    const refused = await handoverRefusal(ctx.deps, ctx.actor, from.staff.id, to.staff.id);
    if (refused) return t.refusals[refused];
    const successor = viewerOf({ id: to.staff.id, role: to.staff.role, team_id: to.staff.teamId });
    const brief = await briefOf(
      db,
      from.staff.id,
      ctx.deps.org.stages,
      ctx.deps.clock.now(),
      mayUnmask(successor),
    );
    const resigned = flag !== undefined && /^(离职|resigned|left)$/i.test(flag);
    const outcome = await handOverCustomers(
      ctx.deps,
      { fromStaffId: from.staff.id, toStaffId: to.staff.id, resigned, actor: ctx.actor },
      ctx.key,
    );
    if ('refused' in outcome) return t.refusals[outcome.refused];
    for (const action of outcome.actions) ctx.queue(action);
    if (brief.total > 0) {
      const ai = await aiBrief(ctx.deps, briefText(ctx.lang, from.staff.name, brief), to.staff.id, ctx.lang);
      const text = (lang: Lang) => briefText(lang, from.staff.name, brief, ai);
      const sent = await messageToStaff(ctx.deps, to.staff.id, text, `${ctx.key}:brief`);
      for (const send of sent) ctx.queue(send);
      if (sent.length > 0 && brief.unmasked.length > 0) {
        // The successor read notes holding phones or emails whole: audited as they are in /show.
        await audit(db, ctx.deps.clock.now(), {
          actorKind: 'system',
          actorStaffId: to.staff.id,
          action: 'customer.unmasked_read',
          subjectKind: 'customer',
          subjectId: brief.unmasked.join(','),
          detail: { brief: 'handover' },
          via: ctx.chat.platform,
        });
      }
    }
    const platform = Object.entries(outcome.platformTransfers)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    const groups = Object.values(outcome.platformGroups).reduce((a, n) => a + n, 0);
    const done = t.done(from.staff.name, outcome.reassigned, to.staff.name, platform);
    return groups > 0 ? `${done}\n${t.groups(groups)}` : done;
  },
};

interface Brief {
  total: number;
  lines: Record<Lang, string[]>;
  /** Customers whose note was shown with a phone, email or ID number whole. */
  unmasked: number[];
}

/** One line per customer: who, stage, tags, last contact, the latest follow-up note (masked unless `unmask`). */
async function briefOf(
  db: Kysely<Database>,
  staffId: number,
  stages: StageDefinition[],
  now: number,
  unmask: boolean,
): Promise<Brief> {
  const customers = await db
    .selectFrom('customers')
    .select(['id', 'display_name', 'company', 'stage', 'last_contact_at'])
    .where('owner_staff_id', '=', staffId)
    .where('merged_into_id', 'is', null)
    .orderBy('last_contact_at', (ob) => ob.desc().nullsLast())
    .execute();
  const shown = customers.slice(0, BRIEFED);
  const ids = shown.map((c) => c.id);
  const [tags, notes] = ids.length
    ? await Promise.all([
        db
          .selectFrom('customer_tags')
          .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
          .select(['customer_tags.customer_id', 'tags.name'])
          .where('customer_tags.customer_id', 'in', ids)
          .execute(),
        db
          .selectFrom('notes')
          .select(['customer_id', 'body', 'created_at'])
          .where('customer_id', 'in', ids)
          .orderBy('created_at', 'desc')
          .execute(),
      ])
    : [[], []];
  const unmasked: number[] = [];
  const latest = new Map<number, string>();
  for (const c of shown) {
    const body = notes.find((n) => n.customer_id === c.id)?.body;
    if (body === undefined) continue;
    // Masked before it is shortened, so a cut can never leave a phone half whole.
    const note = maskTextFor(unmask, body).text.slice(0, NOTE_CHARS);
    if (unmask && holdsContactData(note)) unmasked.push(c.id);
    latest.set(c.id, note);
  }
  const line = (lang: Lang) => (c: (typeof shown)[number]) => {
    const t = tags.filter((x) => x.customer_id === c.id).map((x) => x.name);
    const note = latest.get(c.id);
    return [
      `#${c.id} ${c.display_name}`,
      c.company,
      stageName(stages, c.stage, lang),
      t.length ? t.join('/') : null,
      ago(c.last_contact_at, now, lang),
      note ? messages(lang).commands.handover.lastNote(note) : null,
    ]
      .filter(Boolean)
      .join(' · ');
  };
  return {
    total: customers.length,
    lines: inEach((lang) => shown.map(line(lang))),
    unmasked,
  };
}

/**
 * A few lines on top of the brief where an LLM is configured: whom to call first and why, from the brief's own lines
 * (phones, emails and ids masked even for a successor who may see them), inside a fence. The brief goes without
 * them when the model fails or times out.
 */
function aiBrief(deps: CoreDeps, text: string, successorId: number, lang: Lang): Promise<string | undefined> {
  return summarizeFenced(deps, {
    purpose: 'handover_brief',
    prompt: handoverBriefV1,
    // Masked whatever the successor may see: phones and emails never leave for the model.
    text: maskSensitive(text),
    lang,
    staffId: successorId,
    maxLines: 5,
    maxChars: 800,
    timeoutMs: BRIEF_TIMEOUT_MS,
  });
}

/** The brief: its head, the model's lines where there are any, then one line per customer. */
function briefText(lang: Lang, fromName: string, brief: Brief, ai?: string): string {
  const t = messages(lang).commands.handover;
  const more = brief.total > BRIEFED ? [t.briefMore(brief.total - BRIEFED)] : [];
  const summary = ai ? [t.aiHead, ai, ''] : [];
  return [t.briefHead(fromName, brief.total), ...summary, ...brief.lines[lang], ...more].join('\n');
}
