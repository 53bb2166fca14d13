import type { ContactEvent, ContentType, InboundEvent, PersonRef } from '../../src/core/events.ts';
import type { WecomXml } from './types.ts';
import { parseWecomXml } from './xml.ts';

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
  const x = parseWecomXml(payload);
  if (!x) throw new Error('stored WeCom payload is not WeCom XML');
  if (!/^\d{0,12}$/.test(x.CreateTime ?? '')) throw new Error('WeCom callback with a malformed CreateTime');
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
    if (!x.MsgId || !x.FromUserName) return [];
    const text = x.Content ?? '';
    return [
      {
        ...base,
        kind: 'message',
        chat: { key: `member:${x.FromUserName}`, kind: 'private', platformChatId: x.FromUserName },
        sender: person(x.FromUserName, 'brand'),
        messageId: x.MsgId,
        text,
        contentType: contentTypeOf(x),
        // Everything a member writes to the app is for the bot.
        ...(x.MsgType === 'text' ? { botCommandText: text } : {}),
      },
    ];
  }

  switch (x.Event) {
    case 'change_external_contact': {
      const change = CONTACT_CHANGES[x.ChangeType ?? ''];
      if (!change || !x.UserID || !x.ExternalUserID) return [];
      const reason = x.FailReason ?? x.Source;
      return [
        {
          ...base,
          kind: 'contact',
          change,
          member: person(x.UserID, 'brand'),
          customer: person(x.ExternalUserID, 'customer'),
          ...(x.State ? { channel: x.State } : {}),
          ...(reason ? { reason } : {}),
        },
      ];
    }
    case 'change_external_chat': {
      const change = GROUP_CHANGES[x.ChangeType as keyof typeof GROUP_CHANGES];
      if (!change || !x.ChatId) return [];
      return [
        {
          ...base,
          kind: 'group',
          change,
          chat: { key: `group:${x.ChatId}`, kind: 'external_group', platformChatId: x.ChatId },
          ...(x.UpdateDetail ? { detail: x.UpdateDetail } : {}),
        },
      ];
    }
    case 'change_external_tag':
      return [{ ...base, kind: 'tag_catalog' }];
    case 'kf_msg_or_event':
      if (!x.OpenKfId) return [];
      return [
        { ...base, kind: 'service_pull', accountId: x.OpenKfId, ...(x.Token ? { token: x.Token } : {}) },
      ];
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
