import type { Kysely } from 'kysely';
import type { Database, Platform, TagSource } from '../../../../db/schema.ts';
import { maskTextFor } from '../../kernel/permissions/mask.ts';
import { mapContentText } from '../../kernel/readable-message.ts';
import { customerTimeline, type TimelineEntry } from '../timeline/timeline.ts';
import type { CustomerBasics } from './search.ts';
import { customerSourceSummary, type SourceInfo } from './sources.ts';

export interface CustomerDetail extends CustomerBasics {
  source: string | null;
  /** The first and latest channel the customer came through (渠道活码), from customer_sources. */
  sources: { first: SourceInfo | null; latest: SourceInfo | null };
  /** The customer asked not to be contacted (src/core/records/privacy/do-not-contact.ts). */
  doNotContact: boolean;
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
  /** Staff members holding the customer as a platform contact, and relations that ended. */
  relations: Array<{
    platform: Platform;
    member: string;
    staff: string | null;
    status: 'active' | 'lost';
    remark: string | null;
    lostAt: number | null;
    lostReason: string | null;
  }>;
  timeline: TimelineEntry[];
}

/**
 * Everything known about one customer, with the latest `timelineLimit` timeline entries in time order; null if
 * unknown. Phones, emails and ID-card numbers inside free text (messages, file names, contact remarks) come masked
 * unless `unmask`; `textUnmasked` then tells the caller that some were shown whole (to audit). The phone and email
 * fields are the caller's to mask (`visibleContact`).
 */
export async function getCustomerDetail(
  db: Kysely<Database>,
  id: number,
  show: { unmask: boolean; timelineLimit?: number },
): Promise<{ detail: CustomerDetail; textUnmasked: boolean } | null> {
  const c = await db
    .selectFrom('customers')
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .selectAll('customers')
    .select('owner.display_name as owner_name')
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!c) return null;
  const [identities, tags, relations, timeline, sources] = await Promise.all([
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
      .selectFrom('contact_relations as r')
      .innerJoin('identities as i', 'i.id', 'r.identity_id')
      .leftJoin('staff', 'staff.id', 'r.staff_id')
      .select([
        'i.platform',
        'r.member_external_id',
        'staff.display_name',
        'r.status',
        'r.remark',
        'r.lost_at',
        'r.lost_reason',
      ])
      .where('r.customer_id', '=', id)
      .orderBy('r.id')
      .execute(),
    customerTimeline(db, id, c.display_name, show.timelineLimit ?? 200),
    customerSourceSummary(db, id),
  ]);
  let textUnmasked = false;
  const text = (value: string) => {
    const shown = maskTextFor(show.unmask, value);
    textUnmasked ||= shown.unmasked;
    return shown.text;
  };
  const detail: CustomerDetail = {
    id: c.id,
    // A name or company can carry a phone (a Telegram name, a WeCom remark): free text like the rest.
    name: text(c.display_name),
    company: c.company === null ? null : text(c.company),
    phone: c.phone,
    email: c.email,
    stage: c.stage,
    source: c.source,
    sources,
    doNotContact: c.do_not_contact === 1,
    owner: c.owner_staff_id !== null ? { id: c.owner_staff_id, name: c.owner_name ?? '' } : null,
    firstContactAt: c.first_contact_at,
    lastContactAt: c.last_contact_at,
    identities: identities.map((i) => ({
      platform: i.platform,
      workspace: i.workspace,
      externalId: i.external_id,
      displayName: i.display_name === null ? null : text(i.display_name),
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
    relations: relations.map((r) => ({
      platform: r.platform,
      member: r.member_external_id,
      staff: r.display_name,
      status: r.status,
      remark: r.remark === null ? null : text(r.remark),
      lostAt: r.lost_at,
      lostReason: r.lost_reason,
    })),
    timeline: timeline.map((e) =>
      e.type === 'message'
        ? {
            ...e,
            text: text(e.text),
            // A private chat's title and the author are the customer's name as the platform gave it.
            chat: { ...e.chat, title: e.chat.title === null ? null : text(e.chat.title) },
            author: { ...e.author, name: e.author.name === null ? null : text(e.author.name) },
            attachment: e.attachment?.name
              ? { ...e.attachment, name: text(e.attachment.name) }
              : e.attachment,
            content: e.content && mapContentText(e.content, text),
          }
        : e,
    ),
  };
  return { detail, textUnmasked };
}
