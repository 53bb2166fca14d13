import type {
  ChatRef,
  ConnectionEvent,
  InboundEvent,
  MessageContent,
  MessageEvent,
  PersonRef,
  Platform,
} from './events.ts';
import type { MessageMedia } from './media.ts';
import type {
  ChatTarget,
  OutboundMessage,
  PlatformAction,
  RateLimit,
  ReplyWindow,
  SendResult,
} from './outbound.ts';
import type { WebSignIn } from './web-sign-in.ts';

export type { MediaDownload, MediaRequest, MessageMedia } from './media.ts';
export type { PageSignature, WebIdentity, WebSignIn } from './web-sign-in.ts';

/** A webhook request as an adapter sees it: the HTTP layer has already enforced the size limit. */
export interface WebhookRequest {
  method: string;
  /** The full URL with the query string exactly as received (do not trust decoded query values for base64: `+`). */
  url: string;
  headers: Headers;
  /** The body, decoded as UTF-8 from the exact bytes received. */
  body: string;
}

/** One delivery to store in the inbox before acknowledging it. */
export interface InboxDelivery {
  /** The platform's own redelivery key (Telegram update_id, Feishu event_id, WeCom MsgId…). */
  dedupKey: string;
  /** What `decode` needs later, as text (decrypted where the platform encrypts). */
  payload: string;
}

/** What to do with a webhook request. Adapters decide; the HTTP layer stores and answers. */
export type WebhookVerdict =
  /** Not authentic or not well-formed: answer with the status, store nothing. */
  | { kind: 'reject'; status: 400 | 401 | 403 | 405; reason: string }
  /** A platform handshake (URL check, challenge): answer now with this body, store nothing. */
  | { kind: 'respond'; body: string; contentType: string }
  /** Authentic: store every delivery (deduplicated), then answer 200 with `body` or an empty body. */
  | { kind: 'accept'; deliveries: InboxDelivery[]; body?: string; contentType?: string };

/**
 * One messaging platform, as Liaison uses it. Every platform adapter has the same three duties and the same files
 * (`verify.ts`, `decode.ts`, `send.ts`, `types.ts`, `index.ts`); extras the core may ask for are optional methods.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** Which installation this adapter serves (bot id, corp id, app id); every event and send carries it. */
  readonly workspace: string;
  /** The `workspace` of the people it reports (`PersonRef.workspace`): '' where user ids are global (Telegram). */
  readonly peopleWorkspace: string;

  /**
   * Authenticates a webhook request (constant-time comparisons, failing closed) and extracts its deliveries.
   * Must not do I/O: it runs before the acknowledgement, inside the platform's deadline.
   */
  verify(request: WebhookRequest): Promise<WebhookVerdict>;

  /**
   * Turns a stored delivery into events. Pure (`receivedAt`, when the delivery was stored, dates what the platform
   * leaves undated). Every field it reads is checked against a schema first: a payload it cannot read throws a
   * `MalformedPayloadError` naming the field, and the inbox gives that delivery up at once with the reason.
   */
  decode(payload: string, receivedAt: number): InboundEvent[];

  /** Sends one message and reports what the platform said; never throws for platform or network errors. */
  send(message: OutboundMessage, signal?: AbortSignal): Promise<SendResult>;

  /** Carries out a platform action (tag mirroring, transfers); absent where the platform has no such thing. */
  perform?(action: PlatformAction, signal?: AbortSignal): Promise<SendResult>;

  /**
   * Why a robot webhook (a digest subscription's `target.ref`) would not be posted to, or null when it would: one of
   * the platform's own hosts, its webhook's shape, no private address (adapters/robot-urls.ts). Absent: no robots.
   */
  checkRobot?(ref: string): Promise<string | null>;

  /** The platform's limits on sends to this message's target; the outbox paces instead of losing messages. */
  rateLimits?(message: OutboundMessage): RateLimit[];

  /**
   * Whether a message in a chat the bot is in can be sent on to this target as it is, media included, without
   * downloading it (`OutboundContent.copyOf`; Telegram `copyMessage`). Absent: attachments are named, not sent on.
   */
  copiesTo?(target: OutboundMessage['target']): boolean;

  /**
   * Whether the brand can post in this chat at all (WeCom's app cannot post in 客户群, which only members write in from
   * their own client). Absent: every chat it has seen can be written in.
   */
  writesIn?(target: ChatTarget): boolean;

  /** Whether a picture (`OutboundContent.image`) can be sent to this target. Absent: none can. */
  sendsImagesTo?(target: OutboundMessage['target']): boolean;

  /** Topics in group chats (Telegram forum supergroups), opened with the `create_topic` action. Absent: none. */
  readonly topics?: ChatTopics;

  /** The window in which the brand may answer a customer in this message's chat, where the platform has one. */
  replyWindow?(message: OutboundMessage): ReplyWindow | null;

  /**
   * Mass-send tasks (WeCom 企业群发): one message to many of a member's contacts, sent when the member confirms it,
   * through the `create_mass_send` action. Absent: campaigns reach this platform's customers through chats only.
   */
  readonly massSends?: ContactMassSends;

  /** Reads customers, groups and tags on the platform (WeCom 客户联系). */
  readonly contacts?: ContactDirectory;

  /** Pulls customer-service messages the platform only announces (WeCom 微信客服). */
  readonly service?: ServiceInbox;

  /**
   * Conversations staff had with customers, pushed by a companion service that reads the platform's archive (WeCom
   * 会话内容存档) to `/webhooks/<platform>-archive`. Its deliveries are stored as the platform's and read by `decode`.
   * Absent: no archive, and that route answers 404.
   */
  readonly archive?: ConversationArchive;

  /** Trackable ways in (渠道活码) where the platform makes them: WeCom contact-me QR codes, Telegram deep links. */
  readonly channels?: ChannelLinks;

  /**
   * What the platform can tell about a person its events do not name (Feishu sends ids only): a staff member from
   * the directory, a customer from the members of the chat they wrote in. Null when it cannot tell.
   */
  describePerson?(
    person: PersonRef,
    chat?: ChatRef,
  ): Promise<{ displayName?: string; unionId?: string } | null>;

  /**
   * Downloads the file a message carries (its `attachment`) from the platform's own API, after the acknowledgement,
   * so it can be kept. Absent: attachments stay references only.
   */
  readonly media?: MessageMedia;

  /**
   * What a message carries that its event leaves out (a Feishu merge_forward bundle's messages), asked of the platform
   * once while the delivery is processed, after the acknowledgement, before the message is stored. Undefined when
   * there is nothing to add or the platform does not answer: the message is then stored as the event had it.
   */
  completeContent?(event: MessageEvent): Promise<MessageContent | undefined>;

  /**
   * Signing in to Liaison's web app from inside the platform's client (a Mini App, a chat sidebar, a web app): proves
   * who opened the page from what the client hands it, and signs pages for the client's JS-SDK where it needs that.
   * Absent: the platform's client cannot sign anyone in (a one-time link from the chat still can).
   */
  readonly signIn?: WebSignIn;

  /** Asks the platform about a connected brand account the core has not seen announced (Telegram Business). */
  lookupConnection?(connectionId: string): Promise<ConnectionEvent | null>;

  /** Learns what the adapter needs from the platform before serving (e.g. the bot's own username). May be retried. */
  start?(): Promise<void>;

  /** Points the platform's webhook at `url` (platforms that allow registering it by API). */
  registerWebhook?(url: string): Promise<void>;
}

/** What an adapter's error carries when the platform refused a call: its code, and whether trying again may help. */
export interface PlatformRefusal {
  readonly code: number;
  readonly retryable: boolean;
  readonly message: string;
}

/** The platform's refusal in an error an adapter threw: its code when the adapter gave one (null otherwise). */
export function refusalOf(error: unknown): { code: number | null; retryable: boolean; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Partial<PlatformRefusal>;
  return {
    code: typeof e.code === 'number' ? e.code : null,
    retryable: e.retryable === true,
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * A payload of the wrong shape (a missing id, a number where text belongs): the reason names the field and what was
 * there (`message.from.id: expected integer, received undefined`), never its value. Reading it again cannot help,
 * so the inbox gives the delivery up at once.
 */
export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

/** A customer as the platform's contact directory describes them (WeCom `externalcontact/get`). */
export interface ContactProfile {
  externalId: string;
  name: string;
  company?: string;
  unionId?: string;
  /** 1 = a WeChat user, 2 = a WeCom user of another company (WeCom). */
  type?: number;
  gender?: number;
  avatarUrl?: string;
  /** Each staff member who has the customer as a contact, with what they noted. */
  followers: Array<{
    memberId: string;
    remark?: string;
    description?: string;
    company?: string;
    phones: string[];
    tags: Array<{ id: string; name: string; group?: string }>;
    channel?: string;
    addedAt?: number;
  }>;
}

/** A customer group as the platform describes it. */
export interface GroupProfile {
  chat: ChatRef;
  ownerMemberId?: string;
  members: Array<{ id: string; isStaff: boolean; name?: string; unionId?: string; joinedAt?: number }>;
}

/** A tag in the platform's own catalogue. */
export interface PlatformTag {
  id: string;
  name: string;
  groupId?: string;
  groupName?: string;
}

/** Read access to the platform's customer directory. Methods return null for what the platform does not know. */
export interface ContactDirectory {
  fetchContact(externalId: string): Promise<ContactProfile | null>;
  fetchGroup(chatId: string): Promise<GroupProfile | null>;
  listTags(): Promise<PlatformTag[]>;
  /**
   * The whole book, paged, for a full sync (`liaison sync`, the nightly reconciliation); absent: no full sync. Each
   * call is one platform request, paced by the adapter; a refusal throws a `PlatformRefusal` (retryable where waiting
   * helps: WeCom 45009, 45033).
   */
  readonly bulk?: DirectoryBulk;
}

/** One page of a paged listing; `nextCursor` '' when it was the last. */
export interface DirectoryPage<T> {
  items: T[];
  nextCursor: string;
}

/** A customer of a member who left, waiting for a successor. */
export interface DepartedContact {
  memberId: string;
  customerExternalId: string;
  /** When the member left (epoch ms), where the platform says. */
  leftAt?: number;
}

/** Paged reading of the platform's whole directory (WeCom get_follow_user_list, batch/get_by_user, groupchat/list). */
export interface DirectoryBulk {
  /** The staff members who hold customers as contacts (and whom the app may see). */
  listMembers(): Promise<string[]>;
  /** Customers of these members, one profile per (customer, follower) pair: `followers` holds that one member. */
  listContacts(memberIds: string[], cursor: string): Promise<DirectoryPage<ContactProfile>>;
  /** The customer groups these members own (read each with `fetchGroup`). */
  listGroups(memberIds: string[], cursor: string): Promise<DirectoryPage<ChatRef>>;
  /**
   * Customers of members who left and still await a successor (WeCom `get_unassigned_list`), one entry per (member,
   * customer); absent where the platform keeps no such list.
   */
  listDeparted?(cursor: string): Promise<DirectoryPage<DepartedContact>>;
  /** How many members one `listContacts` or `listGroups` call may name (WeCom: 100). */
  readonly membersPerCall: number;
}

/** One page of pulled customer-service messages. */
export interface ServicePage {
  events: InboundEvent[];
  /** Why messages of the page were skipped (a missing id, a wrong type), naming fields, never values. */
  refused?: string[];
  nextCursor: string;
  hasMore: boolean;
}

/** What a platform's mass-send tasks take. */
export interface ContactMassSends {
  /** The most customers one task may name. */
  readonly maxCustomersPerTask: number;
}

/** The door of an archive's pushes: authenticated like a webhook, one delivery per archived record. */
export interface ConversationArchive {
  /** Authenticates a push and splits it into deliveries (deduplicated by the record's id). No I/O. */
  verify(request: WebhookRequest): Promise<WebhookVerdict>;
}

/** Customer-service messages the platform keeps until pulled with a cursor. */
export interface ServiceInbox {
  pull(accountId: string, cursor: string, token?: string): Promise<ServicePage>;
}

/** Topics in a group chat, one conversation each (Telegram forum supergroups). */
export interface ChatTopics {
  /** Whether the chat has topics turned on now; throws when the platform cannot say (the caller tries later). */
  enabled(chatId: string): Promise<boolean>;
}

/**
 * Ways in for channel codes: the platform's link for a code, which brings the code back with the customer's first
 * event (`by: 'link'`: WeCom contact-me QR codes, Telegram deep links), or a chat the code is bound to, whose joiners
 * came through it (`by: 'chat'`: Feishu external chats, which have no such link).
 */
export interface ChannelLinks {
  readonly by: 'link' | 'chat';
  /** The longest code the platform hands back (WeCom's `state`: 30; a Telegram `/start` payload: 64). */
  readonly maxCodeLength: number;
  /** Whether a link needs staff on the platform to put the customer in touch with (WeCom contact-me users). */
  readonly needsMembers?: boolean;
  /** Whether a link is a QR code's picture to scan (WeCom contact-me) rather than a link to open. */
  readonly linksAreQrCodes?: boolean;
  /**
   * Creates the link for `code` (`by: 'link'` only); `members` are the platform user ids of the staff a customer is
   * put in touch with. Throws a `PlatformRefusal` (or an error with a clear message) when the platform refuses.
   */
  create?(code: string, members: string[]): Promise<{ link: string; platformRef?: string }>;
  /** Removes the platform's side of a link made earlier (WeCom `del_contact_way`), where it has one. */
  remove?(platformRef: string): Promise<void>;
}
