import type { ChatKind, Platform } from '../../../db/schema.ts';

export type { ChatKind, Platform };

/**
 * A person as the platform names them. Adapters fill what the platform tells; the core decides who is staff
 * and who is a customer (from its staff registry and the `side` hint).
 */
export interface PersonRef {
  /** The platform's user id, as a string. */
  externalId: string;
  /** The scope in which `externalId` is unique: a corp id, an app id, or '' where ids are global (Telegram). */
  workspace: string;
  displayName?: string;
  username?: string;
  /** The platform's language code as sent (e.g. `zh-hans`, `en`). */
  language?: string;
  /** Cross-app id where the platform has one (WeChat unionid, Feishu union_id). */
  unionId?: string;
  /** Other ids the platform gives the person (Feishu user_id), kept on the identity. */
  otherIds?: Record<string, string>;
  /**
   * What the platform itself says about the person: `brand` for the company's own people (a WeCom member, a Feishu
   * user of the app's tenant, a Telegram Business account owner), `customer` for outsiders, absent when it cannot tell.
   */
  side?: 'brand' | 'customer';
}

/** A conversation on the platform. */
export interface ChatRef {
  /** Unique within platform + workspace; stable across deliveries. */
  key: string;
  kind: ChatKind;
  /** Where replies go (a chat id, a user id, an open_kfid…). */
  platformChatId: string;
  title?: string;
  /** A connected brand account the chat belongs to (Telegram Business connection id). */
  connectionId?: string;
}

interface EventBase {
  platform: Platform;
  /** Corp id / tenant key / bot id: which installation of Liaison's app the event came to. */
  workspace: string;
  /** When the platform says it happened (epoch ms). */
  occurredAt: number;
}

export type ContentType =
  | 'text'
  | 'image'
  | 'file'
  | 'audio'
  | 'video'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'other';

/**
 * What a message carries beyond its own words, structured so every reader (`/show`, the API timeline, digests,
 * relays) shows it the same way. Adapters fill what the platform sends; fields the platform leaves out stay absent.
 */
export type MessageContent =
  | { kind: 'photo' }
  | { kind: 'video'; seconds?: number }
  | { kind: 'voice'; seconds?: number }
  | { kind: 'file'; name?: string; size?: number; mimeType?: string }
  | { kind: 'sticker'; emoji?: string }
  | { kind: 'location'; latitude?: number; longitude?: number; name?: string; address?: string }
  | { kind: 'contact'; name?: string; phone?: string }
  | { kind: 'poll'; question: string; options: string[] }
  | { kind: 'story'; from?: string }
  | { kind: 'link'; title?: string; url?: string; description?: string }
  | { kind: 'mini_program'; title?: string }
  | { kind: 'card'; title?: string; text?: string }
  | { kind: 'forwarded'; items: ForwardedItem[]; title?: string }
  | { kind: 'post'; title?: string; images: number }
  | { kind: 'unsupported'; type: string };

/** One message inside a forwarded bundle (Feishu merge_forward, WeCom chatrecord). */
export interface ForwardedItem {
  from?: string;
  text: string;
  /** Epoch ms, where the platform gives it. */
  at?: number;
  /** What the message carries beyond its words (a picture, a file…), read like any message's. */
  content?: MessageContent;
}

/** A message written in a chat (or a new version of one, when `editedAt` is set). */
export interface MessageEvent extends EventBase {
  kind: 'message';
  chat: ChatRef;
  sender: PersonRef;
  /** The platform's message id, unique within the chat. */
  messageId: string;
  /** The text (or caption) exactly as received; '' for media without a caption. */
  text: string;
  contentType: ContentType;
  /**
   * Set when the message is meant for the bot: any message in a private chat with the bot, a command addressed to it,
   * an @mention. Holds the text with the bot's own mention stripped, ready to parse as a command.
   */
  botCommandText?: string;
  replyToMessageId?: string;
  /** The topic of a chat with topics it was written in (Telegram forum `message_thread_id`). */
  threadId?: string;
  /** A phone number the sender shared as their own contact card. */
  sharedPhone?: string;
  /** Set on a new version of an earlier message: when it was edited (epoch ms). */
  editedAt?: number;
  /** What the message carries beyond `text` (a location, a file's name, a poll…), for a readable form of it. */
  content?: MessageContent;
  /** A picture or file the message carries, kept as the platform's reference (not downloaded). */
  attachment?: { type: string; key: string; name?: string };
  /**
   * Set when the message is a customer's arrival through a link that carries a channel code (Telegram: `/start
   * <payload>` in a private chat, what `t.me/<bot>?start=<payload>` sends): the code as given, null when there is none.
   */
  arrival?: { code: string | null };
  /**
   * Set on a message read from the platform's archive of conversations staff had with customers (WeCom 会话内容存档):
   * staff saw it where it was written, so it is recorded and read but never relayed, answered or acknowledged, and a
   * staff member's message in it is their reply to the customer.
   */
  archived?: ArchivedInfo;
}

/** Who an archived one-to-one conversation is between. */
export interface ArchivedInfo {
  /** One-to-one chats: the staff member and the customer the conversation is between (either may be the sender). */
  between?: { member: PersonRef; customer: PersonRef };
}

/** Messages removed from a chat on the platform. */
export interface MessagesDeletedEvent extends EventBase {
  kind: 'messages_deleted';
  chat: ChatRef;
  messageIds: string[];
  /** Set when the author withdrew them (WeCom archive `recall`): the withdrawal goes on the customer's timeline. */
  recalledBy?: PersonRef;
}

/** A brand account connected to (or disconnected from) the bot, e.g. Telegram Business. */
export interface ConnectionEvent extends EventBase {
  kind: 'connection';
  connectionId: string;
  owner: PersonRef;
  /** Where the bot reaches the owner privately. */
  ownerChatId?: string;
  enabled: boolean;
  canReply: boolean;
}

/** A staff member and a customer became (or stopped being) contacts on the platform, e.g. WeCom 客户联系. */
export interface ContactEvent extends EventBase {
  kind: 'contact';
  change: 'added' | 'updated' | 'removed_by_staff' | 'removed_by_customer' | 'transfer_failed';
  /** The staff member on the brand side of the relation. */
  member: PersonRef;
  /** The customer (only the id is known from the event; the profile is fetched). */
  customer: PersonRef;
  /** The channel code the customer came through (WeCom `State` of a contact-me QR code). */
  channel?: string;
  /** Why the relation ended or the transfer failed, as the platform says. */
  reason?: string;
  /** The brand may greet the new contact once with this code, within seconds (WeCom `WelcomeCode`, 20 s). */
  welcomeCode?: string;
}

/** A staff member left the organisation (WeCom 通讯录 `change_contact` / `delete_user`): their book awaits a successor. */
export interface MemberLeftEvent extends EventBase {
  kind: 'member_left';
  member: PersonRef;
}

/** How a handover of a departed member's customer groups went (WeCom `groupchat/transfer`), group by group. */
export interface GroupTransferResultEvent extends EventBase {
  kind: 'group_transfer_result';
  fromMember: string;
  toMember: string;
  transferred: string[];
  /** Groups the platform refused, with its reason (an error code, never text from the group). */
  failed: Array<{ chatId: string; reason: string }>;
  /** The staff member who asked for the handover (told of refusals). */
  requestedBy?: number;
}

/** New customer-service messages wait on the platform to be pulled (WeCom 微信客服 `kf_msg_or_event`). */
export interface ServicePullEvent extends EventBase {
  kind: 'service_pull';
  /** The service account (open_kfid). */
  accountId: string;
  /** A short-lived token the platform handed over for this pull. */
  token?: string;
}

/** A customer group was created, changed or dismissed (WeCom 客户群 `change_external_chat`). */
export interface GroupChangeEvent extends EventBase {
  kind: 'group';
  chat: ChatRef;
  change: 'created' | 'updated' | 'dismissed';
  detail?: string;
}

/**
 * How far the platform's archive of conversations has reached (WeCom 会话内容存档): the highest sequence number a push
 * delivered, or, without one, the platform's announcement that new records wait (WeCom `msgaudit_notify`), after which
 * the companion service that pushes them should not stay silent.
 */
export interface ArchiveProgressEvent extends EventBase {
  kind: 'archive_progress';
  /** The highest archive sequence number a push delivered (WeCom `seq`), as text. */
  seq?: string;
  /** A member switched their client to another organisation (WeCom `switch` record), by the record's id. */
  switched?: { member: PersonRef; recordId: string };
}

/** The platform's tag catalogue changed (WeCom `change_external_tag`). */
export interface TagCatalogEvent extends EventBase {
  kind: 'tag_catalog';
}

/** Something the platform notes about a customer that is not a message (a session started, a send failed…). */
export interface NoticeEvent extends EventBase {
  kind: 'notice';
  customer: PersonRef;
  notice: string;
  /** Unique per notice within the platform, so it is recorded once. */
  noticeId: string;
  detail?: Record<string, unknown>;
  /** The customer opened a session and the platform lets the brand greet them once with this code (short-lived). */
  welcomeCode?: string;
}

/**
 * Whether the brand can write to a person one-to-one on the platform: false when they blocked the bot (Telegram
 * `my_chat_member` with status `kicked` in their private chat), true again when they unblocked it or pressed Start.
 */
export interface ReachabilityEvent extends EventBase {
  kind: 'reachability';
  person: PersonRef;
  reachable: boolean;
}

/** How customer reassignments requested on the platform ended (WeCom 在职/离职继承 results). */
export interface TransferResultEvent extends EventBase {
  kind: 'transfer_result';
  results: Array<{
    customerExternalId: string;
    fromMember: string;
    toMember: string;
    status: 'waiting' | 'done' | 'refused' | 'limit' | 'no_record' | 'failed';
    reason?: string;
  }>;
}

/** Someone clicked a button on one of Liaison's cards (Feishu card callback). */
export interface CardActionEvent extends EventBase {
  kind: 'card_action';
  actor: PersonRef;
  /** The button's value, as Liaison put it on the card. */
  value: Record<string, unknown>;
  /** The card's message and chat, so the card can be updated in place. */
  messageId?: string;
  chatId?: string;
  /** A platform id for this click, for idempotency. */
  clickId: string;
}

/** Tags Liaison mirrored onto the platform arrived there (the outcome of a `sync_tags` action). */
export interface TagsMirroredEvent extends EventBase {
  kind: 'tags_mirrored';
  customer: PersonRef;
  added: string[];
}

/** How a mass-send task (WeCom 企业群发) stands: created on the platform, or checked for the member's sending. */
export interface MassSendEvent extends EventBase {
  kind: 'mass_send';
  /** `campaign_mass_sends.idempotency_key` of the task. */
  massSendKey: string;
  /** The platform's id of the task (WeCom msgid). */
  msgid: string;
  sender: string;
  /** Set when the task was just created: customers the platform refused at once (not a contact of the sender…). */
  created?: { failedCustomerIds: string[] };
  /** Set when the task was checked: whether the member has sent it, and each customer's result so far. */
  checked?: {
    confirmed: boolean;
    results: Array<{
      customerExternalId: string;
      /** unsent (not yet), sent, not_contact (no longer the sender's contact), limit (customer's monthly limit reached). */
      status: 'unsent' | 'sent' | 'not_contact' | 'limit';
      sentAt?: number;
    }>;
  };
}

/**
 * One thing that happened on a platform, decoded from a stored delivery. Pure data: decoding does no I/O, so a
 * delivery can be decoded again after a crash or a fix.
 */
export type InboundEvent =
  | MessageEvent
  | MessagesDeletedEvent
  | ConnectionEvent
  | ContactEvent
  | MemberLeftEvent
  | GroupTransferResultEvent
  | ServicePullEvent
  | GroupChangeEvent
  | TagCatalogEvent
  | ArchiveProgressEvent
  | NoticeEvent
  | TransferResultEvent
  | TagsMirroredEvent
  | CardActionEvent
  | MassSendEvent
  | ReachabilityEvent;
