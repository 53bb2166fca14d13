import { stageName } from '../customers/stages.ts';
import { CHURN_FLAG } from '../intelligence/insights.ts';
import { contactable } from '../privacy/do-not-contact.ts';
import { ago } from '../time/format.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';

const SHOWN = 20;

/** `/mine 我的客户`: my customers, most recently in contact first. */
export const mineCommand: Command = {
  name: 'mine',
  aliases: ['我的客户'],
  usage: { zh: '/mine 我的客户', en: '/mine' },
  summary: { zh: '我负责的客户', en: 'customers I own' },
  hints: ['我的客户', 'my customers'],
  async run(ctx) {
    const rows = await myCustomers(ctx, null);
    if (rows.total === 0) return ctx.lang === 'zh' ? '你还没有负责的客户。' : 'You own no customers yet.';
    const head = ctx.lang === 'zh' ? `你负责 ${rows.total} 位客户：` : `You own ${rows.total} customer(s):`;
    return [head, ...rows.lines, ...more(ctx, rows.total)].join('\n');
  },
};

/** `/stale 未跟进 [days]`: my customers not contacted (either way) for that many days, default 30. */
export const staleCommand: Command = {
  name: 'stale',
  aliases: ['未跟进'],
  usage: { zh: '/stale 未跟进 [天数]', en: '/stale [days]' },
  summary: { zh: '很久没联系的客户（默认30天）', en: 'customers not contacted lately (30 days)' },
  hints: ['未跟进', '没联系', 'stale'],
  async run(ctx) {
    const days = ctx.args ? Number(ctx.args.replace(/[天日d]$/i, '')) : 30;
    if (!Number.isInteger(days) || days < 1 || days > 3650) return usage(ctx, this.usage[ctx.lang]);
    const rows = await myCustomers(ctx, ctx.deps.clock.now() - days * 86_400_000);
    if (rows.total === 0) {
      return ctx.lang === 'zh'
        ? `没有超过 ${days} 天未跟进的客户。`
        : `No customer of yours waits more than ${days} days.`;
    }
    const head =
      ctx.lang === 'zh'
        ? `${rows.total} 位客户超过 ${days} 天未跟进（最久的在前）：`
        : `${rows.total} customer(s) not contacted for over ${days} days (longest first):`;
    return [head, ...rows.lines, ...more(ctx, rows.total)].join('\n');
  },
};

/** The asker's customers (all, or those last contacted before `staleBefore`), with the count. */
async function myCustomers(ctx: CommandContext, staleBefore: number | null) {
  const { db, clock, org } = ctx.deps;
  let q = db
    .selectFrom('customers')
    .where('owner_staff_id', '=', ctx.staff.id)
    .where('merged_into_id', 'is', null);
  if (staleBefore !== null) {
    // A list of whom to follow up: not those who asked not to be contacted.
    q = q
      .where(contactable)
      .where((eb) =>
        eb.or([
          eb('last_contact_at', '<', staleBefore),
          eb.and([eb('last_contact_at', 'is', null), eb('first_contact_at', '<', staleBefore)]),
        ]),
      );
  }
  const total = Number(
    (await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await q
    .select(['id', 'display_name', 'company', 'stage', 'last_contact_at', 'churn_risk', 'value_tier'])
    .orderBy('last_contact_at', (ob) =>
      staleBefore === null ? ob.desc().nullsLast() : ob.asc().nullsFirst(),
    )
    .orderBy('id')
    .limit(SHOWN)
    .execute();
  const now = clock.now();
  const lines = rows.map((r) =>
    [
      `#${r.id} ${r.display_name}`,
      r.company,
      stageName(org.stages, r.stage, ctx.lang),
      ago(r.last_contact_at, now, ctx.lang),
      r.value_tier === 'key' ? (ctx.lang === 'zh' ? '重点客户' : 'key account') : null,
      r.churn_risk >= CHURN_FLAG
        ? ctx.lang === 'zh'
          ? `⚠️流失风险${r.churn_risk}`
          : `⚠️churn risk ${r.churn_risk}`
        : null,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  return { total, lines };
}

const more = (ctx: CommandContext, total: number): string[] =>
  total > SHOWN
    ? [ctx.lang === 'zh' ? `……另有 ${total - SHOWN} 位未列出。` : `…and ${total - SHOWN} more.`]
    : [];
