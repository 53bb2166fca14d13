import { type Insertable, type Kysely, sql } from 'kysely';
import { preparedInsert, preparedQuery } from '../../../db/prepared.ts';
import type { AuthorKind, Database, Direction, Platform } from '../../../db/schema.ts';
import type { MessageContent } from '../ports/events.ts';
import { queueMessageFile } from './keep-files.ts';

export interface MessageRecord {
  chatId: number;
  customerId: number | null;
  platform: Platform;
  platformMessageId: string;
  direction: Direction;
  authorKind: AuthorKind;
  authorStaffId: number | null;
  contentType: string;
  text: string;
  replyToMessageId?: string;
  sentAt: number;
  receivedAt: number;
  /** Set when this is a new version of the message. */
  editedAt?: number;
  /** The customer was created for this message with its time as their last contact: no touch needed. */
  customerTouched?: boolean;
  attachment?: { type: string; key: string; name?: string };
  content?: MessageContent;
}

/**
 * Stores a message once per (chat, platform message id), however often it is delivered or re-processed.
 * An edit keeps every version in `message_revisions` (the original included) and the newest text on the message,
 * whatever order the versions arrive in.
 */
export async function recordMessage(
  db: Kysely<Database>,
  m: MessageRecord,
): Promise<{ id: number; isNew: boolean }> {
  if (m.editedAt !== undefined) return recordEdit(db, m, m.editedAt);
  const inserted = await insertMessage(db, m);
  // A file it carries is fetched after the acknowledgement, by timed work.
  if (inserted !== undefined && m.attachment) await queueMessageFile(db, inserted, m.receivedAt);
  if (m.customerId !== null && !m.customerTouched)
    await touchCustomer(db, m.customerId, m.direction, m.sentAt);
  if (inserted !== undefined) return { id: inserted, isNew: true };
  const existing = await findMessage(db, m.chatId, m.platformMessageId);
  if (!existing) throw new Error('message vanished after a conflicting insert');
  // The original arriving after its edit: keep it in the history.
  if (existing.edited_at !== null) await addRevision(db, existing.id, m.text, m.sentAt);
  return { id: existing.id, isNew: false };
}

async function recordEdit(db: Kysely<Database>, m: MessageRecord, editedAt: number) {
  const existing = await findMessage(db, m.chatId, m.platformMessageId);
  if (!existing) {
    const inserted = await insertMessage(db, m);
    if (inserted !== undefined && m.attachment) await queueMessageFile(db, inserted, m.receivedAt);
    const id = inserted ?? (await findMessage(db, m.chatId, m.platformMessageId))?.id;
    if (id === undefined) throw new Error('message vanished after a conflicting insert');
    await addRevision(db, id, m.text, editedAt);
    if (m.customerId !== null) await touchCustomer(db, m.customerId, m.direction, m.sentAt);
    return { id, isNew: inserted !== undefined };
  }
  if (existing.edited_at === null) await addRevision(db, existing.id, existing.text, existing.sent_at);
  await addRevision(db, existing.id, m.text, editedAt);
  await db
    .updateTable('messages')
    .set({ text: m.text, edited_at: editedAt })
    .where('id', '=', existing.id)
    .where((eb) => eb.or([eb('edited_at', 'is', null), eb('edited_at', '<', editedAt)]))
    .execute();
  return { id: existing.id, isNew: false };
}

function insertMessage(db: Kysely<Database>, m: MessageRecord) {
  return newMessage.insertedId(db, {
    chat_id: m.chatId,
    customer_id: m.customerId,
    platform: m.platform,
    platform_message_id: m.platformMessageId,
    direction: m.direction,
    author_kind: m.authorKind,
    author_staff_id: m.authorStaffId,
    content_type: m.contentType,
    text: m.text,
    reply_to_platform_message_id: m.replyToMessageId ?? null,
    sent_at: m.sentAt,
    received_at: m.receivedAt,
    edited_at: m.editedAt ?? null,
    deleted_at: null,
    attachment: m.attachment ? JSON.stringify(m.attachment) : null,
    content: m.content ? JSON.stringify(m.content) : null,
  });
}

const newMessage = preparedInsert((db, row: Insertable<Database['messages']>) =>
  db
    .insertInto('messages')
    .values({
      chat_id: row.chat_id,
      customer_id: row.customer_id,
      platform: row.platform,
      platform_message_id: row.platform_message_id,
      direction: row.direction,
      author_kind: row.author_kind,
      author_staff_id: row.author_staff_id,
      content_type: row.content_type,
      text: row.text,
      reply_to_platform_message_id: row.reply_to_platform_message_id,
      sent_at: row.sent_at,
      received_at: row.received_at,
      edited_at: row.edited_at,
      deleted_at: row.deleted_at,
      attachment: row.attachment,
      content: row.content,
    })
    .onConflict((oc) => oc.columns(['chat_id', 'platform_message_id']).doNothing()),
);

/** Marks messages deleted on the platform; the text stays for the record. */
export async function markMessagesDeleted(
  db: Kysely<Database>,
  chatId: number,
  platformMessageIds: string[],
  at: number,
): Promise<void> {
  if (platformMessageIds.length === 0) return;
  await db
    .updateTable('messages')
    .set({ deleted_at: at })
    .where('chat_id', '=', chatId)
    .where('platform_message_id', 'in', platformMessageIds)
    .where('deleted_at', 'is', null)
    .execute();
}

/**
 * Messages their author withdrew (WeCom archive `recall`): marked deleted and their text removed; what they said,
 * returned here, is for the caller to keep on the timeline. Withdrawing again finds nothing left to withdraw.
 */
export async function withdrawMessages(
  db: Kysely<Database>,
  chatId: number,
  platformMessageIds: string[],
  at: number,
): Promise<Array<{ customerId: number | null; platformMessageId: string; text: string; sentAt: number }>> {
  if (platformMessageIds.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'customer_id', 'platform_message_id', 'text', 'sent_at'])
    .where('chat_id', '=', chatId)
    .where('platform_message_id', 'in', platformMessageIds)
    .where('deleted_at', 'is', null)
    .execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('messages')
    .set({ deleted_at: at, text: '' })
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    customerId: r.customer_id,
    platformMessageId: r.platform_message_id,
    text: r.text,
    sentAt: r.sent_at,
  }));
}

/** How long after a customer's message a staff message in a group is taken as the answer to it. */
const ANSWER_WINDOW_MS = 24 * 3_600_000;

/**
 * The customer a staff message in a group answers: the author of the message it replies to, else the customer who
 * wrote last in the group within a day (the usual shape of a customer group: one customer, a few reps).
 */
export async function customerAnswered(
  db: Kysely<Database>,
  chatId: number,
  replyTo: string | undefined,
  at: number,
): Promise<number | null> {
  if (replyTo) {
    const row = await findMessage(db, chatId, replyTo);
    if (row?.customer_id) return row.customer_id;
  }
  const last = await db
    .selectFrom('messages')
    .select('customer_id')
    .where('chat_id', '=', chatId)
    .where('direction', '=', 'in')
    .where('sent_at', '<=', at)
    .where('sent_at', '>', at - ANSWER_WINDOW_MS)
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.customer_id ?? null;
}

function findMessage(db: Kysely<Database>, chatId: number, platformMessageId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'text', 'sent_at', 'edited_at', 'customer_id'])
    .where('chat_id', '=', chatId)
    .where('platform_message_id', '=', platformMessageId)
    .executeTakeFirst();
}

async function addRevision(db: Kysely<Database>, messageId: number, text: string, at: number): Promise<void> {
  await db
    .insertInto('message_revisions')
    .values({ message_id: messageId, text, revised_at: at })
    .onConflict((oc) => oc.columns(['message_id', 'revised_at']).doNothing())
    .execute();
}

/** Moves the customer's contact times forward (never back: deliveries can arrive out of order). */
async function touchCustomer(db: Kysely<Database>, customerId: number, direction: Direction, at: number) {
  await touchCustomerQuery[direction].execute(db, { customerId, at });
}

/** Moves the customer's last-contact times forward (never back) to a message's time, one query per direction. */
const touchCustomerQuery = {
  in: touchQuery('last_inbound_at'),
  out: touchQuery('last_outbound_at'),
};

function touchQuery(directed: 'last_inbound_at' | 'last_outbound_at') {
  return preparedQuery((db, v: { customerId: number; at: number }) => {
    const later = (column: 'last_contact_at' | typeof directed) =>
      sql<number>`case when ${sql.ref(column)} is null or ${sql.ref(column)} < ${v.at} then ${v.at} else ${sql.ref(column)} end`;
    return db
      .updateTable('customers')
      .set({ last_contact_at: later('last_contact_at'), updated_at: v.at })
      .set(directed, later(directed))
      .where('id', '=', v.customerId);
  });
}
