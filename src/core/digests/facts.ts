import type { CoreDeps } from '../runtime.ts';
import { fromZoned, zonedParts } from '../time/zone.ts';
import { customersIn, type DigestScope } from './scope.ts';

const DAY = 86_400_000;
const LISTED = 5;
const CHURN_FLAG = 50;

/** A customer named in a digest line, by `#id` so anyone can `/show` it. */
export interface NamedCustomer {
  id: number;
  name: string;
}

/** Everything a digest says, computed for a scope and a period [from, to). */
export interface DigestFacts {
  from: number;
  to: number;
  newCustomers: { total: number; bySource: Array<{ source: string; count: number }> };
  messages: { inbound: number; outbound: number };
  waiting: {
    count: number;
    overSla: number;
    longestMs: number;
    top: Array<NamedCustomer & { waitingMs: number }>;
  };
  hotLeads: { count: number; top: NamedCustomer[] };
  stale: { count: number; top: Array<NamedCustomer & { lastContactAt: number | null }> };
  churn: { count: number; top: Array<NamedCustomer & { risk: number }> };
  /** Every configured stage in funnel order: customers now, change over the period, open deal value. */
  funnel: Array<{ stage: string; count: number; change: number; openDealsMinor: number }>;
  reps: Array<{ name: string; replies: number; notes: number; medianFirstResponseMs: number | null }>;
  /** The last 7 local days up to `to`, oldest first. */
  trend: Array<{ day: string; inbound: number; outbound: number; newCustomers: number }>;
}

/** The numbers behind a digest, from the database, for the staff's customers of a scope. */
export async function digestFacts(
  deps: CoreDeps,
  scope: DigestScope,
  from: number,
  to: number,
): Promise<DigestFacts> {
  const { db, org } = deps;
  const inScope = await customersIn(db, scope);
  const customers = () =>
    db.selectFrom('customers').where('customers.merged_into_id', 'is', null).where(inScope);
  const count = (n: unknown) => Number(n ?? 0);

  const bySource = await customers()
    .select(['customers.source', (eb) => eb.fn.countAll<number>().as('n')])
    .where('customers.first_contact_at', '>=', from)
    .where('customers.first_contact_at', '<', to)
    .groupBy('customers.source')
    .execute();
  const traffic = await messagesBetween(deps, inScope, from, to);
  const waitingRows = await customers()
    .select(['customers.id', 'customers.display_name', 'customers.last_inbound_at'])
    .where('customers.last_inbound_at', 'is not', null)
    .where('customers.last_inbound_at', '<', to)
    .where((eb) =>
      eb.or([
        eb('customers.last_outbound_at', 'is', null),
        eb('customers.last_outbound_at', '<', eb.ref('customers.last_inbound_at')),
      ]),
    )
    .orderBy('customers.last_inbound_at')
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
          .where('alerts.created_at', '>=', from)
          .where('alerts.created_at', '<', to),
      ),
    )
    .orderBy('customers.id')
    .execute();
  const staleBefore = to - org.staleDays * DAY;
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
  const churn = await customers()
    .select(['customers.id', 'customers.display_name', 'customers.churn_risk'])
    .where('customers.churn_risk', '>=', CHURN_FLAG)
    .orderBy('customers.churn_risk', 'desc')
    .orderBy('customers.id')
    .execute();

  return {
    from,
    to,
    newCustomers: {
      total: bySource.reduce((s, r) => s + count(r.n), 0),
      bySource: bySource.map((r) => ({ source: r.source ?? 'other', count: count(r.n) })),
    },
    messages: traffic,
    waiting: {
      count: waitingRows.length,
      overSla: waitingRows.filter((w) => to - Number(w.last_inbound_at) > org.replySlaMs).length,
      longestMs: waitingRows[0] ? to - Number(waitingRows[0].last_inbound_at) : 0,
      top: waitingRows
        .slice(0, LISTED)
        .map((w) => ({ id: w.id, name: w.display_name, waitingMs: to - Number(w.last_inbound_at) })),
    },
    hotLeads: {
      count: hot.length,
      top: hot.slice(0, LISTED).map((c) => ({ id: c.id, name: c.display_name })),
    },
    stale: {
      count: stale.length,
      top: stale
        .slice(0, LISTED)
        .map((c) => ({ id: c.id, name: c.display_name, lastContactAt: c.last_contact_at })),
    },
    churn: {
      count: churn.length,
      top: churn.slice(0, LISTED).map((c) => ({ id: c.id, name: c.display_name, risk: c.churn_risk })),
    },
    funnel: await funnel(deps, inScope, from, to),
    reps: await repActivity(deps, inScope, from, to),
    trend: await trend(deps, inScope, to),
  };
}

type InScope = Awaited<ReturnType<typeof customersIn>>;

async function messagesBetween(deps: CoreDeps, inScope: InScope, from: number, to: number) {
  const rows = await deps.db
    .selectFrom('messages')
    .innerJoin('customers', 'customers.id', 'messages.customer_id')
    .where(inScope)
    .where('messages.sent_at', '>=', from)
    .where('messages.sent_at', '<', to)
    .select(['messages.direction', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('messages.direction')
    .execute();
  const of = (d: string) => Number(rows.find((r) => r.direction === d)?.n ?? 0);
  return { inbound: of('in'), outbound: of('out') };
}

/** Customers per stage now; the period's movement from stage-change events; the value of open deals per stage. */
async function funnel(deps: CoreDeps, inScope: InScope, from: number, to: number) {
  const { db, org } = deps;
  const counts = await db
    .selectFrom('customers')
    .where('customers.merged_into_id', 'is', null)
    .where(inScope)
    .select(['customers.stage', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('customers.stage')
    .execute();
  const moves = await db
    .selectFrom('customer_events')
    .innerJoin('customers', 'customers.id', 'customer_events.customer_id')
    .where(inScope)
    .where('customer_events.kind', 'in', ['stage_changed', 'stage_suggested'])
    .where('customer_events.at', '>=', from)
    .where('customer_events.at', '<', to)
    .select('customer_events.detail')
    .execute();
  const change = new Map<string, number>();
  for (const m of moves) {
    const d = JSON.parse(m.detail ?? '{}') as { from?: string; to?: string };
    if (d.from) change.set(d.from, (change.get(d.from) ?? 0) - 1);
    if (d.to) change.set(d.to, (change.get(d.to) ?? 0) + 1);
  }
  const deals = await db
    .selectFrom('deals')
    .innerJoin('customers', 'customers.id', 'deals.customer_id')
    .where(inScope)
    .where('deals.closed_at', 'is', null)
    .select(['customers.stage', (eb) => eb.fn.sum<number>('deals.amount_minor').as('v')])
    .groupBy('customers.stage')
    .execute();
  return org.stages.map((s) => ({
    stage: s.key,
    count: Number(counts.find((c) => c.stage === s.key)?.n ?? 0),
    change: change.get(s.key) ?? 0,
    openDealsMinor: Number(deals.find((d) => d.stage === s.key)?.v ?? 0),
  }));
}

/** Per rep of the scope: replies and notes in the period, and the median time to first answer a customer's burst. */
async function repActivity(deps: CoreDeps, inScope: InScope, from: number, to: number) {
  const { db } = deps;
  const bursts = await db
    .selectFrom('conversation_bursts as b')
    .innerJoin('customers', 'customers.id', 'b.customer_id')
    .where(inScope)
    .where('b.started_at', '>=', from)
    .where('b.started_at', '<', to)
    .select((eb) => [
      'b.started_at',
      eb
        .selectFrom('messages as m')
        .select('m.sent_at')
        .whereRef('m.customer_id', '=', 'b.customer_id')
        .where('m.direction', '=', 'out')
        .where('m.author_kind', '=', 'staff')
        .whereRef('m.sent_at', '>=', 'b.started_at')
        .orderBy('m.sent_at')
        .limit(1)
        .as('answered_at'),
      eb
        .selectFrom('messages as m')
        .select('m.author_staff_id')
        .whereRef('m.customer_id', '=', 'b.customer_id')
        .where('m.direction', '=', 'out')
        .where('m.author_kind', '=', 'staff')
        .whereRef('m.sent_at', '>=', 'b.started_at')
        .orderBy('m.sent_at')
        .limit(1)
        .as('answered_by'),
    ])
    .execute();
  const responses = new Map<number, number[]>();
  for (const b of bursts) {
    if (b.answered_at === null || b.answered_by === null) continue;
    const by = Number(b.answered_by);
    responses.set(by, [...(responses.get(by) ?? []), Number(b.answered_at) - b.started_at]);
  }
  const staff = await db
    .selectFrom('staff')
    .select((eb) => [
      'staff.id',
      'staff.display_name',
      eb
        .selectFrom('messages')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('messages.author_staff_id', '=', 'staff.id')
        .where('messages.direction', '=', 'out')
        .where('messages.sent_at', '>=', from)
        .where('messages.sent_at', '<', to)
        .as('replies'),
      eb
        .selectFrom('notes')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('notes.author_staff_id', '=', 'staff.id')
        .where('notes.created_at', '>=', from)
        .where('notes.created_at', '<', to)
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
  return staff.map((s) => ({
    name: s.display_name,
    replies: Number(s.replies ?? 0),
    notes: Number(s.notes ?? 0),
    medianFirstResponseMs: median(responses.get(s.id) ?? []),
  }));
}

/** The last seven local days up to `to`: messages each way and new customers per day. */
async function trend(deps: CoreDeps, inScope: InScope, to: number) {
  const zone = deps.org.timeZone;
  const today = zonedParts(to, zone);
  const startOf = (back: number) => {
    const noon = fromZoned(
      { year: today.year, month: today.month, day: today.day - back, hour: 12, minute: 0 },
      zone,
    );
    const p = zonedParts(noon, zone);
    return {
      at: fromZoned({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0 }, zone),
      label: `${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
    };
  };
  const days = [];
  for (let back = 6; back >= 0; back--) {
    const start = startOf(back);
    const end = back === 0 ? to : startOf(back - 1).at;
    const traffic = await messagesBetween(deps, inScope, start.at, end);
    const fresh = await deps.db
      .selectFrom('customers')
      .where('customers.merged_into_id', 'is', null)
      .where(inScope)
      .where('customers.first_contact_at', '>=', start.at)
      .where('customers.first_contact_at', '<', end)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    days.push({ day: start.label, ...traffic, newCustomers: Number(fresh.n) });
  }
  return days;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
