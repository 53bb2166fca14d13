import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf, type ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/** A note is at most this many characters (code points). */
export const MAX_NOTE_CHARS = 2000;

export interface NewNote {
  /** The customer, as the actor reached them (the actor is the note's author). */
  customer: ReachedCustomer;
  body: string;
}

export interface WrittenNote {
  id: number;
  customerId: number;
  body: string;
  createdAt: number;
  /** false: a note with this request key existed already (a retried request), and nothing was written. */
  created: boolean;
}

/**
 * A follow-up record on a customer, who then counts as contacted. Written once per request `key`: a retried request
 * finds its note instead of adding another (the note it finds may belong to another request that reused the key).
 */
export async function addNote(deps: CoreDeps, n: NewNote, key: string): Promise<WrittenNote> {
  const { db } = deps;
  const { id: customerId, actor } = n.customer;
  const now = deps.clock.now();
  const via = platformOf(actor);
  const inserted = await db
    .insertInto('notes')
    .values({
      customer_id: customerId,
      author_staff_id: actor.staffId,
      body: n.body,
      created_at: now,
      request_key: key,
    })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (created) {
    await db
      .updateTable('customers')
      .set({ last_contact_at: now, updated_at: now })
      .where('id', '=', customerId)
      .execute();
    await recordCustomerEvent(db, {
      customerId,
      key: `${key}:note`,
      at: now,
      kind: 'note_added',
      ...(via ? { platform: via } : {}),
      actorStaffId: actor.staffId,
    });
    await audit(db, now, {
      ...auditedAs(actor),
      action: 'customer.note_added',
      subjectKind: 'customer',
      subjectId: customerId,
    });
  }
  const note = await db
    .selectFrom('notes')
    .select(['id', 'customer_id', 'body', 'created_at'])
    .where('request_key', '=', key)
    .executeTakeFirstOrThrow();
  return { id: note.id, customerId: note.customer_id, body: note.body, createdAt: note.created_at, created };
}
