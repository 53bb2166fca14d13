import { sql } from 'kysely';
import { withdrawMessages } from '../conversations/messages.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { ArchiveProgressEvent, MessagesDeletedEvent } from '../ports/events.ts';
import { findStaff } from '../records/staff/registry.ts';
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
