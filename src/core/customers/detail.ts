import type { Kysely } from 'kysely';
import type { AuthorKind, ChatKind, Database, Direction, Platform, TagSource } from '../../../db/schema.ts';
import type { CustomerBasics } from './search.ts';

export interface CustomerDetail extends CustomerBasics {
  source: string | null;
  identities: Array<{
    platform: Platform;
    workspace: string;
    externalId: string;
    displayName: string | null;
    username: string | null;
  }>;
  tags: Array<{
    name: string;
    source: TagSource;
    sourceRef: string | null;
    confidence: number | null;
    actor: string | null;
    at: number;
  }>;
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  at: number;
  direction: Direction;
  platform: Platform;
  chat: { kind: ChatKind; title: string | null };
  author: { kind: AuthorKind; name: string | null };
  contentType: string;
  text: string;
  editedAt: number | null;
  deletedAt: number | null;
}

/** Everything known about one customer, with the latest `timelineLimit` messages in time order; null if unknown. */
export async function getCustomerDetail(
  db: Kysely<Database>,
  id: number,
  timelineLimit = 200,
): Promise<CustomerDetail | null> {
  const c = await db
    .selectFrom('customers')
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .selectAll('customers')
    .select('owner.display_name as owner_name')
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!c) return null;
  const [identities, tags, messages] = await Promise.all([
    db
      .selectFrom('identities')
      .select(['platform', 'workspace', 'external_id', 'display_name', 'username'])
      .where('customer_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags', 'tags.id', 'ct.tag_id')
      .leftJoin('staff as actor', 'actor.id', 'ct.actor_staff_id')
      .select([
        'tags.name',
        'ct.source',
        'ct.source_ref',
        'ct.confidence',
        'ct.created_at',
        'actor.display_name as actor',
      ])
      .where('ct.customer_id', '=', id)
      .orderBy('ct.created_at')
      .execute(),
    db
      .selectFrom('messages as m')
      .innerJoin('chats', 'chats.id', 'm.chat_id')
      .leftJoin('staff as author', 'author.id', 'm.author_staff_id')
      .select([
        'm.id',
        'm.sent_at',
        'm.direction',
        'm.platform',
        'm.author_kind',
        'm.content_type',
        'm.text',
        'm.edited_at',
        'm.deleted_at',
        'chats.kind as chat_kind',
        'chats.title as chat_title',
        'author.display_name as author_name',
      ])
      .where('m.customer_id', '=', id)
      .orderBy('m.sent_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(timelineLimit)
      .execute(),
  ]);
  return {
    id: c.id,
    name: c.display_name,
    company: c.company,
    phone: c.phone,
    email: c.email,
    stage: c.stage,
    source: c.source,
    owner: c.owner_staff_id !== null ? { id: c.owner_staff_id, name: c.owner_name ?? '' } : null,
    firstContactAt: c.first_contact_at,
    lastContactAt: c.last_contact_at,
    identities: identities.map((i) => ({
      platform: i.platform,
      workspace: i.workspace,
      externalId: i.external_id,
      displayName: i.display_name,
      username: i.username,
    })),
    tags: tags.map((t) => ({
      name: t.name,
      source: t.source,
      sourceRef: t.source_ref,
      confidence: t.confidence,
      actor: t.actor,
      at: t.created_at,
    })),
    timeline: messages.reverse().map((m) => ({
      at: m.sent_at,
      direction: m.direction,
      platform: m.platform,
      chat: { kind: m.chat_kind as ChatKind, title: m.chat_title },
      author: {
        kind: m.author_kind,
        name:
          m.author_kind === 'customer' ? c.display_name : m.author_kind === 'staff' ? m.author_name : null,
      },
      contentType: m.content_type,
      text: m.text,
      editedAt: m.edited_at,
      deletedAt: m.deleted_at,
    })),
  };
}
