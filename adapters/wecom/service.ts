import { z } from 'zod';
import type { ServiceInbox, ServicePage } from '../../src/core/ports/adapter.ts';
import type { InboundEvent, PersonRef } from '../../src/core/ports/events.ts';
import type { PlatformAction, SendResult } from '../../src/core/ports/outbound.ts';
import { checkPayload, textId } from '../payload.ts';
import { readAnswer, type WecomApi, WecomError } from './api.ts';
import { kfContent } from './content.ts';
import { kfAttachmentField } from './media.ts';
import { asFailure, sentId } from './send.ts';
import { kfCustomersAnswer, kfStateAnswer, kfSyncAnswer, type WecomConfig } from './types.ts';

/*
 * One 微信客服 message pulled with kf/sync_msg (developer.work.weixin.qq.com/document/path/94670), read like a
 * callback: a field of the wrong type refuses the message (skipped with the field named, the rest of the page taken).
 * Bodies WeCom documents are typed; their fields may be missing.
 */
const text = z.string().optional();
const num = z.number().optional();
const media = z.object({ media_id: text }).loose().optional();

export const kfMessage = z
  .object({
    msgid: textId,
    open_kfid: textId,
    external_userid: z.string().optional(),
    servicer_userid: z.string().optional(),
    send_time: z.int(),
    origin: z.int(),
    msgtype: z.string(),
    text: z.object({ content: z.string(), menu_id: text }).loose().optional(),
    image: media,
    voice: media,
    video: media,
    file: media,
    location: z.object({ latitude: num, longitude: num, name: text, address: text }).loose().optional(),
    link: z.object({ title: text, desc: text, url: text, pic_url: text }).loose().optional(),
    business_card: z.object({ userid: text }).loose().optional(),
    miniprogram: z.object({ title: text, appid: text, pagepath: text }).loose().optional(),
    msgmenu: z
      .object({
        head_content: text,
        list: z.array(z.record(z.string(), z.unknown())).optional(),
        tail_content: text,
      })
      .loose()
      .optional(),
    channels_shop_product: z
      .object({ title: text, shop_nickname: text, sales_price: z.union([z.string(), z.number()]).optional() })
      .loose()
      .optional(),
    channels_shop_order: z
      .object({ product_titles: text, price_wording: text, state: text, shop_nickname: text })
      .loose()
      .optional(),
    merged_msg: z
      .object({
        title: text,
        item: z
          .array(z.object({ send_time: num, msgtype: text, sender_name: text, msg_content: text }).loose())
          .optional(),
      })
      .loose()
      .optional(),
    channels: z.object({ sub_type: num, nickname: text, title: text }).loose().optional(),
    event: z.object({ event_type: z.string(), external_userid: z.string().optional() }).loose().optional(),
  })
  .loose();
export type KfMessageRead = z.infer<typeof kfMessage>;

const SYNC = '/cgi-bin/kf/sync_msg';

const PAGE = 1000;

/**
 * 微信客服: kf_msg_or_event only announces messages; kf/sync_msg hands them out page by page from a cursor. The
 * callback's token lifts the strict rate limit for 10 minutes; a retry after that pulls without it.
 */
export function wecomServiceInbox(api: WecomApi, config: WecomConfig): ServiceInbox | undefined {
  const secret = config.kfSecret;
  if (!secret) return undefined;
  const sync = (accountId: string, cursor: string, token?: string) =>
    api.call(secret, SYNC, {
      body: { open_kfid: accountId, limit: PAGE, ...(cursor ? { cursor } : {}), ...(token ? { token } : {}) },
    });

  return {
    async pull(accountId, cursor, token): Promise<ServicePage> {
      let answer: unknown;
      try {
        answer = await sync(accountId, cursor, token);
      } catch (error) {
        if (!token || !(error instanceof WecomError) || error.retryable) throw error;
        answer = await sync(accountId, cursor); // the token has expired since the announcement
      }
      const page = readAnswer(kfSyncAnswer, answer, SYNC);
      // Each message on its own: one that does not read is skipped with the reason, never blocking the cursor.
      const messages: KfMessageRead[] = [];
      const refused: string[] = [];
      for (const [i, raw] of page.msg_list.entries()) {
        const read = checkPayload(kfMessage, raw);
        if (read.ok) messages.push(read.value);
        else refused.push(`${SYNC} msg_list[${i}]: ${read.reason}`);
      }
      const profiles = await customerProfiles(
        api,
        secret,
        messages.flatMap((m) => customerOf(m) ?? []),
      );
      return {
        events: messages.flatMap((m) => toEvents(m, config.corpId, profiles)),
        ...(refused.length > 0 ? { refused } : {}),
        nextCursor: page.next_cursor ?? cursor,
        hasMore: page.has_more === 1,
      };
    },
  };
}

type Profiles = Map<string, { nickname?: string; unionid?: string }>;

/** Names and unionids of customers in a page, one call per 100 (missing profiles are not an error). */
async function customerProfiles(api: WecomApi, secret: string, ids: string[]): Promise<Profiles> {
  const unique = [...new Set(ids)];
  const profiles: Profiles = new Map();
  for (let i = 0; i < unique.length; i += 100) {
    const path = '/cgi-bin/kf/customer/batchget';
    const answer = await api.read(kfCustomersAnswer, secret, path, {
      body: { external_userid_list: unique.slice(i, i + 100) },
    });
    for (const c of answer.customer_list) {
      profiles.set(c.external_userid, {
        ...(c.nickname ? { nickname: c.nickname } : {}),
        ...(c.unionid ? { unionid: c.unionid } : {}),
      });
    }
  }
  return profiles;
}

function toEvents(m: KfMessageRead, corpId: string, profiles: Profiles): InboundEvent[] {
  const base = { platform: 'wecom' as const, workspace: corpId, occurredAt: m.send_time * 1000 };
  const customerId = customerOf(m);
  if (!customerId) return [];
  const profile = profiles.get(customerId);
  const customer: PersonRef = {
    externalId: customerId,
    workspace: corpId,
    side: 'customer',
    ...(profile?.nickname ? { displayName: profile.nickname } : {}),
    ...(profile?.unionid ? { unionId: profile.unionid } : {}),
  };
  if (m.origin === 4 || m.msgtype === 'event') {
    const { event_type: notice, external_userid: _, ...detail } = m.event ?? { event_type: 'unknown' };
    // A customer entering the session may be greeted once, with the code, within 20 s.
    const code = notice === 'enter_session' ? (detail as { welcome_code?: unknown }).welcome_code : undefined;
    return [
      {
        ...base,
        kind: 'notice',
        customer,
        notice,
        noticeId: m.msgid,
        detail,
        ...(typeof code === 'string' && code ? { welcomeCode: code } : {}),
      },
    ];
  }
  const chat = {
    key: `kf:${m.open_kfid}:${customerId}`,
    kind: 'service' as const,
    platformChatId: customerId,
    connectionId: m.open_kfid,
    ...(profile?.nickname ? { title: profile.nickname } : {}),
  };
  const fromServicer = m.origin === 5 && m.servicer_userid;
  const sender: PersonRef = fromServicer
    ? { externalId: m.servicer_userid as string, workspace: corpId, side: 'brand' }
    : customer;
  if (m.origin !== 3 && !fromServicer) return [];
  return [
    {
      ...base,
      kind: 'message',
      chat,
      sender,
      messageId: m.msgid,
      ...kfContent(m),
      ...kfAttachmentField(m),
    },
  ];
}

const customerOf = (m: KfMessageRead) => m.external_userid ?? m.event?.external_userid;

type ServiceAction = Extract<
  PlatformAction,
  { type: 'service_event_message' | 'service_handoff' | 'service_take' }
>;
/** `service_state` of a session nobody handles yet, and of one the API (Liaison) handles. */
const UNHANDLED = 0;
const HANDLED_BY_API = 1;

/**
 * 微信客服 actions: the one message an event code allows (`send_msg_on_event`, the welcome code lives 20 s), handing
 * a session to a servicer who answers in WeCom's own client (`service_state/trans` to 3), and taking a session
 * Liaison answered (0 → 1; WeCom allows no move from a state a person or the pool holds, so it asks first).
 */
export async function performServiceAction(
  api: WecomApi,
  config: WecomConfig,
  action: ServiceAction,
  signal?: AbortSignal,
): Promise<SendResult> {
  const secret = config.kfSecret;
  if (!secret)
    return {
      ok: false,
      retryable: false,
      error: 'WeChat Customer Service is not configured (WECOM_KF_SECRET)',
    };
  const s = signal ? { signal } : {};
  try {
    if (action.type === 'service_event_message') {
      const r = await api.call(secret, '/cgi-bin/kf/send_msg_on_event', {
        body: { code: action.code, msgtype: 'text', text: { content: action.text } },
        ...s,
      });
      const msgid = sentId(r);
      return { ok: true, ...(msgid ? { platformMessageId: msgid } : {}) };
    }
    const session = { open_kfid: action.accountId, external_userid: action.customerExternalId };
    if (action.type === 'service_take') {
      const now = await api.read(kfStateAnswer, secret, '/cgi-bin/kf/service_state/get', {
        body: session,
        ...s,
      });
      if (now.service_state === UNHANDLED)
        await api.call(secret, '/cgi-bin/kf/service_state/trans', {
          body: { ...session, service_state: HANDLED_BY_API },
          ...s,
        });
      return { ok: true };
    }
    await api.call(secret, '/cgi-bin/kf/service_state/trans', {
      body: {
        ...session,
        service_state: 3,
        servicer_userid: action.servicer,
      },
      ...s,
    });
    return { ok: true };
  } catch (error) {
    return asFailure(error);
  }
}
