import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import { findQuickReply, listQuickReplies, quickReplyReference } from './quick-replies.ts';

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
  const filled = withName(found.text, await nameOf(db, customer.id));
  return { ok: true, text: ref.rest ? `${filled}\n${ref.rest}` : filled };
}

/**
 * The quick replies a staff member can send to this customer, as they would go out: for each key the one `:key`
 * picks for them (`findQuickReply`), its `{name}` filled with the customer's name. The name is customer text: the
 * caller renders it as text.
 */
export async function quickRepliesToSend(
  db: Kysely<Database>,
  customer: ReachedCustomer,
): Promise<Array<{ key: string; text: string; team: string | null }>> {
  const keys = [...new Set((await listQuickReplies(db, customer.actor)).map((q) => q.key))];
  const name = await nameOf(db, customer.id);
  const picked = await Promise.all(keys.map((key) => findQuickReply(db, customer.actor.viewer, key)));
  return picked
    .filter((q) => q !== null)
    .map((q) => ({ key: q.key, text: withName(q.text, name), team: q.teamName }));
}

const withName = (text: string, name: string) => text.replaceAll('{name}', name);

async function nameOf(db: Kysely<Database>, customerId: number): Promise<string> {
  const row = await db
    .selectFrom('customers')
    .select('display_name')
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row?.display_name ?? '';
}
