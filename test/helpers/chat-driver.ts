import type { Harness } from './harness.ts';
import { waitFor } from './harness.ts';
import { postWecom, wecomXml, withField } from './wecom-callbacks.ts';

let nextId = 880_000_000;

/** Reminders, alerts and relayed customer messages reach staff on their own schedule; an answer is anything else. */
const isNotification = (text: string) => /^(⏰|⚠️|🔥|⏱|💬|🔕)/u.test(text);
/** The bot's answers among `sent` after the first `before` messages, notifications left out. */
export const answersAfter = (sent: string[], before: number) =>
  sent.slice(before).filter((t) => !isNotification(t));
/** The bot's first answer among `sent` after the first `before` messages. */
export const answerAfter = (sent: string[], before: number) => answersAfter(sent, before)[0];

/** Every message the Telegram bot sent to one chat so far. */
export const telegramSentTo = (h: Harness, chatId: string | number) =>
  h.telegram
    .callsTo('sendMessage')
    .filter((c) => String(c.body.chat_id) === String(chatId))
    .map((c) => String(c.body.text));

/** Talks to the bot as a person on one platform, through real webhooks, and reads the bot's answers from the fake API. */
export interface ChatDriver {
  platform: 'telegram' | 'wecom';
  /** How `/staff add` names this person: `platform:userId`. */
  ref(userId: string): string;
  /** A staff member writes `text` to the bot privately; resolves with the bot's answer. */
  ask(userId: string, text: string, language?: string): Promise<string>;
  /** Every private message the bot sent to this person so far. */
  sentTo(userId: string): string[];
}

export function telegramDriver(h: Harness): ChatDriver {
  const sentTo = (userId: string) => telegramSentTo(h, userId);
  return {
    platform: 'telegram',
    ref: (userId) => `telegram:${userId}`,
    sentTo,
    async ask(userId, text, language = 'zh-hans') {
      const before = sentTo(userId).length;
      await postTelegramPrivate(h, userId, `员工${userId.slice(-3)}`, text, language);
      return waitFor(() => answerAfter(sentTo(userId), before));
    },
  };
}

export function wecomDriver(h: Harness): ChatDriver {
  const sentTo = (userId: string) =>
    h.wecom
      .callsTo('/cgi-bin/message/send')
      .filter((c) => (c.body as { touser?: string }).touser === userId)
      .map((c) => {
        const b = c.body as { text?: { content: string }; markdown?: { content: string } };
        return b.text?.content ?? b.markdown?.content ?? '';
      });
  return {
    platform: 'wecom',
    ref: (userId) => `wecom:${userId}`,
    sentTo,
    async ask(userId, text) {
      const before = sentTo(userId).length;
      let xml = wecomXml('msg-text-member.xml');
      xml = withField(xml, 'FromUserName', userId);
      xml = withField(xml, 'Content', text);
      xml = withField(xml, 'MsgId', String(nextId++));
      xml = xml.replace(
        /<CreateTime>\d+<\/CreateTime>/,
        `<CreateTime>${Math.floor(h.clock.now() / 1000)}</CreateTime>`,
      );
      const res = await postWecom(h, xml);
      if (res.status !== 200) throw new Error(`WeCom callback answered ${res.status}`);
      return waitFor(() => answerAfter(sentTo(userId), before));
    },
  };
}

/** A Telegram user writes to the bot in a private chat (a customer, or staff). */
export function postTelegramPrivate(
  h: Harness,
  userId: string,
  name: string,
  text: string,
  language = 'zh-hans',
) {
  const id = nextId++;
  return h.postUpdate({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(h.clock.now() / 1000),
      chat: { id: Number(userId), type: 'private', first_name: name },
      from: { id: Number(userId), is_bot: false, first_name: name, language_code: language },
      text,
    },
  });
}

/** A customer writes to the brand's Telegram bot; resolves once the customer exists, with their id. */
export async function telegramCustomer(
  h: Harness,
  userId: string,
  name: string,
  text = '你好',
): Promise<number> {
  await postTelegramPrivate(h, userId, name, text);
  const row = await waitFor(() =>
    h.db
      .selectFrom('identities')
      .select('customer_id')
      .where('platform', '=', 'telegram')
      .where('external_id', '=', userId)
      .executeTakeFirst(),
  );
  return row.customer_id;
}

/** A Telegram user writes a command to the bot in a group (`/word@LiaisonCrmBot args`); resolves with the answer. */
export async function askInTelegramGroup(
  h: Harness,
  userId: string,
  groupId: number,
  text: string,
): Promise<string> {
  const inGroup = () => h.telegram.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === groupId);
  const before = inGroup().length;
  const [word = '', ...rest] = text.split(' ');
  const command = `${word}@LiaisonCrmBot`;
  const id = nextId++;
  await h.postUpdate({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(h.clock.now() / 1000),
      chat: { id: groupId, title: '销售群', type: 'supergroup' },
      from: {
        id: Number(userId),
        is_bot: false,
        first_name: `员工${userId.slice(-3)}`,
        language_code: 'zh-hans',
      },
      text: [command, ...rest].join(' '),
      entities: [{ offset: 0, length: command.length, type: 'bot_command' }],
    },
  });
  return String((await waitFor(() => inGroup()[before])).body.text);
}

/**
 * Waits until the outbox recorded the platform's id of a message Liaison sent (a relay): only then can a staff
 * member's platform reply to it be traced back, as it always is for a person, who takes longer than a test to answer.
 */
export function sentMessageRecorded(h: Harness, platformMessageId: number | string | undefined) {
  return waitFor(() =>
    h.db
      .selectFrom('outbox')
      .select('id')
      .where('platform_message_id', '=', String(platformMessageId))
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
}

/**
 * A staff member answers one of the bot's messages in their private chat with Telegram's reply: text, or a picture
 * (with an optional caption). Resolves with the new message's id once the webhook took it.
 */
export async function replyInTelegram(
  h: Harness,
  userId: string,
  repliedTo: number | undefined,
  content: { text: string } | { photoId: string; caption?: string },
): Promise<number> {
  const id = nextId++;
  const chat = { id: Number(userId), type: 'private', first_name: `员工${userId.slice(-3)}` };
  await h.postUpdate({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(h.clock.now() / 1000),
      chat,
      from: { id: Number(userId), is_bot: false, first_name: chat.first_name, language_code: 'zh-hans' },
      ...('text' in content
        ? { text: content.text }
        : {
            photo: [{ file_id: content.photoId, file_unique_id: `u-${id}`, width: 1280, height: 960 }],
            ...(content.caption ? { caption: content.caption } : {}),
          }),
      reply_to_message: { message_id: repliedTo, date: 0, chat },
    },
  });
  return id;
}
