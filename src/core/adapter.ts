import type { ConnectionEvent, InboundEvent, Platform } from './events.ts';
import type { OutboundMessage, SendResult } from './outbound.ts';

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
   * leaves undated); throws on a payload it cannot read, and the inbox records why.
   */
  decode(payload: string, receivedAt: number): InboundEvent[];

  /** Sends one message and reports what the platform said; never throws for platform or network errors. */
  send(message: OutboundMessage, signal?: AbortSignal): Promise<SendResult>;

  /** Asks the platform about a connected brand account the core has not seen announced (Telegram Business). */
  lookupConnection?(connectionId: string): Promise<ConnectionEvent | null>;

  /** Learns what the adapter needs from the platform before serving (e.g. the bot's own username). May be retried. */
  start?(): Promise<void>;

  /** Points the platform's webhook at `url` (platforms that allow registering it by API). */
  registerWebhook?(url: string): Promise<void>;
}
