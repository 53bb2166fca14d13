import { audit } from '../kernel/audit.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { ConnectionEvent, Platform } from '../ports/events.ts';
import { findStaff, learnStaffProfile } from '../records/staff/registry.ts';

export interface ActiveConnection {
  ownerStaffId: number;
  canReply: boolean;
}

/**
 * Records a brand account connecting to the bot. Only an account owned by staff is captured: anyone can connect
 * their Telegram Business account to a public bot, and a stranger's customers do not belong in this CRM.
 */
export async function recordConnection(deps: CoreDeps, ev: ConnectionEvent): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const staff = await findStaff(db, {
    platform: ev.platform,
    workspace: ev.owner.workspace,
    externalId: ev.owner.externalId,
  });
  if (staff) await learnStaffProfile(db, staff, ev.owner, now);
  const status = !ev.enabled ? 'disabled' : staff ? 'active' : 'unauthorised';
  const values = {
    owner_external_id: ev.owner.externalId,
    owner_staff_id: staff?.id ?? null,
    status,
    can_reply: ev.canReply ? 1 : 0,
    owner_chat_id: ev.ownerChatId ?? null,
    updated_at: now,
  } as const;
  await db
    .insertInto('platform_connections')
    .values({
      platform: ev.platform,
      workspace: ev.workspace,
      external_id: ev.connectionId,
      created_at: now,
      ...values,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_id']).doUpdateSet(values))
    .execute();
  await audit(db, now, {
    actorKind: 'system',
    actorStaffId: staff?.id ?? null,
    action: `connection.${status}`,
    subjectKind: 'connection',
    subjectId: `${ev.platform}:${ev.connectionId}`,
    detail: { ownerExternalId: ev.owner.externalId },
  });
  if (status === 'unauthorised') {
    deps.logger.warn(
      { platform: ev.platform, connection: ev.connectionId },
      'a non-staff account connected the bot; its chats are ignored until an admin adds the owner as staff',
    );
  }
}

/**
 * The staff-owned connection a chat belongs to, or null when its chats must be ignored. A connection announced
 * before Liaison was listening is looked up on the platform once and recorded.
 */
export async function activeConnection(
  deps: CoreDeps,
  platform: Platform,
  workspace: string,
  connectionId: string,
): Promise<ActiveConnection | null> {
  const find = () =>
    deps.db
      .selectFrom('platform_connections')
      .select(['status', 'owner_staff_id', 'can_reply'])
      .where('platform', '=', platform)
      .where('workspace', '=', workspace)
      .where('external_id', '=', connectionId)
      .executeTakeFirst();
  let row = await find();
  if (!row) {
    const announced = await deps.adapters.get(platform)?.lookupConnection?.(connectionId);
    if (!announced) return null;
    await recordConnection(deps, announced);
    row = await find();
  }
  if (row?.status !== 'active' || row.owner_staff_id === null) return null;
  return { ownerStaffId: row.owner_staff_id, canReply: row.can_reply === 1 };
}
