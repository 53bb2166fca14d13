import { handleRequestButton } from '../assistant/request-buttons.ts';
import { audit } from '../audit.ts';
import { runCommandText } from '../commands/registry.ts';
import { customerCard } from '../customers/card.ts';
import type { CardActionEvent } from '../events.ts';
import { type Lang, languageOf } from '../i18n.ts';
import type { OutboxItem } from '../outbound.ts';
import { canSeeCustomer, type Viewer } from '../permissions/scope.ts';
import type { CoreDeps } from '../runtime.ts';
import { messageToStaff } from '../staff/notify.ts';
import { ensureBrandStaff, findStaff } from '../staff/registry.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';

/**
 * A button on a card. On a customer card the clicker must be staff and allowed to see the customer (their data
 * scope), exactly as if they had typed the command; the card is then redrawn in place, and a refusal is told to the
 * clicker. Confirm / Cancel on an assistant's plan go to the assistant, which checks the clicker is who asked.
 */
export async function handleCardAction(
  deps: CoreDeps,
  ev: CardActionEvent,
  key: string,
): Promise<OutboxItem[]> {
  const { db, clock } = deps;
  const now = clock.now();
  const staff =
    ev.actor.side === 'brand'
      ? await ensureBrandStaff(db, ev.platform, ev.actor, now)
      : await findStaff(db, {
          platform: ev.platform,
          workspace: ev.actor.workspace,
          externalId: ev.actor.externalId,
        });
  if (!staff) return []; // a customer clicking a card in a shared group: nothing to do, nothing to tell
  const action = String(ev.value.action ?? '');
  if (action === 'confirm_request' || action === 'cancel_request') {
    return handleRequestButton(deps, staff, ev, key, runCommandText);
  }
  const lang: Lang = languageOf(staff.language);
  const customerId = Number(ev.value.customer);
  const viewer: Viewer = { staffId: staff.id, role: staff.role, teamId: staff.team_id };
  if (
    !Number.isSafeInteger(customerId) ||
    !(action in apply) ||
    !(await canSeeCustomer(db, viewer, customerId))
  ) {
    return messageToStaff(deps, staff.id, refused, `${key}:refused`, ev.platform);
  }
  await apply[action as keyof typeof apply](deps, customerId, staff.id, now, key);
  await audit(db, now, {
    actorKind: 'staff',
    actorStaffId: staff.id,
    action: `card.${action}`,
    subjectKind: 'customer',
    subjectId: customerId,
    via: ev.platform,
  });
  const card = await customerCard(deps, customerId, viewer, lang);
  if (!card || !ev.messageId || !ev.chatId) return [];
  if (card.unmasked) {
    await audit(db, now, {
      actorKind: 'staff',
      actorStaffId: staff.id,
      action: 'customer.unmasked_read',
      subjectKind: 'customer',
      subjectId: customerId,
      detail: { command: 'card' },
      via: ev.platform,
    });
  }
  return [
    {
      platform: ev.platform,
      workspace: ev.workspace,
      target: { kind: 'chat', chatId: ev.chatId, editMessageId: ev.messageId },
      content: card.content,
      idempotencyKey: `${key}:redraw`,
    },
  ];
}

const apply = {
  /** Take the customer (from the pool, or, for managers, from someone in their scope). */
  async assign_to_me(deps: CoreDeps, customerId: number, staffId: number, now: number, key: string) {
    const before = await deps.db
      .selectFrom('customers')
      .select('owner_staff_id')
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (before?.owner_staff_id === staffId) return;
    await deps.db
      .updateTable('customers')
      .set({ owner_staff_id: staffId, updated_at: now })
      .where('id', '=', customerId)
      .execute();
    await recordCustomerEvent(deps.db, {
      customerId,
      key: `${key}:owner`,
      at: now,
      kind: 'owner_changed',
      actorStaffId: staffId,
      detail: { from: before?.owner_staff_id ?? null, to: staffId },
    });
  },
  /** A follow-up happened outside the chat (a call, a visit): noted, and the customer is no longer stale. */
  async mark_followed_up(deps: CoreDeps, customerId: number, staffId: number, now: number, key: string) {
    const event = {
      customerId,
      key: `${key}:followed_up`,
      at: now,
      kind: 'followed_up',
      actorStaffId: staffId,
    };
    if (!(await recordCustomerEvent(deps.db, event))) return; // this click was handled already
    await deps.db
      .insertInto('notes')
      .values({
        customer_id: customerId,
        author_staff_id: staffId,
        body: '已跟进 / followed up',
        created_at: now,
      })
      .execute();
    await deps.db
      .updateTable('customers')
      .set({ last_contact_at: now, updated_at: now })
      .where('id', '=', customerId)
      .execute();
  },
};

const refused: Record<Lang, string> = {
  zh: '这位客户不在你的权限范围内，操作未执行。',
  en: 'That customer is outside what you may act on; nothing was changed.',
};
