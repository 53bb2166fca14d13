import type { Kysely } from 'kysely';
import type {
  AuthorKind,
  ChatKind,
  Database,
  Direction,
  MessageFileStatus,
  Platform,
} from '../../../../db/schema.ts';
import { parsedContent } from '../../kernel/readable-message.ts';
import type { MessageContent } from '../../ports/events.ts';

/** A message in or out, with where it was said and by whom. */
export interface MessageEntry {
  type: 'message';
  /** The message's id (`GET /api/messages/{id}/file` serves its kept file). */
  id: number;
  at: number;
  direction: Direction;
  platform: Platform;
  chat: { kind: ChatKind; title: string | null };
  author: { kind: AuthorKind; name: string | null };
  contentType: string;
  text: string;
  editedAt: number | null;
  deletedAt: number | null;
  /** A picture or file, by the platform's reference. */
  attachment: { type: string; key: string; name?: string } | null;
  /** What the message carries beyond its text (a location, a file's name, a poll…); see `readableMessage`. */
  content: MessageContent | null;
  /** Whether the file it carries is kept (`stored`), still to fetch, or not kept and why; null: no file. */
  file: { status: MessageFileStatus; size: number | null; contentType: string | null } | null;
}

/** Something that happened to the customer that is not a message: a contact lost, a group joined, a transfer refused. */
export interface EventEntry {
  type: 'event';
  at: number;
  kind: string;
  platform: Platform | null;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

export type TimelineEntry = MessageEntry | EventEntry;

/**
 * The latest `limit` messages and events of a customer, oldest first. A customer group's conversation (a chat of
 * kind `external_group`) is on the record of each customer member, while they were a member, whoever wrote: each
 * message row still belongs to one customer (the writer's, whose last contact and tags it moves).
 */
export async function customerTimeline(
  db: Kysely<Database>,
  customerId: number,
  customerName: string,
  limit: number,
): Promise<TimelineEntry[]> {
  const messageQuery = () =>
    db
      .selectFrom('messages as m')
      .innerJoin('chats', 'chats.id', 'm.chat_id')
      .leftJoin('staff as author', 'author.id', 'm.author_staff_id')
      .leftJoin('customers as writer', 'writer.id', 'm.customer_id')
      .leftJoin('message_files as file', 'file.message_id', 'm.id')
      .select([
        'file.status as file_status',
        'file.size as file_size',
        'file.content_type as file_content_type',
        'm.id',
        'm.sent_at',
        'm.direction',
        'm.platform',
        'm.author_kind',
        'm.customer_id',
        'm.content_type',
        'm.text',
        'm.edited_at',
        'm.deleted_at',
        'm.attachment',
        'm.content',
        'chats.kind as chat_kind',
        'chats.title as chat_title',
        'author.display_name as author_name',
        'writer.display_name as writer_name',
      ])
      .orderBy('m.sent_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(limit);
  const [own, groups, events] = await Promise.all([
    messageQuery().where('m.customer_id', '=', customerId).execute(),
    messageQuery()
      .innerJoin('chat_members as cm', 'cm.chat_id', 'm.chat_id')
      .where('cm.customer_id', '=', customerId)
      .where('chats.kind', '=', 'external_group')
      .where((eb) =>
        eb.and([
          eb.or([eb('cm.joined_at', 'is', null), eb('cm.joined_at', '<=', eb.ref('m.sent_at'))]),
          eb.or([eb('cm.left_at', 'is', null), eb('cm.left_at', '>=', eb.ref('m.sent_at'))]),
          eb.or([eb('m.customer_id', 'is', null), eb('m.customer_id', '<>', customerId)]),
        ]),
      )
      .execute(),
    db
      .selectFrom('customer_events as e')
      .leftJoin('staff as actor', 'actor.id', 'e.actor_staff_id')
      .select(['e.id', 'e.at', 'e.kind', 'e.platform', 'e.detail', 'actor.display_name as actor'])
      .where('e.customer_id', '=', customerId)
      .orderBy('e.at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute(),
  ]);
  // The customer's own messages and their groups', newest first, the latest `limit` of both.
  const seen = new Set<number>();
  const messages = [...own, ...groups]
    .filter((m) => !seen.has(m.id) && seen.add(m.id))
    .sort((a, b) => Number(b.sent_at) - Number(a.sent_at) || b.id - a.id)
    .slice(0, limit);
  // Both lists come newest first; oldest first, ties keep their insertion order (the sort below is stable).
  messages.reverse();
  events.reverse();
  const entries: TimelineEntry[] = [
    ...messages.map(
      (m): MessageEntry => ({
        type: 'message',
        id: m.id,
        at: m.sent_at,
        direction: m.direction,
        platform: m.platform,
        chat: { kind: m.chat_kind as ChatKind, title: m.chat_title },
        author: {
          kind: m.author_kind,
          name:
            m.author_kind === 'customer'
              ? m.customer_id === customerId
                ? customerName
                : m.writer_name
              : m.author_kind === 'staff'
                ? m.author_name
                : null,
        },
        contentType: m.content_type,
        text: m.text,
        editedAt: m.edited_at,
        deletedAt: m.deleted_at,
        attachment: m.attachment ? (JSON.parse(m.attachment) as MessageEntry['attachment']) : null,
        content: parsedContent(m.content),
        file: m.file_status
          ? {
              status: m.file_status,
              size: m.file_size === null ? null : Number(m.file_size),
              contentType: m.file_content_type,
            }
          : null,
      }),
    ),
    ...events.map(
      (e): EventEntry => ({
        type: 'event',
        at: e.at,
        kind: e.kind,
        platform: e.platform,
        actor: e.actor,
        detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
      }),
    ),
  ];
  return entries.sort((a, b) => a.at - b.at).slice(-limit);
}
