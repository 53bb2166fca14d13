import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { audit } from '../audit.ts';
import { stageName } from '../customers/stages.ts';
import { type HandoverRefusal, handOverCustomers, handoverRefusal } from '../handover/transfer.ts';
import type { Lang } from '../i18n.ts';
import { holdsContactData, maskTextFor } from '../permissions/mask.ts';
import { mayUnmask, viewerOf } from '../permissions/scope.ts';
import type { StageDefinition } from '../runtime.ts';
import { messageToStaff } from '../staff/notify.ts';
import { ago } from '../time/format.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { staffOrReply } from './staff-arg.ts';

const BRIEFED = 50;
/** Characters of the latest note a brief line quotes. */
const NOTE_CHARS = 60;

/**
 * `/handover 交接 <from> <to> [离职]`: every customer of one rep to another, with a short brief per customer to the
 * successor; on WeCom the contacts are transferred too (在职继承, or 离职继承 when the rep has left).
 */
export const handoverCommand: Command = {
  name: 'handover',
  aliases: ['交接'],
  usage: { zh: '/handover 交接 <原负责人> <接手人> [离职]', en: '/handover <from> <to> [resigned]' },
  summary: { zh: '把一位员工的客户全部交接给另一位', en: "hand all of one rep's customers to another" },
  hints: ['交接', '离职', 'handover'],
  async run(ctx) {
    const [fromRef, toRef, flag] = ctx.args.split(/\s+/).filter(Boolean);
    if (!fromRef || !toRef) return usage(ctx, this.usage[ctx.lang]);
    if (ctx.viewer.role === 'rep') return refusals[ctx.lang].not_allowed;
    const from = await staffOrReply(ctx, fromRef);
    if (!from.staff) return from.reply;
    const to = await staffOrReply(ctx, toRef);
    if (!to.staff) return to.reply;
    const { db } = ctx.deps;
    // Asked before the brief is read: it lists the customers of someone the asker may not manage.
    const refused = await handoverRefusal(ctx.deps, ctx.actor, from.staff.id, to.staff.id);
    if (refused) return refusals[ctx.lang][refused];
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
    if ('refused' in outcome) return refusals[ctx.lang][outcome.refused];
    for (const action of outcome.actions) ctx.queue(action);
    if (brief.total > 0) {
      const text = {
        zh: briefText('zh', from.staff.name, brief),
        en: briefText('en', from.staff.name, brief),
      };
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
    return ctx.lang === 'zh'
      ? `已把 ${from.staff.name} 的 ${outcome.reassigned} 位客户交接给 ${to.staff.name}${platform ? `；平台转接：${platform}` : ''}。交接简报已发给 ${to.staff.name}。`
      : `${outcome.reassigned} customer(s) of ${from.staff.name} now belong to ${to.staff.name}${platform ? `; platform transfers: ${platform}` : ''}. ${to.staff.name} got a brief.`;
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
      note ? `${lang === 'zh' ? '最近跟进' : 'last note'}: ${note}` : null,
    ]
      .filter(Boolean)
      .join(' · ');
  };
  return {
    total: customers.length,
    lines: { zh: shown.map(line('zh')), en: shown.map(line('en')) },
    unmasked,
  };
}

function briefText(lang: Lang, fromName: string, brief: Brief): string {
  const head =
    lang === 'zh'
      ? `交接简报：${fromName} 的 ${brief.total} 位客户已交给你。`
      : `Handover brief: ${brief.total} customer(s) of ${fromName} are now yours.`;
  const more =
    brief.total > BRIEFED
      ? [
          lang === 'zh'
            ? `……另有 ${brief.total - BRIEFED} 位，发送 /mine 查看全部。`
            : `…and ${brief.total - BRIEFED} more: send /mine.`,
        ]
      : [];
  return [head, ...brief.lines[lang], ...more].join('\n');
}

const refusals: Record<Lang, Record<HandoverRefusal, string>> = {
  zh: {
    same: '原负责人和接手人是同一个人。',
    not_allowed: '只有经理及以上可以交接客户。',
    out_of_reach: '只能在你管理的员工之间交接。',
  },
  en: {
    same: 'That is the same person.',
    not_allowed: 'Only managers and above hand customers over.',
    out_of_reach: 'You can only hand over between staff you manage.',
  },
};
