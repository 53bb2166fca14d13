import type { ChatRef, InboundEvent, PersonRef } from '../../src/core/ports/events.ts';
import { parseJsonPayload, readPayload } from '../payload.ts';
import { BOT_MENTION, WEB_PEOPLE_WORKSPACE, WEB_WORKSPACE, type WebPost, webPostSchema } from './types.ts';

const WHAT = 'playground post of an unexpected shape';

/**
 * The page is not a platform with its own clock: a post happened when Liaison received it. The post is checked
 * against the same schema verify used; a stored one that fails it is refused whole (MalformedPayloadError).
 */
export function decodeWeb(payload: string, receivedAt: number): InboundEvent[] {
  const post: WebPost = readPayload(webPostSchema, parseJsonPayload(payload, WHAT), WHAT);
  const base = { platform: 'web' as const, workspace: WEB_WORKSPACE, occurredAt: receivedAt };
  if (post.type === 'card_action') {
    return [
      {
        ...base,
        kind: 'card_action',
        actor: person(post.from),
        value: post.value,
        messageId: post.messageId,
        chatId: post.chat.id,
        clickId: post.id,
      },
    ];
  }
  const chat: ChatRef = {
    key: post.chat.id,
    kind: post.chat.kind,
    platformChatId: post.chat.id,
    ...(post.chat.title ? { title: post.chat.title } : {}),
  };
  // As on Telegram: everything in a private chat is for the bot; in a group, a command or a mention of it.
  const commandText = post.chat.kind === 'private' ? post.text : addressedToBot(post.text);
  return [
    {
      ...base,
      kind: 'message',
      chat,
      sender: person(post.from, post.from.side === 'customer' ? 'customer' : undefined),
      messageId: post.id,
      text: post.text,
      contentType: 'text',
      ...(commandText !== undefined ? { botCommandText: commandText } : {}),
    },
  ];
}

function addressedToBot(text: string): string | undefined {
  if (text.startsWith('/') || text.startsWith('／')) return text;
  const mention = new RegExp(`${BOT_MENTION}\\b`, 'gi');
  return mention.test(text) ? text.replace(mention, '').trim() : undefined;
}

/** Staff are never vouched for by the page (no `brand` side): the staff registry decides who is staff. */
function person(p: WebPost['from'], side?: PersonRef['side']): PersonRef {
  return {
    externalId: p.id,
    workspace: WEB_PEOPLE_WORKSPACE,
    displayName: p.name,
    ...(p.language ? { language: p.language } : {}),
    ...(side ? { side } : {}),
  };
}
