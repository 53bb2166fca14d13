import { z } from 'zod';
import { MalformedPayloadError } from '../../src/core/ports/adapter.ts';
import type {
  ContactEvent,
  ContentType,
  InboundEvent,
  MessageContent,
  PersonRef,
} from '../../src/core/ports/events.ts';
import { readPayload, textId } from '../payload.ts';
import { decodeArchiveRecord } from './archive.ts';
import { defined } from './content.ts';
import type { WecomXml } from './types.ts';

const WHAT = 'WeCom callback of an unexpected shape';

/*
 * Every field of a callback is text (XML), so what can be wrong is a missing or empty id: each kind of callback
 * Liaison reads names the ids it needs. Loose: WeCom adds fields, and they pass.
 */
const messageSchema = z.object({ MsgId: textId, FromUserName: textId }).loose();
const contactSchema = z.object({ UserID: textId, ExternalUserID: textId }).loose();
const groupSchema = z.object({ ChatId: textId }).loose();
const memberSchema = z.object({ UserID: textId }).loose();
const serviceSchema = z.object({ OpenKfId: textId }).loose();

const CONTACT_CHANGES: Record<string, ContactEvent['change']> = {
  add_external_contact: 'added',
  add_half_external_contact: 'added',
  edit_external_contact: 'updated',
  del_external_contact: 'removed_by_staff',
  del_follow_user: 'removed_by_customer',
  transfer_fail: 'transfer_failed',
};

const GROUP_CHANGES = { create: 'created', update: 'updated', dismiss: 'dismissed' } as const;

/** A decrypted callback (stored as received) to events. Members are staff; external user ids are customers. */
export function decodeWecom(payload: string, corpId: string): InboundEvent[] {
  // Callbacks are stored as XML; chat archive records (archive.ts) as JSON.
  if (payload.startsWith('{')) return decodeArchiveRecord(payload, corpId);
  const x = parseWecomXml(payload);
  if (!x) throw new MalformedPayloadError('stored WeCom payload is not WeCom XML');
  if (!/^\d{0,12}$/.test(x.CreateTime ?? ''))
    throw new MalformedPayloadError(
      'WeCom callback with a malformed CreateTime: expected digits (Unix seconds)',
    );
  const base = {
    platform: 'wecom' as const,
    workspace: corpId,
    occurredAt: Number(x.CreateTime ?? 0) * 1000,
  };
  const person = (id: string, side: PersonRef['side']): PersonRef => ({
    externalId: id,
    workspace: corpId,
    side,
  });

  if (x.MsgType !== 'event') {
    const m = readPayload(messageSchema, x, WHAT);
    const text = x.Content ?? '';
    const content = appContent(x);
    return [
      {
        ...base,
        kind: 'message',
        chat: { key: `member:${m.FromUserName}`, kind: 'private', platformChatId: m.FromUserName },
        sender: person(m.FromUserName, 'brand'),
        messageId: m.MsgId,
        text,
        contentType: contentTypeOf(x),
        ...(content ? { content } : {}),
        // Everything a member writes to the app is for the bot.
        ...(x.MsgType === 'text' ? { botCommandText: text } : {}),
      },
    ];
  }

  switch (x.Event) {
    case 'change_external_contact': {
      const change = CONTACT_CHANGES[x.ChangeType ?? ''];
      if (!change) return [];
      const c = readPayload(contactSchema, x, WHAT);
      const reason = x.FailReason ?? x.Source;
      return [
        {
          ...base,
          kind: 'contact',
          change,
          member: person(c.UserID, 'brand'),
          customer: person(c.ExternalUserID, 'customer'),
          ...(x.State ? { channel: x.State } : {}),
          ...(reason ? { reason } : {}),
          ...(x.WelcomeCode && change === 'added' ? { welcomeCode: x.WelcomeCode } : {}),
        },
      ];
    }
    case 'change_external_chat': {
      const change = GROUP_CHANGES[x.ChangeType as keyof typeof GROUP_CHANGES];
      if (!change) return [];
      const { ChatId: chatId } = readPayload(groupSchema, x, WHAT);
      return [
        {
          ...base,
          kind: 'group',
          change,
          chat: { key: `group:${chatId}`, kind: 'external_group', platformChatId: chatId },
          ...(x.UpdateDetail ? { detail: x.UpdateDetail } : {}),
        },
      ];
    }
    case 'change_external_tag':
      return [{ ...base, kind: 'tag_catalog' }];
    case 'change_contact': {
      // 通讯录 changes: only a member's departure matters to the book (离职继承).
      if (x.ChangeType !== 'delete_user') return [];
      const { UserID: member } = readPayload(memberSchema, x, WHAT);
      return [{ ...base, kind: 'member_left', member: person(member, 'brand') }];
    }
    case 'msgaudit_notify':
      return [{ ...base, kind: 'archive_progress' }];
    case 'kf_msg_or_event': {
      const { OpenKfId: accountId } = readPayload(serviceSchema, x, WHAT);
      return [{ ...base, kind: 'service_pull', accountId, ...(x.Token ? { token: x.Token } : {}) }];
    }
    default:
      return []; // menu clicks, app enter events…: acknowledged and ignored
  }
}

function contentTypeOf(x: WecomXml): ContentType {
  switch (x.MsgType) {
    case 'text':
      return 'text';
    case 'image':
      return 'image';
    case 'voice':
      return 'audio';
    case 'video':
      return 'video';
    case 'file':
      return 'file';
    case 'location':
      return 'location';
    default:
      return 'other';
  }
}

/** What an app message carries beyond its words (接收消息 formats, developer.work.weixin.qq.com/document/path/90239). */
function appContent(x: WecomXml): MessageContent | undefined {
  switch (x.MsgType) {
    case 'text':
      return undefined;
    case 'image':
      return { kind: 'photo' };
    case 'voice':
      return { kind: 'voice' };
    case 'video':
      return { kind: 'video' };
    case 'location':
      // Location_X is the latitude, Location_Y the longitude.
      return defined({
        kind: 'location',
        latitude: coordinate(x.Location_X, 90),
        longitude: coordinate(x.Location_Y, 180),
        name: x.Label || undefined,
      });
    case 'link':
      return defined({
        kind: 'link',
        title: x.Title || undefined,
        description: x.Description || undefined,
        url: x.Url || undefined,
      });
    default:
      return { kind: 'unsupported', type: x.MsgType || 'unknown' };
  }
}

/** A coordinate as text, within ±`limit`; undefined when it is not one. */
function coordinate(text: string | undefined, limit: number): number | undefined {
  if (!text || !/^-?\d+(\.\d+)?$/.test(text.trim())) return undefined;
  const value = Number(text);
  return Math.abs(value) <= limit ? value : undefined;
}

/**
 * WeCom callbacks are flat `<xml>` documents of `<Field>value</Field>` and `<Field><![CDATA[value]]></Field>`.
 * This reads exactly that and nothing more: no DTDs, no entity expansion (so no XXE), six times faster than a
 * general XML parser on the webhook's hot path. Nested elements are read by their innermost fields.
 */
const FIELD = /<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;

/** Any markup declaration but CDATA (DOCTYPE, ENTITY…): WeCom never sends one, an attacker might (XXE). */
const DECLARATION = /<!(?!\[CDATA\[)/;

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&apos;': "'",
};

/** Reads a flat `<xml>…</xml>` document; null when it is not one, or declares anything. */
export function parseWecomXml(text: string): WecomXml | null {
  if (DECLARATION.test(text)) return null;
  const body = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(text)?.[1];
  if (body === undefined) return null;
  const fields: WecomXml = {};
  for (const m of body.matchAll(FIELD)) {
    const name = m[1] as string;
    if (name in fields) continue; // the first occurrence wins, like WeCom's own readers
    fields[name] =
      m[2] ?? (m[3] as string).trim().replace(/&(?:lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e] as string);
  }
  return fields;
}
