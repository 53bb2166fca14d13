import type { Kysely } from 'kysely';
import { preparedQuery } from '../../../../db/prepared.ts';
import type { Database } from '../../../../db/schema.ts';

/** What handling one customer message reads of its customer: name, active owner and stage. */
export interface CustomerAtHand {
  id: number;
  display_name: string;
  /** The owner when they are active staff; null for an unowned customer or one whose owner left. */
  activeOwnerId: number | null;
  stage: string;
  stage_source: string;
}

/** Reads the customer at most once, when first asked; undefined when they no longer exist. */
export type CustomerAtHandReader = () => Promise<CustomerAtHand | undefined>;

/**
 * A reader of the customer for one message's relay, alerts and stage, which once read the same row three times.
 * Only for steps that write none of what they read: their owner and stage are set before (a bound chat's owner) or
 * last (the stage suggested, guarded by the stage it read).
 */
export function customerAtHandReader(db: Kysely<Database>, customerId: number): CustomerAtHandReader {
  let read: Promise<CustomerAtHand | undefined> | undefined;
  return () => {
    read ??= customerAtHand.first(db, { customerId });
    return read;
  };
}

const customerAtHand = preparedQuery((db, v: { customerId: number }) =>
  db
    .selectFrom('customers')
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'customers.owner_staff_id').on('staff.active', '=', 1))
    .select([
      'customers.id',
      'customers.display_name',
      'customers.stage',
      'customers.stage_source',
      'staff.id as activeOwnerId',
    ])
    .where('customers.id', '=', v.customerId),
);
