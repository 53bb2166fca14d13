import { handleCardAction } from '../chat/card-action.ts';
import { findChat } from '../conversations/chats.ts';
import { recordConnection } from '../conversations/connections.ts';
import { markMessagesDeleted } from '../conversations/messages.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import { handleMassSendEvent } from '../marketing/campaigns/mass-send-events.ts';
import type { InboundEvent, NoticeEvent, TagsMirroredEvent } from '../ports/events.ts';
import type { OutboxItem } from '../ports/outbound.ts';
import { resolveLinkedCustomer } from '../records/merge/same-union.ts';
import { mayContact } from '../records/privacy/do-not-contact.ts';
import { recordGroupTransfers, recordTransferResults } from '../records/staff/handover.ts';
import { recordTagsMirrored, refreshTagCatalog } from '../records/tags/platform-tags.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';
import { noteArchiveProgress, recordRecall } from './archive.ts';
import { handleContactEvent } from './contact-change.ts';
import { handleMemberLeft } from './departures.ts';
import { handleGroupChange } from './group-change.ts';
import { handleMessage } from './ingest.ts';
import { recordReachability } from './reachability.ts';
import { pullServiceMessages } from './service-pull.ts';

/**
 * The core's single entry for platform events. Idempotent: processing the same event again (after a crash or a
 * redelivery) changes nothing and returns the same sends, with the same idempotency keys (`${key}:reply`…).
 */
export async function handleEvent(deps: CoreDeps, event: InboundEvent, key: string): Promise<OutboxItem[]> {
  switch (event.kind) {
    case 'message':
      return handleMessage(deps, event, `${key}:reply`);
    case 'messages_deleted': {
      const chat = await findChat(deps.db, event.platform, event.workspace, event.chat.key);
      if (!chat) return [];
      if (event.recalledBy) await recordRecall(deps, chat.id, { ...event, recalledBy: event.recalledBy });
      else await markMessagesDeleted(deps.db, chat.id, event.messageIds, event.occurredAt);
      return [];
    }
    case 'connection':
      await recordConnection(deps, event);
      return [];
    case 'contact':
      return handleContactEvent(deps, event, key);
    case 'member_left':
      return handleMemberLeft(deps, event);
    case 'group_transfer_result':
      return recordGroupTransfers(deps, event, key);
    case 'service_pull':
      return pullServiceMessages(deps, event, handleEvent);
    case 'group':
      await handleGroupChange(deps, event, key);
      return [];
    case 'archive_progress':
      await noteArchiveProgress(deps, event);
      return [];
    case 'tag_catalog':
      await refreshTagCatalog(deps, event.platform, event.workspace);
      return [];
    case 'notice':
      return serviceWelcome(deps, event, await recordNotice(deps, event), key);
    case 'transfer_result':
      await recordTransferResults(deps, event, key);
      return [];
    case 'tags_mirrored':
      await markMirrored(deps, event);
      return [];
    case 'card_action':
      return handleCardAction(deps, event, key);
    case 'mass_send':
      return handleMassSendEvent(deps, event, key);
    case 'reachability':
      await recordReachability(deps, event);
      return [];
  }
}

/** Records a platform's notice on the customer's timeline; the customer's id. */
async function recordNotice(deps: CoreDeps, ev: NoticeEvent): Promise<number> {
  const now = deps.clock.now();
  const customer = await resolveLinkedCustomer(deps, ev.platform, ev.customer, now, { source: ev.platform });
  await recordCustomerEvent(deps.db, {
    customerId: customer.customerId,
    key: `${ev.platform}:${ev.workspace}:notice:${ev.noticeId}`,
    at: ev.occurredAt,
    kind: `notice:${ev.notice}`,
    platform: ev.platform,
    ...(ev.detail ? { detail: ev.detail } : {}),
  });
  return customer.customerId;
}

/**
 * The greeting a customer opening a customer-service session gets, when one is configured: once (the code's key),
 * and not to a customer who asked not to be contacted.
 */
async function serviceWelcome(
  deps: CoreDeps,
  ev: NoticeEvent,
  customerId: number,
  key: string,
): Promise<OutboxItem[]> {
  const text = deps.org.serviceWelcome;
  if (!ev.welcomeCode || !text || !(await mayContact(deps.db, customerId))) return [];
  return [
    {
      platform: ev.platform,
      workspace: ev.workspace,
      idempotencyKey: `${key}:welcome`,
      action: { type: 'service_event_message', code: ev.welcomeCode, text },
    },
  ];
}

async function markMirrored(deps: CoreDeps, ev: TagsMirroredEvent): Promise<void> {
  const identity = await deps.db
    .selectFrom('identities')
    .select('customer_id')
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.customer.workspace)
    .where('external_id', '=', ev.customer.externalId)
    .executeTakeFirst();
  if (identity) await recordTagsMirrored(deps.db, identity.customer_id, ev.added, deps.clock.now());
}
