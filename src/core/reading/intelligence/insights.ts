import { sql } from 'kysely';
import type { CoreDeps } from '../../kernel/runtime.ts';

const DAY = 86_400_000;

/** The churn risk from which a customer is flagged (silence past the stale threshold alone gives 50). */
export const CHURN_FLAG = 50;
const BATCH = 500;
/** How long a customer's words about leaving (a `churn` alert) keep them a churn risk. */
export const CHURN_SAID_DAYS = 30;

/**
 * Recomputes what the system concludes about every customer, in a few set-based statements (safe to repeat, on any
 * instance):
 * - churn risk 0–100: silent past the stale threshold or said they may leave in the last CHURN_SAID_DAYS (a `churn`
 *   alert: not renewing, switching supplier, cancelling) (+50), a platform contact relation lost (+30, e.g. WeCom
 *   deleted), the latest conversation negative (+20);
 * - value tier: `key` for the customers bringing 80% of won revenue, `growth` for others with an open deal or a
 *   high-intent tag in the last 30 days, `dormant` for customers with revenue who went silent (it overrides the rest).
 */
export async function refreshInsights(deps: CoreDeps): Promise<void> {
  const { db, clock, org } = deps;
  const now = clock.now();
  const staleBefore = now - org.staleDays * DAY;
  await db
    .updateTable('customers')
    .set({
      churn_risk: sql<number>`(case when coalesce(last_contact_at, first_contact_at) < ${staleBefore}
             or exists (select 1 from alerts a where a.customer_id = customers.id and a.cause = 'churn'
               and a.created_at >= ${now - CHURN_SAID_DAYS * DAY}) then 50 else 0 end)
        + (case when exists (select 1 from contact_relations r where r.customer_id = customers.id and r.status = 'lost')
             and not exists (select 1 from contact_relations r where r.customer_id = customers.id and r.status = 'active')
             then 30 else 0 end)
        + (case when sentiment = 'negative' then 20 else 0 end)`,
    })
    .where('merged_into_id', 'is', null)
    .execute();

  const revenue = await db
    .selectFrom('deals')
    .select(['customer_id', (eb) => eb.fn.sum<number>('amount_minor').as('won')])
    .where('probability', '=', 100)
    .where('closed_at', 'is not', null)
    .groupBy('customer_id')
    .execute();
  const ranked = revenue
    .map((r) => ({ id: r.customer_id, won: Number(r.won) }))
    .sort((a, b) => b.won - a.won);
  const total = ranked.reduce((s, r) => s + r.won, 0);
  const key: number[] = [];
  let running = 0;
  for (const r of ranked) {
    if (running >= total * 0.8) break;
    key.push(r.id);
    running += r.won;
  }
  const growth = await db
    .selectFrom('customers')
    .select('id')
    .where('merged_into_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('deals')
            .select('deals.id')
            .whereRef('deals.customer_id', '=', 'customers.id')
            .where('deals.closed_at', 'is', null),
        ),
        eb.exists(
          eb
            .selectFrom('alerts')
            .select('alerts.id')
            .whereRef('alerts.customer_id', '=', 'customers.id')
            .where('alerts.cause', '=', 'high_intent')
            .where('alerts.created_at', '>=', now - 30 * DAY),
        ),
      ]),
    )
    .execute();
  const withRevenue = ranked.map((r) => r.id);
  await db.updateTable('customers').set({ value_tier: null }).where('value_tier', 'is not', null).execute();
  await setTier(
    deps,
    growth.map((g) => g.id),
    'growth',
  );
  await setTier(deps, key, 'key');
  for (let i = 0; i < withRevenue.length; i += BATCH) {
    await db
      .updateTable('customers')
      .set({ value_tier: 'dormant' })
      .where('id', 'in', withRevenue.slice(i, i + BATCH))
      .where((eb) => eb(eb.fn.coalesce('last_contact_at', 'first_contact_at'), '<', staleBefore))
      .execute();
  }
}

async function setTier(deps: CoreDeps, ids: number[], tier: string): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    await deps.db
      .updateTable('customers')
      .set({ value_tier: tier })
      .where('id', 'in', ids.slice(i, i + BATCH))
      .execute();
  }
}
