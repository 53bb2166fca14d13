import { audit } from '../kernel/audit.ts';
import { type Lang, languageOf, messages } from '../kernel/i18n/index.ts';
import { auditedAs, staffActor } from '../kernel/permissions/actor.ts';
import { type ReachedCustomer, reachCustomer } from '../kernel/permissions/reach.ts';
import { viewerOf } from '../kernel/permissions/scope.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { CardActionEvent } from '../ports/events.ts';
import type { OutboxItem } from '../ports/outbound.ts';
import { customerCard } from '../records/customers/card.ts';
import { addNote } from '../records/customers/notes.ts';
import { changeOwner } from '../records/customers/ownership-stage.ts';
import { messageToStaff } from '../records/staff/notify.ts';
import { ensureBrandStaff, findStaff } from '../records/staff/registry.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';
import { handleRequestButton } from './assistant/request-buttons.ts';
import { runCommandText } from './commands/registry.ts';

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
  const actor = staffActor(viewerOf(staff), ev.platform);
  // A button Liaison never drew (another app's, an older card's) or one whose customer is gone is outdated, not refused.
  const issued = Object.hasOwn(apply, action) && Number.isSafeInteger(customerId) && customerId > 0;
  if (!issued || !(await reachCustomer(db, { ...actor, viewer: null }, customerId)))
    return messageToStaff(deps, staff.id, outdated, `${key}:outdated`, ev.platform);
  const customer = await reachCustomer(db, actor, customerId);
  if (!customer) return messageToStaff(deps, staff.id, refused, `${key}:refused`, ev.platform);
  await apply[action as keyof typeof apply](deps, customer, key);
  await audit(db, now, {
    ...auditedAs(actor),
    action: `card.${action}`,
    subjectKind: 'customer',
    subjectId: customerId,
  });
  if (!ev.messageId || !ev.chatId) return [];
  const card = await customerCard(deps, actor, customerId, lang, { command: 'card' });
  if (!card) return [];
  return [
    {
      platform: ev.platform,
      workspace: ev.workspace,
      target: { kind: 'chat', chatId: ev.chatId, editMessageId: ev.messageId },
      content: card,
      idempotencyKey: `${key}:redraw`,
    },
  ];
}

const apply = {
  /** Take the customer (from the pool, or, for managers, from someone in their scope). */
  async assign_to_me(deps: CoreDeps, customer: ReachedCustomer, key: string) {
    const me = customer.actor.staffId;
    if (me !== null) await changeOwner(deps, { customer, ownerStaffId: me }, key);
  },
  /** A follow-up happened outside the chat (a call, a visit): noted, and the customer is no longer stale. */
  async mark_followed_up(deps: CoreDeps, customer: ReachedCustomer, key: string) {
    const event = {
      customerId: customer.id,
      key: `${key}:followed_up`,
      at: deps.clock.now(),
      kind: 'followed_up',
      actorStaffId: customer.actor.staffId,
    };
    if (!(await recordCustomerEvent(deps.db, event))) return; // this click was handled already
    await addNote(deps, { customer, body: '已跟进 / followed up' }, `${key}:note`);
  },
};

const refused = (lang: Lang): string => messages(lang).cardRefused;
const outdated = (lang: Lang): string => messages(lang).cardOutdated;
