import type { ContactMassSends } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import type { MassSendEvent } from '../../src/core/ports/events.ts';
import type { MassSendContent, PlatformAction, SendResult } from '../../src/core/ports/outbound.ts';
import type { WecomApi } from './api.ts';
import { asFailure } from './send.ts';
import type { WecomConfig } from './types.ts';
import { groupMsgResultAnswer, groupMsgTaskAnswer, msgTemplateAnswer } from './types.ts';

type MassSendAction = Extract<PlatformAction, { type: 'create_mass_send' | 'check_mass_send' }>;
type Results = NonNullable<MassSendEvent['checked']>['results'];

/** WeCom takes at most 10,000 customers per add_msg_template task. */
export const MAX_TASK_CUSTOMERS = 10_000;
/** Members confirm tasks in their own client: look again this long after creating or checking one. */
export const CHECK_AFTER_MS = 30 * 60_000;
const PAGE = 1000;
/** get_groupmsg_send_result status → what the customer got. */
const RESULT = { 0: 'unsent', 1: 'sent', 2: 'not_contact', 3: 'limit' } as const;

/** 企业群发 tasks (the `massSends` port): created and followed by the `create_mass_send` / `check_mass_send` actions. */
export const wecomMassSends: ContactMassSends = { maxCustomersPerTask: MAX_TASK_CUSTOMERS };

/**
 * WeCom 企业群发 through the customer-contact secret: `create_mass_send` → `add_msg_template` (text plus a link card or
 * an uploaded picture) for one member's customers, answered with a `created` MassSendEvent and a check in 30 minutes;
 * `check_mass_send` → `get_groupmsg_task` (has the member sent it?) and, once sent, every page of
 * `get_groupmsg_send_result`, answered with a `checked` event and another check in 30 minutes until every customer
 * has a result (Liaison stops following a task 3 days after creation).
 */
export async function performMassSend(
  api: WecomApi,
  config: WecomConfig,
  clock: Clock,
  action: MassSendAction,
  signal?: AbortSignal,
): Promise<SendResult> {
  const secret = config.contactSecret ?? config.agentSecret;
  const s = signal ? { signal } : {};
  const event = (fields: Pick<MassSendEvent, 'msgid' | 'created' | 'checked'>): MassSendEvent => ({
    platform: 'wecom',
    workspace: config.corpId,
    occurredAt: clock.now(),
    kind: 'mass_send',
    massSendKey: action.massSendKey,
    sender: action.sender,
    ...fields,
  });
  try {
    if (action.type === 'create_mass_send') {
      const attachments = await attachmentsOf(api, secret, action.content, signal);
      const r = await api.read(msgTemplateAnswer, secret, '/cgi-bin/externalcontact/add_msg_template', {
        body: {
          chat_type: 'single',
          external_userid: action.customerExternalIds,
          sender: action.sender,
          text: { content: action.content.text },
          ...(attachments.length > 0 ? { attachments } : {}),
        },
        ...s,
      });
      if (!r.msgid) return { ok: false, retryable: true, error: 'add_msg_template answered without a msgid' };
      const check = {
        type: 'check_mass_send' as const,
        massSendKey: action.massSendKey,
        msgid: r.msgid,
        sender: action.sender,
      };
      return {
        ok: true,
        platformMessageId: r.msgid,
        events: [event({ msgid: r.msgid, created: { failedCustomerIds: r.fail_list } })],
        followUps: [{ action: check, afterMs: CHECK_AFTER_MS }],
      };
    }
    const sentAt = await memberSentAt(api, secret, action, s);
    const results = sentAt === null ? [] : await sendResults(api, secret, action, s);
    const complete = sentAt !== null && !results.some((r) => r.status === 'unsent');
    return {
      ok: true,
      events: [event({ msgid: action.msgid, checked: { confirmed: sentAt !== null, results } })],
      followUps: complete ? [] : [{ action, afterMs: CHECK_AFTER_MS }],
    };
  } catch (error) {
    return asFailure(error);
  }
}

/** The link card, and the picture uploaded as temporary media (kept 3 days: the member confirms within that). */
async function attachmentsOf(
  api: WecomApi,
  secret: string,
  content: MassSendContent,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const out: unknown[] = [];
  if (content.link) out.push({ msgtype: 'link', link: { title: content.link.title, url: content.link.url } });
  if (content.image) {
    const bytes = Buffer.from(content.image.base64, 'base64');
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const mediaId = await api.upload(
      secret,
      'image',
      {
        filename: jpeg ? 'campaign.jpg' : 'campaign.png',
        contentType: jpeg ? 'image/jpeg' : 'image/png',
        bytes,
      },
      signal,
    );
    out.push({ msgtype: 'image', image: { media_id: mediaId } });
  }
  return out;
}

/** When the member sent the task (epoch ms; 0 when WeCom gives no time), or null while they have not. */
async function memberSentAt(
  api: WecomApi,
  secret: string,
  action: Extract<MassSendAction, { type: 'check_mass_send' }>,
  s: { signal?: AbortSignal },
): Promise<number | null> {
  let cursor = '';
  do {
    const r = await api.read(groupMsgTaskAnswer, secret, '/cgi-bin/externalcontact/get_groupmsg_task', {
      body: { msgid: action.msgid, limit: PAGE, ...(cursor ? { cursor } : {}) },
      ...s,
    });
    const mine = r.task_list.find((t) => t.userid === action.sender);
    if (mine) return mine.status === 2 ? (mine.send_time ?? 0) * 1000 : null;
    cursor = r.next_cursor ?? '';
  } while (cursor);
  return null;
}

/** Each customer's result of the member's sending, over every page. */
async function sendResults(
  api: WecomApi,
  secret: string,
  action: Extract<MassSendAction, { type: 'check_mass_send' }>,
  s: { signal?: AbortSignal },
): Promise<Results> {
  const results: Results = [];
  let cursor = '';
  do {
    const r = await api.read(
      groupMsgResultAnswer,
      secret,
      '/cgi-bin/externalcontact/get_groupmsg_send_result',
      {
        body: { msgid: action.msgid, userid: action.sender, limit: PAGE, ...(cursor ? { cursor } : {}) },
        ...s,
      },
    );
    for (const x of r.send_list) {
      if (!x.external_userid) continue;
      const status = RESULT[x.status as keyof typeof RESULT] ?? 'unsent';
      results.push({
        customerExternalId: x.external_userid,
        status,
        ...(status === 'sent' && x.send_time ? { sentAt: x.send_time * 1000 } : {}),
      });
    }
    cursor = r.next_cursor ?? '';
  } while (cursor);
  return results;
}
