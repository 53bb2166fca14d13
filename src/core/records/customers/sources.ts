import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';
import { addTag } from '../tags/tags.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/** One way a customer came in, as /show and the API tell it. */
export interface SourceInfo {
  code: string;
  /** The channel code's name and kind, or null for a code no channel code of that name exists for. */
  name: string | null;
  kind: string | null;
  platform: Platform;
  at: number;
  /** The existing customer who referred them (老客户推荐). */
  referrerCustomerId: number | null;
}

/** What the platforms hand back and what Liaison records: WeCom `State` ≤ 30, a Telegram `/start` payload ≤ 64. */
export const SOURCE_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** A customer's first source (the earliest) and latest (the newest); nulls when they came through no channel. */
export async function customerSourceSummary(
  db: Kysely<Database>,
  customerId: number,
): Promise<{ first: SourceInfo | null; latest: SourceInfo | null }> {
  const base = () =>
    db
      .selectFrom('customer_sources as s')
      .leftJoin('channel_codes as c', 'c.id', 's.channel_code_id')
      .select(['s.code', 'c.name', 'c.kind', 's.platform', 's.at', 's.referrer_customer_id'])
      .where('s.customer_id', '=', customerId);
  const [first, latest] = await Promise.all([
    base().orderBy('s.at', 'asc').orderBy('s.id', 'asc').limit(1).executeTakeFirst(),
    base().orderBy('s.at', 'desc').orderBy('s.id', 'desc').limit(1).executeTakeFirst(),
  ]);
  const info = (r: typeof first): SourceInfo | null =>
    r
      ? {
          code: r.code,
          name: r.name ?? null,
          kind: r.kind ?? null,
          platform: r.platform,
          at: Number(r.at),
          referrerCustomerId: r.referrer_customer_id === null ? null : Number(r.referrer_customer_id),
        }
      : null;
  return { first: info(first), latest: info(latest) };
}

export interface SourceInput {
  customerId: number;
  /** The code as the platform handed it back. */
  code: string;
  platform: Platform;
  at: number;
  /** Derived from the event that brought the customer, so processing it again records nothing new. */
  sourceKey: string;
}

/** The channel code a received code names (any state: a deactivated code still tells where someone came from). */
export function channelCodeNamed(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('channel_codes')
    .select(['id', 'code', 'name', 'kind', 'staff_id', 'referrer_customer_id', 'tags'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/**
 * Records that a customer came in through `code`, once per source key. Codes outside the charset are ignored (false);
 * unknown codes are kept without a channel code. A referral code's referrer (never the customer themselves) is
 * carried on the row and gets a `referred_customer` event on their timeline; the code's tags go on the customer (as
 * a rule's, naming the code). True when a row was added.
 */
export async function recordCustomerSource(
  db: Kysely<Database>,
  s: SourceInput,
  now: number,
): Promise<boolean> {
  if (!SOURCE_CODE.test(s.code)) return false;
  const channel = await channelCodeNamed(db, s.code);
  const referrer =
    channel?.referrer_customer_id != null && Number(channel.referrer_customer_id) !== s.customerId
      ? Number(channel.referrer_customer_id)
      : null;
  const inserted = await db
    .insertInto('customer_sources')
    .values({
      customer_id: s.customerId,
      channel_code_id: channel ? Number(channel.id) : null,
      code: s.code,
      platform: s.platform,
      referrer_customer_id: referrer,
      at: s.at,
      source_key: s.sourceKey,
      created_at: now,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .executeTakeFirst();
  // Adding a tag twice changes nothing: a retry after a crash between the writes applies what was missed.
  for (const name of channelTags(channel?.tags ?? null))
    await addTag(db, { customerId: s.customerId, name, source: 'rule', sourceRef: `channel:${s.code}` }, now);
  // The referrer's event derives from the same key: a retry after a crash between the two writes records it then.
  if (referrer !== null) {
    // The referred customer by id only: their name must not outlive an erasure of them on the referrer's timeline.
    await recordCustomerEvent(db, {
      customerId: referrer,
      key: `${s.sourceKey}:referral`,
      at: s.at,
      kind: 'referred_customer',
      platform: s.platform,
      detail: { customerId: s.customerId, code: s.code },
    });
  }
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A channel code's tags as stored (a JSON array of names); none when absent or unreadable. */
export function channelTags(stored: string | null): string[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((t): t is string => typeof t === 'string' && t.length > 0);
  } catch {
    return [];
  }
}
