import type { CoreDeps } from '../../kernel/runtime.ts';
import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';
import type { customersIn } from './scope.ts';

type InScope = Awaited<ReturnType<typeof customersIn>>;

/** Per rep of the scope: replies and notes in the period, and the median time to first answer a customer's burst. */
export async function repActivity(deps: CoreDeps, inScope: InScope, from: number, to: number) {
  const { db } = deps;
  const bursts = await db
    .selectFrom('conversation_bursts as b')
    .innerJoin('customers', 'customers.id', 'b.customer_id')
    .where(inScope)
    .where('b.started_at', '>=', from)
    .where('b.started_at', '<', to)
    .select((eb) => {
      // The first answer a person gave the customer after the burst began: when, and who.
      const answer = () =>
        eb
          .selectFrom('messages as m')
          .whereRef('m.customer_id', '=', 'b.customer_id')
          .where('m.direction', '=', 'out')
          .where('m.author_kind', '=', 'staff')
          .whereRef('m.sent_at', '>=', 'b.started_at')
          .orderBy('m.sent_at')
          .limit(1);
      return [
        'b.started_at',
        answer().select('m.sent_at').as('answered_at'),
        answer().select('m.author_staff_id').as('answered_by'),
      ];
    })
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

/**
 * Messages each way over the period, and per local day for the seven days up to `to`, with new customers per day:
 * one pass over the messages of the window.
 */
export async function trafficByDay(
  deps: CoreDeps,
  inScope: InScope,
  wholeOrg: boolean,
  from: number,
  to: number,
  /** When each customer of the scope first made contact. */
  firstContacts: number[],
) {
  const zone = deps.org.timeZone;
  const today = zonedParts(to, zone);
  const dayStart = (back: number) => {
    const noon = zonedParts(
      fromZoned({ year: today.year, month: today.month, day: today.day - back, hour: 12, minute: 0 }, zone),
      zone,
    );
    return {
      at: fromZoned({ year: noon.year, month: noon.month, day: noon.day, hour: 0, minute: 0 }, zone),
      label: `${String(noon.month).padStart(2, '0')}-${String(noon.day).padStart(2, '0')}`,
    };
  };
  const days = Array.from({ length: 7 }, (_, i) => ({
    ...dayStart(6 - i),
    inbound: 0,
    outbound: 0,
    newCustomers: 0,
  }));
  const windowStart = Math.min(from, days[0]?.at ?? from);
  // The whole organisation: the window's messages by time alone. A team: its customers' messages, each customer's
  // found by (customer, time) — a week of the whole organisation's messages is far more than one team's customers.
  const window = deps.db
    .selectFrom('messages')
    .where('messages.sent_at', '>=', windowStart)
    .where('messages.sent_at', '<', to)
    .select(['messages.sent_at', 'messages.direction']);
  const messages = wholeOrg
    ? await window.where('messages.customer_id', 'is not', null).execute()
    : await window.innerJoin('customers', 'customers.id', 'messages.customer_id').where(inScope).execute();
  const dayOf = (t: number) => days.findLast((d) => d.at <= t);
  const period = { inbound: 0, outbound: 0 };
  for (const m of messages) {
    const inbound = m.direction === 'in';
    if (m.sent_at >= from) period[inbound ? 'inbound' : 'outbound']++;
    const day = dayOf(m.sent_at);
    if (day) day[inbound ? 'inbound' : 'outbound']++;
  }
  for (const at of firstContacts) {
    const day = at < to ? dayOf(at) : undefined;
    if (day) day.newCustomers++;
  }
  return {
    period,
    days: days.map(({ label, inbound, outbound, newCustomers }) => ({
      day: label,
      inbound,
      outbound,
      newCustomers,
    })),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
