import type { ChatKind, InboundEvent, Platform } from './events.ts';

/** A conversation on the platform: a member's chat with the app, a customer-service chat, a group the bot is in. */
export interface ChatTarget {
  kind: 'chat';
  /** The platform's chat id (from `ChatRef.platformChatId`). */
  chatId: string;
  /** What kind of chat it is, where the platform sends to each kind differently (WeCom: member, kf, app chat). */
  chatKind?: ChatKind;
  /** Send on behalf of a connected brand account (Telegram Business) or through a service account (WeCom open_kfid). */
  connectionId?: string;
  replyToMessageId?: string;
  /** Inside this topic of a chat with topics (Telegram forum `message_thread_id`). */
  threadId?: string;
  /** Replace this earlier message of ours instead of sending a new one (a card updated after a button click). */
  editMessageId?: string;
}

/** A group robot / custom bot webhook (WeCom 群机器人, Feishu custom bot): the key or URL is the credential. */
export interface RobotTarget {
  kind: 'robot';
  /** The webhook URL (or WeCom's key alone). */
  webhook: string;
  /** The signing secret where the platform signs robot requests (Feishu custom bots). */
  secret?: string;
}

export type OutboundTarget = ChatTarget | RobotTarget;

/** Platform-neutral content; each adapter renders it within its platform's limits. */
export interface OutboundContent {
  /** Plain text, always present: adapters escape it for their markup and split it at the platform's limit. */
  text: string;
  /** A richer rendering (bold headings, a quote) for platforms that show markdown; `text` is the fallback. */
  markdown?: TextSection[];
  /** A picture sent after the text where the target takes one (a digest chart): PNG or JPEG, base64. */
  image?: { base64: string };
  /** An interactive card for platforms that show cards (Feishu); the others show `text`. */
  card?: Card;
  /**
   * Buttons that open a page of Liaison's web app (the customer's panel, an https address) under the message.
   * A capability of the platform's client: shown where a message can open a page signed in by the platform
   * (Telegram: a Mini App button, in private chats); the other renderers leave them out.
   */
  pages?: Array<{ label: string; url: string }>;
  /**
   * Send a copy of this message of another chat instead (a photo, a file, a voice note), where the adapter
   * `copiesTo` the target; `text` then only describes it for the timeline. Its caption is dropped (`dropCaption`) where
   * the text went separately, masked.
   */
  copyOf?: { chatId: string; messageId: string; kind?: string; dropCaption?: boolean };
}

/**
 * A paragraph of plain text under an optional heading. Everything in it is text, never markup: customer names,
 * messages and notes land here, and each adapter escapes all of it for its platform's markup. The only formatting
 * is what the fields say: the heading is Liaison's and shown bold, `quote` sets the paragraph off.
 */
export interface TextSection {
  heading?: string;
  text: string;
  quote?: boolean;
}

/** Sections as stored: outbox rows written before sections had headings hold plain strings (or one markdown string). */
export function asSections(stored: ReadonlyArray<TextSection | string> | string): TextSection[] {
  const list = typeof stored === 'string' ? [stored] : stored;
  return list.map((s) => (typeof s === 'string' ? { text: s } : s));
}

/** A platform-neutral card: a title, label/value fields, text sections and buttons; all of it plain text. */
export interface Card {
  title: string;
  fields: Array<{ label: string; value: string }>;
  sections: TextSection[];
  /** Buttons; a click comes back as a CardActionEvent carrying `value`. */
  buttons: Array<{ label: string; value: Record<string, string | number>; primary?: boolean }>;
}

interface OutboxItemBase {
  platform: Platform;
  workspace: string;
  /** Unique per intended send, derived from what caused it (e.g. `inbox:42:0:reply`): enqueuing twice is harmless. */
  idempotencyKey: string;
  /** Not before this time (epoch ms), e.g. a follow-up check. */
  notBefore?: number;
}

/**
 * A message Liaison wants delivered. It goes into the outbox first and is sent from there, so it survives crashes
 * and is retried.
 */
export interface OutboundMessage extends OutboxItemBase {
  target: OutboundTarget;
  content: OutboundContent;
  /** Set when the send belongs on a customer's timeline (recorded as an outbound message once the platform confirms). */
  customerId?: number;
  /** The Liaison chat id the send belongs to, for the timeline. */
  chatId?: number;
  /** Staff member to tell if the platform refuses the send for good (the customer's owner). */
  reportTo?: number;
  /** The staff member who wrote it (a reply to a customer): on the timeline as theirs, a person's answer. */
  authorStaffId?: number;
}

/** Changes Liaison asks a platform to make, outside of messages. */
export type PlatformAction =
  /** Mirror tags on the platform's copy of a customer, as seen by one staff member (WeCom `mark_tag`). */
  | { type: 'sync_tags'; customerExternalId: string; memberId: string; add: string[]; remove: string[] }
  /** Reassign customers between staff members on the platform (WeCom 在职继承 / 离职继承). */
  | {
      type: 'transfer_customers';
      fromMember: string;
      toMember: string;
      customerExternalIds: string[];
      /** The handing-over member has left the company. */
      resigned: boolean;
    }
  /**
   * Hand a departed member's customer groups to a successor (WeCom 离职继承 `groupchat/transfer`, ≤ 100 per call);
   * comes back as a GroupTransferResultEvent naming the groups refused.
   */
  | { type: 'transfer_groups'; fromMember: string; toMember: string; chatIds: string[]; requestedBy?: number }
  /** Ask how earlier transfers ended; comes back as a TransferResultEvent. */
  | { type: 'check_transfers'; fromMember: string; toMember: string; resigned: boolean }
  /**
   * Create a mass-send task (WeCom 企业群发 `add_msg_template`) that the sending member confirms in their own client;
   * comes back as a MassSendEvent (`created`) with a follow-up `check_mass_send`.
   */
  | {
      type: 'create_mass_send';
      /** `campaign_mass_sends.idempotency_key`: ties the platform's task to Liaison's row. */
      massSendKey: string;
      sender: string;
      customerExternalIds: string[];
      content: MassSendContent;
    }
  /** Read whether the member sent a mass-send task and what each customer got; comes back as a MassSendEvent. */
  | { type: 'check_mass_send'; massSendKey: string; msgid: string; sender: string }
  /**
   * Answer a customer-service event with the single message its code allows (WeChat Customer Service
   * `send_msg_on_event`: the welcome when a customer opens a session, valid 20 s).
   */
  | { type: 'service_event_message'; code: string; text: string }
  /** Greet a new contact once with the platform's welcome code (WeCom `send_welcome_msg`, valid 20 s). */
  | { type: 'contact_welcome'; code: string; text: string }
  /** Hand a customer-service session to a person, who answers in the platform's own client (`service_state/trans`). */
  | { type: 'service_handoff'; accountId: string; customerExternalId: string; servicer: string }
  /**
   * Take a customer-service session the brand answered by API, so the platform does not leave it unhandled (WeChat
   * Customer Service `service_state` 0 → 1); a session someone else took meanwhile is left alone.
   */
  | { type: 'service_take'; accountId: string; customerExternalId: string }
  /**
   * Open a topic in a chat with topics (Telegram `createForumTopic`), for the adapters with `topics`; the accepted
   * result's `platformMessageId` is the new topic's id. The adapter fits `name` to the platform's limit.
   */
  | { type: 'create_topic'; chatId: string; name: string };

/** What a mass-send task carries: text, and optionally a link card or a picture. */
export interface MassSendContent {
  text: string;
  link?: { title: string; url: string };
  image?: { base64: string };
}

/** A platform action waiting in the outbox, retried like a message. */
export interface OutboundAction extends OutboxItemBase {
  action: PlatformAction;
  /** Staff member to tell if the platform refuses it for good (who asked for it). */
  reportTo?: number;
}

export type OutboxItem = OutboundMessage | OutboundAction;

export const isAction = (item: OutboxItem): item is OutboundAction => 'action' in item;

/** What a platform said about one send attempt. */
export type SendResult =
  | {
      ok: true;
      platformMessageId?: string;
      /** What the platform reported back (e.g. per-customer transfer outcomes), for the core to record. */
      events?: InboundEvent[];
      /** Actions to run later (e.g. check a transfer's outcome after the customer had time to answer). */
      followUps?: Array<{ action: PlatformAction; afterMs: number }>;
    }
  | {
      ok: false;
      /** Worth trying again later (rate limit, 5xx, network); false for a request the platform will never accept. */
      retryable: boolean;
      /** The platform asked us to wait this long (Telegram `retry_after`, a pacing limit). */
      retryAfterMs?: number;
      /** Why, without secrets or message text. */
      error: string;
      /** What is still unsent when the earlier parts of a split message were delivered. */
      remaining?: OutboundContent;
      /** Why, when the core explains it to the rep (see `RefusalCode`). */
      code?: RefusalCode;
      /** What the refusal tells about the recipient (a user who blocked the bot), for the core to record. */
      events?: InboundEvent[];
    };

/**
 * Refusals the core explains to the rep: `reply_window` (the platform lets the brand answer only within a window
 * after the customer writes, or a number of messages), `session_with_person` (a person took the session in the
 * platform's own client), `session_ended`, `not_servicer` (the person is not a servicer of that account).
 */
export type RefusalCode = 'reply_window' | 'session_with_person' | 'session_ended' | 'not_servicer';

/** A platform's rule that the brand may only answer within a window after the customer wrote (WeCom 微信客服). */
export interface ReplyWindow {
  withinMs: number;
  /** Messages the brand may send before the customer writes again. */
  maxReplies: number;
}

/**
 * At most `limit` sends per `windowMs` to one target (or, with `scope: 'app'`, through the whole installation),
 * enforced across instances by counting confirmed sends in the outbox.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
  scope?: 'target' | 'app';
}
