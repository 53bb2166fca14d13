import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import type { Database } from '../../../../db/schema.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MassSendContent, OutboundMessage } from '../../ports/outbound.ts';
import { mayContact } from '../../records/privacy/do-not-contact.ts';
import { findOutreachRoute, type NoRoute, type OutreachRoute } from './route.ts';

export type { OutreachRoute } from './route.ts';

/** Why a marketing message does not go to a customer. */
export type OutreachSkip = 'do_not_contact' | 'frequency_cap' | NoRoute;

export type OutreachDecision = { ok: true; route: OutreachRoute } | { ok: false; reason: OutreachSkip };

/**
 * Whether a marketing message (campaign, SOP step) may go to a customer now, and how. Do-not-contact and the
 * frequency cap (`OUTREACH_FREQUENCY_CAP`) always win; `key` is this outreach's own key, which the cap does not
 * count, so retrying an outreach that was recorded but not yet queued is not blocked by itself.
 */
export async function decideOutreach(
  deps: CoreDeps,
  customerId: number,
  key: string,
  now: number,
): Promise<OutreachDecision> {
  if (!(await mayContact(deps.db, customerId))) return { ok: false, reason: 'do_not_contact' };
  const { limit, windowMs } = deps.org.outreachCap;
  const recent = await deps.db
    .selectFrom('customer_outreach')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('at', '>', now - windowMs)
    .where('outreach_key', '<>', key)
    .executeTakeFirst();
  if (Number(recent?.n ?? 0) >= limit) return { ok: false, reason: 'frequency_cap' };
  const route = await findOutreachRoute(deps, customerId, now);
  return typeof route === 'string' ? { ok: false, reason: route } : { ok: true, route };
}

/**
 * `decideOutreach`, then the claim on the cap (`claimOutreach`): the decision a campaign or SOP step acts on. A claim
 * lost to outreach sent meanwhile (another instance, at the same moment) is a `frequency_cap` skip.
 */
export async function reserveOutreach(
  deps: CoreDeps,
  r: OutreachRecord,
  now: number,
): Promise<OutreachDecision> {
  const d = await decideOutreach(deps, r.customerId, r.key, now);
  if (!d.ok || (await claimOutreach(deps, r))) return d;
  return { ok: false, reason: 'frequency_cap' };
}

/** One outreach, as the cap counts it. */
export interface OutreachRecord {
  customerId: number;
  kind: 'campaign' | 'sop';
  ref: string;
  key: string;
  at: number;
}

/**
 * Counts an outreach against the customer's cap if the cap still allows it, once per key: true when it may go
 * (claimed now, or by an earlier attempt with the same key), false when other outreach filled the cap since
 * `decideOutreach`. Claim before queueing the send. Atomic across instances: the conditional insert is one statement,
 * which SQLite and D1 run one at a time; on PostgreSQL it runs under a per-customer advisory lock.
 */
export async function claimOutreach(deps: CoreDeps, r: OutreachRecord): Promise<boolean> {
  const claim = async (db: Kysely<Database>) => {
    if (isPostgres(db))
      await sql`select pg_advisory_xact_lock(hashtextextended(${`outreach:${r.customerId}`}, 0))`.execute(db);
    await insertWithinCap(db, r, deps.org.outreachCap);
    return db
      .selectFrom('customer_outreach')
      .select('id')
      .where('outreach_key', '=', r.key)
      .executeTakeFirst();
  };
  const row = isPostgres(deps.db) ? await deps.db.transaction().execute(claim) : await claim(deps.db);
  return row !== undefined;
}

/** `insert … select … where <fewer than limit in the window>`: the count and the insert in one statement. */
async function insertWithinCap(
  db: Kysely<Database>,
  r: OutreachRecord,
  cap: { limit: number; windowMs: number },
): Promise<void> {
  const recent = db
    .selectFrom('customer_outreach')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('customer_id', '=', r.customerId)
    .where('at', '>', r.at - cap.windowMs);
  await db
    .insertInto('customer_outreach')
    .columns(['customer_id', 'kind', 'ref', 'outreach_key', 'at'])
    .expression(
      db
        .selectNoFrom([
          sql<number>`cast(${r.customerId} as bigint)`.as('customer_id'),
          sql<string>`cast(${r.kind} as text)`.as('kind'),
          sql<string>`cast(${r.ref} as text)`.as('ref'),
          sql<string>`cast(${r.key} as text)`.as('outreach_key'),
          sql<number>`cast(${r.at} as bigint)`.as('at'),
        ])
        .where(recent, '<', cap.limit),
    )
    .onConflict((oc) => oc.column('outreach_key').doNothing())
    .execute();
}

/** The text a platform without link cards shows: the message, then the link's title and address. */
export function outreachText(content: MassSendContent): string {
  return content.link ? `${content.text}\n\n${content.link.title} ${content.link.url}` : content.text;
}

/** The outbox message for a chat route, on the customer's timeline once the platform confirms it. */
export function outreachMessage(
  route: Extract<OutreachRoute, { kind: 'chat' }>,
  content: MassSendContent,
  idempotencyKey: string,
  customerId: number,
): OutboundMessage {
  return {
    platform: route.platform,
    workspace: route.workspace,
    idempotencyKey,
    target: {
      kind: 'chat',
      chatId: route.platformChatId,
      chatKind: route.chatKind,
      ...(route.connectionId ? { connectionId: route.connectionId } : {}),
    },
    content: { text: outreachText(content), ...(content.image ? { image: content.image } : {}) },
    customerId,
    chatId: route.chatId,
  };
}
