import type { Lang } from '../../kernel/i18n/index.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { ChatKind, Platform } from '../../ports/events.ts';
import type { OutboundContent, OutboxItem } from '../../ports/outbound.ts';
import type { KnownStaff } from '../../records/staff/registry.ts';

/** Where a staff member wrote to the bot. */
export interface CommandChat {
  platform: Platform;
  /** The adapter's installation (bot id, corp id, app id). */
  workspace: string;
  kind: ChatKind;
  /** Where replies go. */
  platformChatId: string;
  /** The chat's stable key (`ChatRef.key`). */
  key: string;
  title?: string;
  /** An admin declared the group staff-only (the relay inbox chat): commands with `staffOnlyChats` answer there. */
  staffOnly?: boolean;
}

/** A staff member's request to the bot: a command, or plain language when an LLM is configured. */
export interface StaffRequest {
  staff: KnownStaff;
  chat: CommandChat;
  text: string;
  /** Unique per request (the delivery's key): idempotency keys of everything it queues derive from it. */
  key: string;
  /** The customer of a relayed message this request answers with the platform's reply: its text is a reply to them. */
  replyingTo?: number;
  /** What the request's own message carries besides text (a picture answering a relay), to send on as it is. */
  attachment?: StaffAttachment;
}

/** A staff member's message with media, in the chat they wrote it in: copied, never downloaded. */
export interface StaffAttachment {
  chatId: string;
  messageId: string;
  /** The content type (`image`, `file`…): named on the timeline. */
  kind: string;
}

/** What handling a request produced: the reply, and any other sends or platform actions to queue. */
export interface CommandOutcome {
  reply: OutboundContent;
  queued: OutboxItem[];
}

/** What a command handler gets: who asks, where, in which language. */
export interface CommandContext {
  deps: CoreDeps;
  staff: KnownStaff;
  viewer: Viewer;
  /** The asker as core functions take them (role, scope, and the platform for the audit log). */
  actor: Actor;
  lang: Lang;
  chat: CommandChat;
  args: string;
  /** Unique per request; derive idempotency keys (`${key}:brief`…) from it. */
  key: string;
  /** Media the request's message carries (see `StaffRequest.attachment`). */
  attachment?: StaffAttachment;
  /** Queues a send or platform action besides the reply (a brief to a successor, tag mirroring…). */
  queue(item: OutboxItem): void;
}

/** A chat command: its English word, Chinese alias and help line; `run` returns the reply (text, or richer content). */
export interface Command {
  name: string;
  aliases: string[];
  usage: Record<Lang, string>;
  summary: Record<Lang, string>;
  /** Words that suggest this command when someone writes plain language without an LLM configured. */
  hints?: string[];
  /**
   * Where it may be used: `private` (default; customer data is never answered in a group, which may hold customers),
   * `group` (it acts on the group itself), or `any`.
   */
  where?: 'private' | 'group' | 'any';
  /** A `private` command that also answers in a group an admin declared staff-only (the relay inbox chat). */
  staffOnlyChats?: boolean;
  run(ctx: CommandContext): Promise<string | OutboundContent>;
}
