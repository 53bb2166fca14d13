import { ensureChat } from '../conversations/chats.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { GroupChangeEvent } from '../ports/events.ts';
import { resolveLinkedCustomer } from '../records/merge/same-union.ts';
import { ensureBrandStaff } from '../records/staff/registry.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';

/**
 * A customer group changed (WeCom 客户群). The event says little, so the group is re-read and its membership compared
 * with what was last seen: customers who joined or left get it on their timeline.
 */
export async function handleGroupChange(
  deps: CoreDeps,
  ev: GroupChangeEvent,
  key: string,
): Promise<{ joined: number; left: number }> {
  const { db, clock } = deps;
  const now = clock.now();
  const directory = deps.adapters.get(ev.platform)?.contacts;
  const profile = ev.change === 'dismissed' ? null : await directory?.fetchGroup(ev.chat.platformChatId);
  const chatId = await ensureChat(db, ev.platform, ev.workspace, profile?.chat ?? ev.chat, null, now);
  const title = profile?.chat.title ?? ev.chat.title ?? null;
  const stored = await db
    .selectFrom('chat_members')
    .select(['member_key', 'customer_id', 'left_at'])
    .where('chat_id', '=', chatId)
    .execute();
  const present = new Set(stored.filter((m) => m.left_at === null).map((m) => m.member_key));
  const current = new Set(profile?.members.map((m) => m.id) ?? []);
  const counts = { joined: 0, left: 0 };

  for (const m of profile?.members ?? []) {
    if (present.has(m.id)) continue;
    const person = {
      externalId: m.id,
      workspace: deps.adapters.get(ev.platform)?.peopleWorkspace ?? ev.workspace,
      ...(m.name ? { displayName: m.name } : {}),
      ...(m.unionId ? { unionId: m.unionId } : {}),
    };
    const staffId = m.isStaff ? (await ensureBrandStaff(db, ev.platform, person, now)).id : null;
    const customerId = m.isStaff
      ? null
      : (await resolveLinkedCustomer(deps, ev.platform, person, now, { source: `${ev.platform}:group` }))
          .customerId;
    const values = {
      customer_id: customerId,
      staff_id: staffId,
      joined_at: m.joinedAt ?? ev.occurredAt,
      left_at: null,
      updated_at: now,
    };
    await db
      .insertInto('chat_members')
      .values({ chat_id: chatId, member_key: m.id, ...values })
      .onConflict((oc) => oc.columns(['chat_id', 'member_key']).doUpdateSet(values))
      .execute();
    counts.joined++;
    if (customerId !== null) {
      await recordCustomerEvent(db, {
        customerId,
        key: `${key}:joined:${m.id}`,
        at: m.joinedAt ?? ev.occurredAt,
        kind: 'group_joined',
        platform: ev.platform,
        detail: { group: title },
      });
    }
  }

  for (const m of stored) {
    if (m.left_at !== null || current.has(m.member_key)) continue;
    await db
      .updateTable('chat_members')
      .set({ left_at: ev.occurredAt, updated_at: now })
      .where('chat_id', '=', chatId)
      .where('member_key', '=', m.member_key)
      .execute();
    counts.left++;
    if (m.customer_id !== null) {
      await recordCustomerEvent(db, {
        customerId: m.customer_id,
        key: `${key}:left:${m.member_key}`,
        at: ev.occurredAt,
        kind: ev.change === 'dismissed' ? 'group_dismissed' : 'group_left',
        platform: ev.platform,
        detail: { group: title },
      });
    }
  }
  return counts;
}
