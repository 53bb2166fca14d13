import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { ownedCondition, ownerReach } from '../../kernel/permissions/ownership.ts';
import { customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import type { ChannelCodeRow } from './codes.ts';

/** A channel code with its rep's name and how many customers it brought. */
export interface ChannelCodeWithCounts extends ChannelCodeRow {
  staff_name: string | null;
  /** Customers whose first source it is. */
  firstSourceCustomers: number;
  /** Customers who came through it at any time. */
  anySourceCustomers: number;
}

/**
 * Channel codes, newest first, with customer counts. With a viewer, only those they reach: codes owned by teams they
 * read (their own, their team's, the organisation's for managers), and referral codes of customers in their scope
 * (the referrer is a customer like any other). `ids` narrows to those codes.
 */
export async function listChannelCodes(
  db: Kysely<Database>,
  opts: { viewer?: Viewer; ids?: number[]; activeOnly?: boolean } = {},
): Promise<ChannelCodeWithCounts[]> {
  let q = db
    .selectFrom('channel_codes')
    .leftJoin('staff', 'staff.id', 'channel_codes.staff_id')
    .selectAll('channel_codes')
    .select('staff.display_name as staff_name')
    .orderBy('channel_codes.id', 'desc');
  if (opts.ids) q = q.where('channel_codes.id', 'in', opts.ids.length > 0 ? opts.ids : [-1]);
  if (opts.activeOnly) q = q.where('channel_codes.active', '=', 1);
  const scope = opts.viewer ? customerScope(db, opts.viewer) : null;
  const owned = opts.viewer ? ownedCondition(await ownerReach(db, opts.viewer), 'channel_codes') : null;
  if (scope || owned) {
    q = q.where((eb) =>
      eb.or([
        eb.and([
          eb('channel_codes.referrer_customer_id', 'is', null),
          owned ? owned(eb as never) : eb.lit(true),
        ]),
        eb(
          'channel_codes.referrer_customer_id',
          'in',
          scope
            ? db.selectFrom('customers').select('customers.id').where(scope)
            : db.selectFrom('customers').select('customers.id'),
        ),
      ]),
    );
  }
  const codes = await q.execute();
  if (codes.length === 0) return [];
  const counts = await customerCounts(
    db,
    codes.map((c) => Number(c.id)),
  );
  return codes.map((c) => ({
    ...c,
    staff_name: c.staff_name ?? null,
    firstSourceCustomers: counts.first.get(Number(c.id)) ?? 0,
    anySourceCustomers: counts.any.get(Number(c.id)) ?? 0,
  }));
}

/** Per channel code: customers it is the first source of, and customers it is any source of. */
async function customerCounts(db: Kysely<Database>, ids: number[]) {
  const any = await db
    .selectFrom('customer_sources')
    .select(['channel_code_id', (eb) => eb.fn.count<number>('customer_id').distinct().as('n')])
    .where('channel_code_id', 'in', ids)
    .groupBy('channel_code_id')
    .execute();
  // A row is a first source when no row of the same customer is earlier (ties broken by id).
  const first = await db
    .selectFrom('customer_sources as s')
    .select(['s.channel_code_id', (eb) => eb.fn.count<number>('s.customer_id').distinct().as('n')])
    .where('s.channel_code_id', 'in', ids)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('customer_sources as e')
            .select('e.id')
            .whereRef('e.customer_id', '=', 's.customer_id')
            .where((eb) =>
              eb.or([
                eb('e.at', '<', eb.ref('s.at')),
                eb.and([eb('e.at', '=', eb.ref('s.at')), eb('e.id', '<', eb.ref('s.id'))]),
              ]),
            ),
        ),
      ),
    )
    .groupBy('s.channel_code_id')
    .execute();
  const toMap = (rows: Array<{ channel_code_id: number | null; n: number | string }>) =>
    new Map(rows.map((r) => [Number(r.channel_code_id), Number(r.n)]));
  return { any: toMap(any), first: toMap(first) };
}
