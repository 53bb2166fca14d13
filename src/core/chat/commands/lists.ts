import { messages } from '../../kernel/i18n/index.ts';
import { ago } from '../../kernel/time/format.ts';
import { hotLeads } from '../../reading/intelligence/hot-leads.ts';
import { CHURN_FLAG } from '../../reading/intelligence/insights.ts';
import { stageName } from '../../records/customers/stages.ts';
import { contactable } from '../../records/privacy/do-not-contact.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';

const SHOWN = 20;

/** Hot leads listed at the top of `/mine` at most. */
const HOT_SHOWN = 10;

/** `/mine 我的客户`: my hot leads first (buying intent lately, latest first), then my customers by last contact. */
export const mineCommand: Command = {
  name: 'mine',
  aliases: ['我的客户'],
  ...helpOf('mine'),
  hints: ['我的客户', 'my customers', '高意向', 'hot leads'],
  async run(ctx) {
    const rows = await myCustomers(ctx, null);
    const hot = await hotLeads(ctx.deps, ctx.actor, { limit: HOT_SHOWN });
    const t = messages(ctx.lang).commands.mine;
    if (rows.total === 0 && hot.total === 0) return t.none;
    const hotLines = hot.leads.map((l) =>
      [`#${l.customerId} ${l.name}`, l.company, ago(l.at, ctx.deps.clock.now(), ctx.lang)]
        .filter(Boolean)
        .join(' · '),
    );
    const hotPart =
      hot.total > 0
        ? [
            t.hot(hot.total),
            ...hotLines,
            ...(hot.total > HOT_SHOWN
              ? [messages(ctx.lang).commands.customerList.more(hot.total - HOT_SHOWN)]
              : []),
            '',
          ]
        : [];
    return [...hotPart, t.head(rows.total), ...rows.lines, ...more(ctx, rows.total)].join('\n');
  },
};

/** `/stale 未跟进 [days]`: my customers not contacted (either way) for that many days, default 30. */
export const staleCommand: Command = {
  name: 'stale',
  aliases: ['未跟进'],
  ...helpOf('stale'),
  hints: ['未跟进', '没联系', 'stale'],
  async run(ctx) {
    const days = ctx.args ? Number(ctx.args.replace(/[天日d]$/i, '')) : 30;
    if (!Number.isInteger(days) || days < 1 || days > 3650) return usage(ctx, this.usage[ctx.lang]);
    const rows = await myCustomers(ctx, ctx.deps.clock.now() - days * 86_400_000);
    const t = messages(ctx.lang).commands.stale;
    if (rows.total === 0) return t.none(days);
    return [t.head(rows.total, days), ...rows.lines, ...more(ctx, rows.total)].join('\n');
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
  const t = messages(ctx.lang).commands.customerList;
  const lines = rows.map((r) =>
    [
      `#${r.id} ${r.display_name}`,
      r.company,
      stageName(org.stages, r.stage, ctx.lang),
      ago(r.last_contact_at, now, ctx.lang),
      r.value_tier === 'key' ? t.keyAccount : null,
      r.churn_risk >= CHURN_FLAG ? t.churnRisk(r.churn_risk) : null,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  return { total, lines };
}

const more = (ctx: CommandContext, total: number): string[] =>
  total > SHOWN ? [messages(ctx.lang).commands.customerList.more(total - SHOWN)] : [];
