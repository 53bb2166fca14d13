import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { withdrawMessages } from '../conversations/messages.ts';
import { audit } from '../kernel/audit.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { ArchiveProgressEvent, MessagesDeletedEvent, Platform } from '../ports/events.ts';
import { ensureBrandStaff, findStaff } from '../records/staff/registry.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';

/** The highest archive sequence number recorded; its `updated_at` is when the archive last moved forward. */
export const ARCHIVE_SEQ = 'archive:seq';
/** Since when (epoch ms, as text) the platform has announced archived messages that no push has followed. */
export const ARCHIVE_NOTIFIED = 'archive:notified_at';

/** How long an announcement may go without a push before the companion counts as behind (it pulls in seconds). */
const BEHIND_MS = 10 * 60_000;

/**
 * A push received moves the archive's high-water mark forward (never back: pushes may be processed out of order).
 * The platform's announcements of new records are kept, with a warning when one has gone unanswered by a push for ten
 * minutes, so operators see the companion fall behind before the platform's retention drops messages.
 */
export async function noteArchiveProgress(deps: CoreDeps, ev: ArchiveProgressEvent): Promise<void> {
  const now = deps.clock.now();
  if (ev.switched) return recordSwitch(deps, ev, ev.switched);
  const cursor = { platform: ev.platform, workspace: ev.workspace, updated_at: now };
  const key = ['platform', 'workspace', 'name'] as const;
  if (ev.seq !== undefined) {
    if (!/^\d{1,19}$/.test(ev.seq)) return;
    const value = ev.seq.replace(/^0+(?=\d)/, '');
    // Digit strings compare as numbers by length first, then as text: the same on every dialect, no casts.
    await deps.db
      .insertInto('platform_cursors')
      .values({ ...cursor, name: ARCHIVE_SEQ, value })
      .onConflict((oc) =>
        oc
          .columns(key)
          .doUpdateSet({ value, updated_at: now })
          .where(
            sql<boolean>`length(platform_cursors.value) < ${value.length} or (length(platform_cursors.value) = ${value.length} and platform_cursors.value < ${value})`,
          ),
      )
      .execute();
    return;
  }
  // Pending since the first announcement no push has followed: a push moves the high-water mark's `updated_at`.
  const [pushed, pending] = await Promise.all([
    readArchiveCursor(deps, ev, ARCHIVE_SEQ),
    readArchiveCursor(deps, ev, ARCHIVE_NOTIFIED),
  ]);
  const lastPush = pushed?.updated_at ?? 0;
  const since = pending && Number(pending.value) > lastPush ? Number(pending.value) : now;
  const value = String(since);
  await deps.db
    .insertInto('platform_cursors')
    .values({ ...cursor, name: ARCHIVE_NOTIFIED, value })
    .onConflict((oc) => oc.columns(key).doUpdateSet({ value, updated_at: now }))
    .execute();
  if (now - since <= BEHIND_MS) return;
  deps.logger.warn(
    {
      platform: ev.platform,
      workspace: ev.workspace,
      pendingSince: since,
      lastSeq: pushed?.value ?? null,
      lastPushAt: pushed?.updated_at ?? null,
    },
    'chat archive behind: archived messages announced ten minutes ago or more have not been pushed',
  );
}

function readArchiveCursor(deps: CoreDeps, ev: ArchiveProgressEvent, name: string) {
  return deps.db
    .selectFrom('platform_cursors')
    .select(['value', 'updated_at'])
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.workspace)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Messages their author withdrew: the text leaves the conversation and is kept on the customer's timeline. */
export async function recordRecall(
  deps: CoreDeps,
  chatId: number,
  ev: MessagesDeletedEvent & { recalledBy: NonNullable<MessagesDeletedEvent['recalledBy']> },
): Promise<void> {
  const withdrawn = await withdrawMessages(deps.db, chatId, ev.messageIds, ev.occurredAt);
  const staff = await findStaff(deps.db, {
    platform: ev.platform,
    workspace: ev.recalledBy.workspace,
    externalId: ev.recalledBy.externalId,
  });
  for (const m of withdrawn) {
    if (m.customerId === null) continue;
    await recordCustomerEvent(deps.db, {
      customerId: m.customerId,
      key: `${ev.platform}:${ev.workspace}:recall:${chatId}:${m.platformMessageId}`,
      at: ev.occurredAt,
      kind: 'message_recalled',
      platform: ev.platform,
      actorStaffId: staff?.id ?? null,
      detail: { text: m.text, sentAt: m.sentAt, by: staff ? 'staff' : 'customer' },
    });
  }
}

/**
 * The member a customer talks with one-to-one becomes their owner when they have none (the customer may have been
 * created first by a consent record processed alongside, or by a group).
 */
export async function adoptUnowned(deps: CoreDeps, customerId: number, staffId: number): Promise<void> {
  await deps.db
    .updateTable('customers')
    .set({ owner_staff_id: staffId, updated_at: deps.clock.now() })
    .where('id', '=', customerId)
    .where('owner_staff_id', 'is', null)
    .execute();
}

/**
 * A one-to-one archived conversation between a member and an external contact proves the contact relation: recorded
 * as a contact event would record it (active), so replies are explained as the member's to write and outreach can
 * go through the member's mass sends. A relation already recorded (by an event or a sync, active or lost) is kept.
 */
export async function recordArchivedContact(
  deps: CoreDeps,
  customer: { customerId: number; identityId: number },
  memberExternalId: string,
  staffId: number,
): Promise<void> {
  await deps.db
    .insertInto('contact_relations')
    .values({
      identity_id: customer.identityId,
      customer_id: customer.customerId,
      member_external_id: memberExternalId,
      staff_id: staffId,
      status: 'active',
      remark: null,
      description: null,
      channel: null,
      added_at: null,
      lost_at: null,
      lost_reason: null,
      updated_at: deps.clock.now(),
    })
    .onConflict((oc) => oc.columns(['identity_id', 'member_external_id']).doNothing())
    .execute();
}

/**
 * A customer who writes in a customer group is one of its members, whether or not its membership was read: kept in
 * `chat_members` (an existing row, present or gone, is left as it is), so the group's conversation is on their record.
 */
export async function joinArchivedGroup(
  deps: CoreDeps,
  chatId: number,
  memberKey: string,
  customerId: number,
): Promise<void> {
  await deps.db
    .insertInto('chat_members')
    .values({
      chat_id: chatId,
      member_key: memberKey,
      customer_id: customerId,
      staff_id: null,
      joined_at: null,
      left_at: null,
      updated_at: deps.clock.now(),
    })
    .onConflict((oc) => oc.columns(['chat_id', 'member_key']).doNothing())
    .execute();
}

/** The audit action of a member switching their client to another corp (a `switch` record in WeCom's archive). */
export const ARCHIVE_SWITCH_ACTION = 'archive.member_switched';

/**
 * A member switched their client to another corp: what they say there is not archived here, so the moment is kept
 * in the audit log (once per record), with the member as subject, for whoever reads a gap in their conversations.
 */
async function recordSwitch(
  deps: CoreDeps,
  ev: ArchiveProgressEvent,
  switched: NonNullable<ArchiveProgressEvent['switched']>,
): Promise<void> {
  const staff = await ensureBrandStaff(deps.db, ev.platform, switched.member, deps.clock.now());
  const seen = await deps.db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', ARCHIVE_SWITCH_ACTION)
    .where('subject_kind', '=', 'staff')
    .where('subject_id', '=', String(staff.id))
    .where('at', '=', ev.occurredAt)
    .executeTakeFirst();
  if (seen) return;
  await audit(deps.db, ev.occurredAt, {
    actorKind: 'system',
    actorStaffId: staff.id,
    action: ARCHIVE_SWITCH_ACTION,
    subjectKind: 'staff',
    subjectId: staff.id,
    detail: { member: switched.member.externalId, record: switched.recordId },
    via: ev.platform,
  });
}

/** Where each workspace's archive stands, for operators (metrics): how far pushes reached, and what waits. */
export interface ArchiveState {
  platform: Platform;
  workspace: string;
  /** The highest sequence number pushed, as text; null before any push. */
  seq: string | null;
  /** When the high-water mark last moved (the last push that brought new records). */
  lastPushAt: number | null;
  /** Since when an announcement of new records has gone without a push; null when none waits. */
  pendingSince: number | null;
}

/** The archive's state per platform and workspace that has one. */
export async function archiveStates(db: Kysely<Database>): Promise<ArchiveState[]> {
  const rows = await db
    .selectFrom('platform_cursors')
    .select(['platform', 'workspace', 'name', 'value', 'updated_at'])
    .where('name', 'in', [ARCHIVE_SEQ, ARCHIVE_NOTIFIED])
    .execute();
  const states = new Map<string, ArchiveState & { notified: number | null }>();
  for (const r of rows) {
    const key = `${r.platform}\u0000${r.workspace}`;
    const state = states.get(key) ?? {
      platform: r.platform,
      workspace: r.workspace,
      seq: null,
      lastPushAt: null,
      pendingSince: null,
      notified: null,
    };
    if (r.name === ARCHIVE_SEQ) {
      state.seq = r.value;
      state.lastPushAt = Number(r.updated_at);
    } else state.notified = Number(r.value);
    states.set(key, state);
  }
  return [...states.values()].map(({ notified, ...s }) => ({
    ...s,
    pendingSince: notified !== null && notified > (s.lastPushAt ?? 0) ? notified : null,
  }));
}
