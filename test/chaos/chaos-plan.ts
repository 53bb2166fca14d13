/** The chaos test's traffic: Telegram updates, WeCom encrypted callbacks and Feishu encrypted events, 20% re-sent. */

import { postFeishu } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, WEBHOOK_SECRET } from '../helpers/harness.ts';
import { postWecom } from '../helpers/wecom-callbacks.ts';

export type ChaosPlatform = 'telegram' | 'wecom' | 'feishu';
const PLATFORMS: ChaosPlatform[] = ['telegram', 'wecom', 'feishu'];
const TELEGRAM_STAFF = [5123456789, 5234567890];
const OUR_TENANT = '2ed263bf32cf1651';
const CUSTOMERS = 400;

export interface ChaosDelivery {
  index: number;
  platform: ChaosPlatform;
  /** A staff `/find` whose reply quotes this token, so every reply can be counted. */
  token?: string;
  /** Posts the delivery to a server, signed (and encrypted) at the moment of posting, as a platform re-sending does. */
  post(url: string): Promise<Response>;
}

export interface ChaosPlan {
  sends: ChaosDelivery[];
  unique: ChaosDelivery[];
  resent: number;
  staffTokens: string[];
}

/** `total` deliveries, 20% of them copies: half right behind their original (in flight at once), half much later. */
export function planChaos(total: number, runId = Date.now() % 1_000_000): ChaosPlan {
  const uniqueCount = Math.round(total * 0.8);
  const unique: ChaosDelivery[] = [];
  for (let i = 0; i < uniqueCount; i++) {
    const platform = PLATFORMS[i % 3] as ChaosPlatform;
    const staff = Math.floor(i / 3) % 10 === 0;
    const token = staff ? `chaos${runId}x${i}` : undefined;
    unique.push({ index: i, platform, ...(token ? { token } : {}), post: poster(platform, i, runId, token) });
  }
  const copies = total - uniqueCount;
  const copied = new Set(Array.from({ length: copies }, (_, k) => Math.floor((k * uniqueCount) / copies)));
  const sends: ChaosDelivery[] = [];
  const late: ChaosDelivery[] = [];
  let made = 0;
  for (const d of unique) {
    sends.push(d);
    if (copied.has(d.index)) (made++ % 2 === 0 ? sends : late).push(d);
  }
  const stride = Math.max(1, Math.floor(sends.length / 2 / Math.max(1, late.length)));
  late.forEach((d, k) => {
    sends.splice(Math.floor(sends.length / 2) + k * stride, 0, d);
  });
  return { sends, unique, resent: copies, staffTokens: unique.flatMap((d) => (d.token ? [d.token] : [])) };
}

const realTime = { now: () => Date.now() };

function poster(platform: ChaosPlatform, i: number, runId: number, token?: string) {
  const text = token ? `/find ${token}` : `你好，想问一下报价和交付时间 ${i}`;
  if (platform === 'telegram') {
    const body = telegramUpdate(
      runId * 1_000_000 + i,
      i,
      token ? (TELEGRAM_STAFF[i % 2] as number) : 7e9 + (i % CUSTOMERS),
      text,
    );
    return (url: string) =>
      fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body,
      });
  }
  if (platform === 'wecom') {
    // Members are staff; spread over many, as WeCom allows each member 30 app messages a minute.
    const from = token ? `staff${i % 199}` : `member${i % CUSTOMERS}`;
    const xml = token
      ? `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${runId}${String(i).padStart(9, '0')}</MsgId><AgentID>1000002</AgentID></xml>`
      : `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.com/p.jpg]]></PicUrl><MediaId><![CDATA[media${i}]]></MediaId><MsgId>${runId}${String(i).padStart(9, '0')}</MsgId><AgentID>1000002</AgentID></xml>`;
    return (url: string) => postWecom({ url, clock: realTime }, xml);
  }
  const event = feishuMessage(`chaos-${runId}-${i}`, `om_chaos_${runId}_${i}`, token !== undefined, i, text);
  return (url: string) => postFeishu({ url, clock: realTime }, event);
}

function telegramUpdate(updateId: number, messageId: number, chatId: number, text: string): string {
  const person = { id: chatId, is_bot: false, first_name: `客户${chatId % 1000}`, language_code: 'zh-hans' };
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: messageId,
      from: person,
      chat: { id: chatId, first_name: person.first_name, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: 5, type: 'bot_command' }] } : {}),
    },
  });
}

/** A staff member's private message to the bot, or a customer of another tenant writing in a group. */
function feishuMessage(eventId: string, messageId: string, staff: boolean, i: number, text: string) {
  // Staff spread over many private chats, as Feishu paces each chat to 5 messages a second.
  const staffId = `ou_chaosstaff${i % 199}`;
  const sender = staff
    ? { sender_id: { open_id: staffId }, sender_type: 'user', tenant_key: OUR_TENANT }
    : { sender_id: { open_id: `ou_chaos${i % CUSTOMERS}` }, sender_type: 'user', tenant_key: 'ext-tenant' };
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
      app_id: FEISHU_ENV.FEISHU_APP_ID,
      tenant_key: OUR_TENANT,
    },
    event: {
      sender,
      message: {
        message_id: messageId,
        create_time: String(Date.now()),
        chat_id: staff ? `oc_p2p_${staffId}` : 'oc_chaos_group',
        chat_type: staff ? 'p2p' : 'group',
        message_type: 'text',
        content: JSON.stringify({ text }),
      },
    },
  };
}
