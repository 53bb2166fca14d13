import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { ago } from '../commands/common.ts';
import { CHURN_FLAG } from '../commands/lists.ts';
import { stageName } from '../customers/stages.ts';
import type { Lang } from '../i18n.ts';
import type { OutboundContent } from '../outbound.ts';
import { customerScope, type Viewer } from '../permissions/scope.ts';
import type { CoreDeps } from '../runtime.ts';

const DAY = 86_400_000;
const LISTED = 5;

/** Whose customers a digest covers: a manager's team subtree, or the whole organisation (null team). */
export interface DigestScope {
  teamId: number | null;
  staffId: number;
}

/**
 * The digest of the last day for a scope, in a language: new customers by platform, messages in and out, customers
 * waiting for an answer (longest first), stale customers, the funnel by stage, and each rep's activity. Customers are
 * named by `#id` so anyone can `/show` them; no phone or email appears.
 */
export async function buildDigest(
  deps: CoreDeps,
  scope: DigestScope,
  lang: Lang,
  staleDays = 30,
): Promise<OutboundContent> {
  const { db, clock, org } = deps;
  const now = clock.now();
  const since = now - DAY;
  const viewer: Viewer = {
    staffId: scope.staffId,
    role: scope.teamId === null ? 'admin' : 'manager',
    teamId: scope.teamId,
  };
  // Everyone in scope: a condition that holds for every row (SQLite binds no booleans).
  const inScope =
    customerScope(db, viewer) ?? ((_: ExpressionBuilder<Database, 'customers'>) => sql<SqlBool>`1 = 1`);
  const customers = () =>
    db.selectFrom('customers').where('customers.merged_into_id', 'is', null).where(inScope);

  const newByPlatform = await customers()
    .select(['customers.source', (eb) => eb.fn.countAll<number>().as('n')])
    .where('customers.first_contact_at', '>=', since)
    .groupBy('customers.source')
    .execute();
  const traffic = await db
    .selectFrom('messages')
    .innerJoin('customers', 'customers.id', 'messages.customer_id')
    .where(inScope)
    .where('messages.sent_at', '>=', since)
    .select(['messages.direction', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('messages.direction')
    .execute();
  const waiting = await customers()
    .select(['customers.id', 'customers.display_name', 'customers.last_inbound_at'])
    .where('customers.last_inbound_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('customers.last_outbound_at', 'is', null),
        eb('customers.last_outbound_at', '<', eb.ref('customers.last_inbound_at')),
      ]),
    )
    .orderBy('customers.last_inbound_at')
    .execute();
  const staleBefore = now - staleDays * DAY;
  const stale = await customers()
    .select(['customers.id', 'customers.display_name', 'customers.last_contact_at'])
    .where((eb) =>
      eb.or([
        eb('customers.last_contact_at', '<', staleBefore),
        eb.and([
          eb('customers.last_contact_at', 'is', null),
          eb('customers.first_contact_at', '<', staleBefore),
        ]),
      ]),
    )
    .orderBy('customers.last_contact_at')
    .execute();
  const hot = await customers()
    .select(['customers.id', 'customers.display_name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('alerts')
          .select('alerts.id')
          .whereRef('alerts.customer_id', '=', 'customers.id')
          .where('alerts.cause', '=', 'high_intent')
          .where('alerts.created_at', '>=', since),
      ),
    )
    .execute();
  const churn = await customers()
    .select(['customers.id', 'customers.display_name', 'customers.churn_risk'])
    .where('customers.churn_risk', '>=', CHURN_FLAG)
    .orderBy('customers.churn_risk', 'desc')
    .orderBy('customers.id')
    .execute();
  const funnel = await customers()
    .select(['customers.stage', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('customers.stage')
    .execute();
  const activity = await db
    .selectFrom('staff')
    .select([
      'staff.display_name',
      (eb) =>
        eb
          .selectFrom('messages')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('messages.author_staff_id', '=', 'staff.id')
          .where('messages.direction', '=', 'out')
          .where('messages.sent_at', '>=', since)
          .as('replies'),
      (eb) =>
        eb
          .selectFrom('notes')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('notes.author_staff_id', '=', 'staff.id')
          .where('notes.created_at', '>=', since)
          .as('notes'),
    ])
    .where('staff.active', '=', 1)
    .where('staff.id', 'in', (eb) =>
      eb
        .selectFrom('customers')
        .select('customers.owner_staff_id')
        .where(inScope)
        .where('customers.owner_staff_id', 'is not', null),
    )
    .orderBy('staff.display_name')
    .execute();

  const zh = lang === 'zh';
  const count = (rows: Array<{ n: number | string | bigint }>) => rows.reduce((s, r) => s + Number(r.n), 0);
  const lines: string[] = [zh ? '📊 客户日报（近24小时）' : '📊 Customer digest (last 24 hours)'];
  const newTotal = count(newByPlatform);
  const byPlatform = newByPlatform.map((r) => `${r.source ?? '—'} ${Number(r.n)}`).join(', ');
  lines.push(`${zh ? '新客户' : 'New customers'}: ${newTotal}${newTotal ? ` (${byPlatform})` : ''}`);
  const inbound = count(traffic.filter((t) => t.direction === 'in'));
  const outbound = count(traffic.filter((t) => t.direction === 'out'));
  lines.push(zh ? `消息：收到 ${inbound}，回复 ${outbound}` : `Messages: ${inbound} in, ${outbound} out`);
  lines.push(`${zh ? '待回复客户' : 'Waiting for a reply'}: ${waiting.length}`);
  for (const w of waiting.slice(0, LISTED))
    lines.push(
      `  #${w.id} ${w.display_name} · ${zh ? '等待' : 'waiting'} ${waitText(now - Number(w.last_inbound_at), lang)}`,
    );
  lines.push(`${zh ? `超过${staleDays}天未跟进` : `Not contacted for ${staleDays}+ days`}: ${stale.length}`);
  for (const s of stale.slice(0, LISTED))
    lines.push(`  #${s.id} ${s.display_name} · ${ago(s.last_contact_at, now, lang)}`);
  lines.push(`${zh ? '高意向客户' : 'Hot leads'}: ${hot.length}`);
  for (const x of hot.slice(0, LISTED)) lines.push(`  #${x.id} ${x.display_name}`);
  lines.push(`${zh ? '流失风险客户' : 'Churn risks'}: ${churn.length}`);
  for (const x of churn.slice(0, LISTED)) lines.push(`  #${x.id} ${x.display_name} · ${x.churn_risk}`);
  const stageCounts = org.stages.map(
    (s) => `${stageName(org.stages, s.key, lang)} ${Number(funnel.find((f) => f.stage === s.key)?.n ?? 0)}`,
  );
  lines.push(`${zh ? '漏斗' : 'Funnel'}: ${stageCounts.join(' → ')}`);
  if (activity.length > 0) {
    lines.push(zh ? '销售动态：' : 'Rep activity:');
    for (const a of activity)
      lines.push(
        zh
          ? `  ${a.display_name}：回复 ${Number(a.replies)}，跟进 ${Number(a.notes)}`
          : `  ${a.display_name}: ${Number(a.replies)} replies, ${Number(a.notes)} notes`,
      );
  }
  return { text: lines.join('\n') };
}

function waitText(ms: number, lang: Lang): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1)
    return lang === 'zh'
      ? `${Math.max(1, Math.floor(ms / 60_000))}分钟`
      : `${Math.max(1, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return lang === 'zh' ? `${hours}小时` : `${hours} h`;
  return lang === 'zh' ? `${Math.floor(hours / 24)}天` : `${Math.floor(hours / 24)} days`;
}
