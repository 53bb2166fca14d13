import { runStaffCommand } from '../chat/staff-messages.ts';
import { acknowledgement } from '../conversations/acknowledge.ts';
import { ensureChat, findChat } from '../conversations/chats.ts';
import { activeConnection } from '../conversations/connections.ts';
import { inInboxChat } from '../conversations/inbox-chat.ts';
import { customerAnswered, recordMessage } from '../conversations/messages.ts';
import { customerOfRelay, queueRelay } from '../conversations/relay.ts';
import { resolveWritingCustomer } from '../conversations/writing-customer.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { ChatRef, MessageEvent, PersonRef, Platform } from '../ports/events.ts';
import type { OutboxItem } from '../ports/outbound.ts';
import { readCustomerMessage } from '../reading/intelligence/read-message.ts';
import { type CustomerAtHandReader, customerAtHandReader } from '../records/customers/at-hand.ts';
import { learnIdentityFromMessage } from '../records/customers/duplicates-from-message.ts';
import { recordSharedPhone } from '../records/customers/resolve.ts';
import {
  ensureBrandStaff,
  findSender,
  findStaff,
  type KnownStaff,
  learnStaffProfile,
} from '../records/staff/registry.ts';
import { adoptUnowned, joinArchivedGroup, recordArchivedContact } from './archive.ts';
import { attributeBoundChat, attributeDeepLink, deepLinkArrival, deepLinkPayload } from './arrival.ts';
import { answerInInbox, ignoredInInbox } from './inbox-answers.ts';
import { answerTo, staffRequestOf } from './staff-request.ts';

/** Archived messages older than this are history (a backfill): read for tags, but nobody is alerted or waits. */
const ARCHIVE_HISTORY_MS = 24 * 3_600_000;

/**
 * The message with what its event left out and the platform can tell (a Feishu bundle's messages), asked once before
 * it is stored; when the platform does not answer, the message is stored as the event had it, never lost over it.
 */
async function withFullContent(deps: CoreDeps, ev: MessageEvent): Promise<MessageEvent> {
  const adapter = deps.adapters.get(ev.platform);
  if (!ev.content || !adapter?.completeContent) return ev;
  try {
    const content = await adapter.completeContent(ev);
    return content ? { ...ev, content } : ev;
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'error';
    deps.logger.warn({ platform: ev.platform, reason }, 'message content left as the event had it');
    return ev;
  }
}

/**
 * One message from a platform: a customer's message is captured on their record (and never answered by the CRM);
 * a staff member's message to the bot is a command and gets a reply; staff replies in customer groups are recorded.
 */
export async function handleMessage(
  deps: CoreDeps,
  received: MessageEvent,
  replyKey: string,
): Promise<OutboxItem[]> {
  const ev = await withFullContent(deps, received);
  if (ev.chat.kind === 'business') {
    const captured = await captureBusinessMessage(deps, ev);
    return captured ? readCaptured(deps, ev, captured, replyKey) : [];
  }
  if (ev.archived) return handleArchivedMessage(deps, ev, replyKey);
  // The platform vouches for its own people (a WeCom member, a Feishu user of our tenant): they are staff.
  const staff =
    ev.sender.side === 'brand'
      ? await ensureBrandStaff(
          deps.db,
          ev.platform,
          await named(deps, ev.platform, ev.sender, ev.chat),
          deps.clock.now(),
        )
      : await findSender(deps.db, received, {
          platform: ev.platform,
          workspace: ev.sender.workspace,
          externalId: ev.sender.externalId,
        });
  if (staff) return handleStaffMessage(deps, staff, ev, replyKey);
  if (inInboxChat(deps, ev)) return ignoredInInbox(deps, ev);
  // A Telegram deep link (`/start <code>`) brings the customer through a channel code: on the timeline, never read.
  const deepLink = deepLinkPayload(ev);
  if (deepLink !== undefined) {
    const arrived = await deepLinkArrival(deps, ev, deepLink);
    const captured = await captureCustomerMessage(deps, ev, ev.sender, arrived);
    await attributeDeepLink(deps, ev, deepLink, captured.customerId);
    return acknowledgement(deps, ev, captured, replyKey);
  }
  // A customer never reaches commands or the assistant: their words are read for tags and alerts, and they get at
  // most the configured acknowledgement.
  const captured = await captureCustomerMessage(deps, ev, ev.sender, { source: ev.platform });
  await attributeBoundChat(deps, ev, captured);
  // Read once, after the bound chat set its owner, for the relay, the alerts and the stage suggested.
  const customer = customerAtHandReader(deps.db, captured.customerId);
  await queueRelay(deps, ev, captured, customer);
  return [
    ...(await readCaptured(deps, ev, captured, replyKey, customer)),
    ...(await acknowledgement(deps, ev, captured, replyKey)),
  ];
}

async function handleStaffMessage(
  deps: CoreDeps,
  known: KnownStaff,
  ev: MessageEvent,
  replyKey: string,
): Promise<OutboxItem[]> {
  const now = deps.clock.now();
  const staff = await learnStaffProfile(deps.db, known, ev.sender, now);
  if (inInboxChat(deps, ev)) return answerInInbox(deps, staff, ev, replyKey);
  if (ev.botCommandText !== undefined) {
    if (ev.editedAt !== undefined) return []; // an edited command is not a new request
    // Answering a relayed customer message with the platform's reply is a reply to that customer.
    const relayed = ev.chat.kind === 'private' ? await customerOfRelay(deps, ev) : null;
    const outcome = await runStaffCommand(
      deps,
      staffRequestOf(staff, ev, { text: ev.botCommandText, key: replyKey, answering: relayed }),
    );
    return [answerTo(ev, outcome.reply, replyKey), ...outcome.queued];
  }
  // Staff talk in a group is a reply to customers only where customers have written; staff-only groups stay private.
  const chat =
    ev.chat.kind === 'private' ? undefined : await findChat(deps.db, ev.platform, ev.workspace, ev.chat.key);
  if (!chat) return [];
  const customerId =
    chat.customer_id ?? (await customerAnswered(deps.db, chat.id, ev.replyToMessageId, ev.occurredAt));
  await recordMessage(deps.db, {
    ...messageFields(ev, chat.id, customerId, now),
    direction: 'out',
    authorKind: 'staff',
    authorStaffId: staff.id,
  });
  return [];
}

/**
 * A message from the platform's archive of staff's conversations (WeCom 会话内容存档): recorded and read like any, never
 * relayed or acknowledged (staff saw it where it was written). In a one-to-one chat it lands on the customer's record,
 * a member's message as their reply; in a group, like a group message.
 */
async function handleArchivedMessage(
  deps: CoreDeps,
  ev: MessageEvent,
  replyKey: string,
): Promise<OutboxItem[]> {
  const now = deps.clock.now();
  const between = ev.archived?.between;
  const source = `${ev.platform}_archive`;
  if (ev.sender.side === 'brand') {
    const staff = await ensureBrandStaff(deps.db, ev.platform, ev.sender, now);
    if (!between) return handleStaffMessage(deps, staff, ev, replyKey);
    const captured = await captureCustomerMessage(deps, ev, between.customer, {
      source,
      ownerStaffId: staff.id,
      authorStaffId: staff.id,
    });
    await adoptUnowned(deps, captured.customerId, staff.id);
    await recordArchivedContact(deps, captured, between.member.externalId, staff.id);
    return [];
  }
  const owner = between ? await ensureBrandStaff(deps.db, ev.platform, between.member, now) : null;
  const captured = await captureCustomerMessage(deps, ev, ev.sender, {
    source,
    ...(owner ? { ownerStaffId: owner.id } : {}),
  });
  if (owner && between) {
    await adoptUnowned(deps, captured.customerId, owner.id);
    await recordArchivedContact(deps, captured, between.member.externalId, owner.id);
  }
  // A customer writing in a customer group is one of its members: the group's conversation shows on their record.
  if (!between) await joinArchivedGroup(deps, captured.chatId, ev.sender.externalId, captured.customerId);
  await attributeBoundChat(deps, ev, captured);
  return readCaptured(deps, ev, captured, replyKey);
}

/** Telegram Business: the customer writes to a staff member's own account; the owner's replies come back as echoes. */
async function captureBusinessMessage(deps: CoreDeps, ev: MessageEvent): Promise<Captured | null> {
  const connection = ev.chat.connectionId
    ? await activeConnection(deps, ev.platform, ev.workspace, ev.chat.connectionId)
    : null;
  if (!connection) {
    deps.logger.info(
      { platform: ev.platform, chat: ev.chat.key },
      'business message on a connection not owned by staff ignored',
    );
    return null;
  }
  const fromOwner = ev.sender.side === 'brand';
  // In a business chat the chat itself is the customer; the owner's echo must never become a customer.
  const customer: PersonRef = fromOwner
    ? {
        externalId: ev.chat.platformChatId,
        workspace: ev.sender.workspace,
        ...(ev.chat.title ? { displayName: ev.chat.title } : {}),
      }
    : ev.sender;
  return captureCustomerMessage(deps, ev, customer, {
    source: `${ev.platform}_business`,
    ownerStaffId: connection.ownerStaffId,
    ...(fromOwner ? { authorStaffId: connection.ownerStaffId } : {}),
  });
}

async function captureCustomerMessage(
  deps: CoreDeps,
  ev: MessageEvent,
  customer: PersonRef,
  opts: { source: string; ownerStaffId?: number; authorStaffId?: number },
): Promise<Captured> {
  const { db } = deps;
  const now = deps.clock.now();
  const fromCustomer = opts.authorStaffId === undefined;
  const resolved = await resolveWritingCustomer(deps, ev, await named(deps, ev.platform, customer, ev.chat), {
    source: opts.source,
    ownerStaffId: opts.ownerStaffId ?? null,
    direction: fromCustomer ? 'in' : 'out',
  });
  if (fromCustomer && ev.sharedPhone) await recordSharedPhone(db, resolved, ev.sharedPhone, now);
  const oneToOne = ev.chat.kind !== 'group' && ev.chat.kind !== 'external_group';
  const chatId = await ensureChat(
    db,
    ev.platform,
    ev.workspace,
    ev.chat,
    oneToOne ? resolved.customerId : null,
    now,
    oneToOne && resolved.created,
  );
  const message = await recordMessage(db, {
    ...messageFields(ev, chatId, resolved.customerId, now),
    direction: fromCustomer ? 'in' : 'out',
    authorKind: fromCustomer ? 'customer' : 'staff',
    authorStaffId: opts.authorStaffId ?? null,
    customerTouched: resolved.created,
  });
  return {
    customerId: resolved.customerId,
    identityId: resolved.identityId,
    chatId,
    messageId: message.id,
    fromCustomer,
    customerCreated: resolved.created,
  };
}

interface Captured {
  customerId: number;
  identityId: number;
  chatId: number;
  messageId: number;
  fromCustomer: boolean;
  /** The customer was created for this message: nothing else of theirs exists yet. */
  customerCreated: boolean;
}

/** A customer's new message (not an edit, not the brand's own echo) is read for tags, signals and the model. */
async function readCaptured(
  deps: CoreDeps,
  ev: MessageEvent,
  c: Captured,
  key: string,
  customer?: CustomerAtHandReader,
): Promise<OutboxItem[]> {
  if (!c.fromCustomer || ev.editedAt !== undefined) return [];
  const history = ev.archived !== undefined && deps.clock.now() - ev.occurredAt > ARCHIVE_HISTORY_MS;
  const read = await readCustomerMessage(
    deps,
    {
      customerId: c.customerId,
      messageId: c.messageId,
      text: ev.text,
      at: ev.occurredAt,
      history,
      firstOfCustomer: c.customerCreated,
      ...(customer ? { customer } : {}),
    },
    key,
  );
  // A shared contact or a phone written in the text may reveal the same person on another record (timed work looks).
  await learnIdentityFromMessage(deps, {
    customerId: c.customerId,
    text: ev.text,
    sharedPhone: ev.sharedPhone,
    content: ev.content,
  });
  return read;
}

/**
 * The person with the name the platform can give, for someone seen for the first time in an event that carries ids
 * only (Feishu). Known people are not looked up again.
 */
async function named(
  deps: CoreDeps,
  platform: Platform,
  person: PersonRef,
  chat: ChatRef,
): Promise<PersonRef> {
  const describe = deps.adapters.get(platform)?.describePerson;
  if (person.displayName || !describe) return person;
  const key = { platform, workspace: person.workspace, externalId: person.externalId };
  const known =
    (await findStaff(deps.db, key)) ??
    (await deps.db
      .selectFrom('identities')
      .select('id')
      .where('platform', '=', platform)
      .where('workspace', '=', person.workspace)
      .where('external_id', '=', person.externalId)
      .executeTakeFirst());
  if (known) return person;
  const found = await describe(person, chat);
  return {
    ...person,
    ...(found?.displayName ? { displayName: found.displayName } : {}),
    ...(found?.unionId && !person.unionId ? { unionId: found.unionId } : {}),
  };
}

function messageFields(ev: MessageEvent, chatId: number, customerId: number | null, now: number) {
  return {
    chatId,
    customerId,
    platform: ev.platform,
    platformMessageId: ev.messageId,
    contentType: ev.contentType,
    text: ev.text,
    sentAt: ev.occurredAt,
    receivedAt: now,
    ...(ev.replyToMessageId ? { replyToMessageId: ev.replyToMessageId } : {}),
    ...(ev.editedAt !== undefined ? { editedAt: ev.editedAt } : {}),
    ...(ev.attachment ? { attachment: ev.attachment } : {}),
    ...(ev.content ? { content: ev.content } : {}),
  };
}
