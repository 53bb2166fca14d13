import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import { findQuickReply, quickReplyReference } from './quick-replies.ts';

export type ExpandedReply =
  | { ok: true; text: string }
  /** The text names a quick reply (`:price`) the sender does not have. */
  | { ok: false; key: string };

/**
 * The text a reply sends. `:key` is the quick reply the sender sees under that key (`findQuickReply`), its `{name}`
 * filled with the customer's name; `:key more text` adds the text on a line of its own after it. Any other text is
 * sent as written.
 */
export async function expandQuickReply(
  db: Kysely<Database>,
  customer: ReachedCustomer,
  text: string,
): Promise<ExpandedReply> {
  const ref = quickReplyReference(text);
  if (!ref) return { ok: true, text };
  const found = await findQuickReply(db, customer.actor.viewer, ref.key);
  if (!found) return { ok: false, key: ref.key };
  const row = await db
    .selectFrom('customers')
    .select('display_name')
    .where('id', '=', customer.id)
    .executeTakeFirst();
  const filled = found.text.replaceAll('{name}', row?.display_name ?? '');
  return { ok: true, text: ref.rest ? `${filled}\n${ref.rest}` : filled };
}
