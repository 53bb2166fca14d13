import { afterEach, describe, expect, it } from 'vitest';
import { decodeTelegram } from '../../adapters/telegram/decode.ts';
import { topicName } from '../../adapters/telegram/topics.ts';
import { type ConfigError, loadConfig } from '../../src/config.ts';
import type { MessageEvent } from '../../src/core/ports/events.ts';
import {
  postTelegramPrivate,
  sentMessageRecorded,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { BOT_TOKEN, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5234567890';
const MANAGER = '5480000001';
const REP = '5480000002';
const OTHER_REP = '5480000003';
const STRANGER = '7489999999'; // in the inbox group, but not staff
const INBOX = '-1001987654321';
const BOT_ID = Number(BOT_TOKEN.split(':')[0]);

let nextId = 970_000_000;

/**
 * The configured inbox chat takes unowned customers' relays: a plain group (answered by replying to a relay or with
 * /reply), or a forum supergroup with one topic per customer, where whatever staff write goes to that customer.
 */
describe.each(serverDialectsUnderTest())('the relay inbox chat on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  type Sent = { text: string; id: number | undefined; thread: unknown };
  const sentTo = (chatId: string): Sent[] =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === chatId && c.answer?.status === 200)
      .map((c) => ({
        text: String(c.body.text),
        id: (c.answer?.body as { result?: { message_id?: number } } | undefined)?.result?.message_id,
        thread: c.body.message_thread_id,
      }));
  const relaysIn = (chatId: string) => sentTo(chatId).filter((m) => m.text.startsWith('💬'));
  const topicsCreated = () => h.telegram.callsTo('createForumTopic').filter((c) => c.answer?.status === 200);

  async function organisation(env: Record<string, string> = {}, forum = false) {
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { RELAY_INBOX_CHAT: `telegram:${INBOX}`, ...env },
    });
    if (forum) h.telegram.forums.add(INBOX);
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, '/team add 华北组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep 华北组`);
    return chat;
  }

  /** Someone writes in the inbox group (in a topic, or replying to a message); resolves once it was processed. */
  async function postInInbox(
    from: string,
    text: string,
    o: { thread?: number; replyTo?: number; command?: boolean; photo?: boolean } = {},
  ): Promise<number> {
    const id = nextId++;
    const group = {
      id: Number(INBOX),
      type: 'supergroup',
      title: '客服收件箱',
      ...(o.thread ? { is_forum: true } : {}),
    };
    const bot = { id: BOT_ID, is_bot: true, first_name: '客户助手', username: 'LiaisonCrmBot' };
    // In a topic, a message answering nothing carries the topic's opening (the bot's) as its reply.
    const repliedTo = o.replyTo ?? o.thread;
    await h.postUpdate({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(h.clock.now() / 1000),
        chat: group,
        from: {
          id: Number(from),
          is_bot: false,
          first_name: `员工${from.slice(-3)}`,
          language_code: 'zh-hans',
        },
        ...(o.thread ? { message_thread_id: o.thread, is_topic_message: true } : {}),
        ...(repliedTo
          ? { reply_to_message: { message_id: repliedTo, date: 0, chat: group, from: bot } }
          : {}),
        ...(o.photo
          ? { photo: [{ file_id: 'AgAC-photo', file_unique_id: 'p1', width: 90, height: 90 }], caption: text }
          : { text }),
        ...(o.command
          ? { entities: [{ offset: 0, length: text.split(' ')[0]?.length ?? 0, type: 'bot_command' }] }
          : {}),
      },
    });
    await waitFor(async () =>
      h.db
        .selectFrom('inbox')
        .select('id')
        .where('dedup_key', '=', String(id))
        .where('processed_at', 'is not', null)
        .executeTakeFirst(),
    );
    return id;
  }

  const staffTimeline = async (customerId: number, count: number) =>
    waitFor(async () => {
      const d = await h.api<{
        timeline: Array<{
          type: string;
          direction?: string;
          text?: string;
          author?: { kind: string; name: string };
        }>;
      }>(`/customers/${customerId}`);
      const out = d.body.timeline.filter((e) => e.type === 'message' && e.direction === 'out');
      return out.length === count ? out : undefined;
    });

  it('relays unowned customers into the inbox group, answered by replying to the relay or with /reply', async () => {
    const chat = await organisation();
    const CUSTOMER = '7480000101';
    const id = await telegramCustomer(h, CUSTOMER, '王芳', '你好，我的电话 13812345678');
    const relay = await waitFor(() => relaysIn(INBOX)[0]);
    expect(relay.text).toContain(`#${id} 王芳（Telegram）`);
    // The whole group reads it: masked, whoever is in it.
    expect(relay.text).toContain('138****5678');
    expect(relay.text).not.toContain('13812345678');
    expect(relay.thread).toBeUndefined();
    // Not to the managers, nor the admins, nor back to the customer.
    for (const person of [MANAGER, ADMIN, CUSTOMER]) expect(relaysIn(person)).toEqual([]);
    expect(topicsCreated()).toEqual([]);

    // A staff member's Telegram reply to the relay answers the customer, and is confirmed in the group.
    await sentMessageRecorded(h, relay.id);
    await postInInbox(REP, '您好，企业版每年 12000 元', { replyTo: relay.id as number });
    await waitFor(() => sentTo(CUSTOMER).find((m) => m.text === '您好，企业版每年 12000 元'));
    expect(await waitFor(() => sentTo(INBOX).find((m) => m.text.startsWith('已回复')))).toMatchObject({
      text: `已回复 #${id} 王芳（Telegram）。`,
    });
    // /reply works in the inbox chat (staff-only by the admin's word); customer data commands still do not.
    await postInInbox(MANAGER, `/reply #${id} 合同今天发您`, { command: true });
    await waitFor(() => sentTo(CUSTOMER).find((m) => m.text === '合同今天发您'));
    await waitFor(() => sentTo(INBOX).filter((m) => m.text.startsWith('已回复')).length === 2);
    const before = sentTo(INBOX).length;
    await postInInbox(MANAGER, `/show #${id}`, { command: true });
    expect((await waitFor(() => sentTo(INBOX)[before])).text).toContain('私聊');
    const timeline = await staffTimeline(id, 2);
    expect(timeline.map((e) => [e.author?.kind, e.author?.name, e.text])).toEqual([
      ['staff', '员工002', '您好，企业版每年 12000 元'],
      ['staff', '员工001', '合同今天发您'],
    ]);

    // Someone in the group who is not staff: never a customer, never answered, nothing sent on.
    const calls = h.telegram.calls.length;
    const customers = await h.db.selectFrom('customers').select('id').execute();
    await postInInbox(STRANGER, '我是群里的外人，电话 13900001111', { replyTo: relay.id as number });
    await postInInbox(STRANGER, `/reply #${id} 冒充员工`, { command: true });
    await postInInbox(STRANGER, '大家好');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.calls.slice(calls)).toEqual([]);
    expect(await h.db.selectFrom('customers').select('id').execute()).toEqual(customers);
    const stranger = await h.db
      .selectFrom('identities')
      .select('id')
      .where('external_id', '=', STRANGER)
      .execute();
    expect(stranger).toEqual([]);
    expect(h.logs.some((l) => l.message.includes('non-staff member of the inbox chat'))).toBe(true);
    expect(JSON.stringify(h.logs)).not.toContain('13900001111');

    // An owned customer's messages still go to their owner privately, not to the inbox.
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    const inInbox = relaysIn(INBOX).length;
    await postTelegramPrivate(h, CUSTOMER, '王芳', '合同收到了');
    await waitFor(() => relaysIn(REP).find((m) => m.text.includes('合同收到了')));
    await new Promise((r) => setTimeout(r, 300));
    expect(relaysIn(INBOX)).toHaveLength(inInbox);
  });

  it('opens one topic per customer, once across redeliveries, restarts and two instances, and sends what staff write there', async () => {
    await organisation({}, true);
    await h.startAnother();
    const [A, B] = ['7480000201', '7480000202'];
    const update = (from: string, name: string, text: string, updateId: number) => ({
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(from), type: 'private', first_name: name },
        from: { id: Number(from), is_bot: false, first_name: name },
        text,
      },
    });
    // A burst from each new customer, posted at once: both instances flush relays for them.
    const first = nextId;
    nextId += 10;
    await Promise.all([
      ...[0, 1, 2].map((i) => h.postUpdate(update(A, '李雷', `A 的第${i + 1}句`, first + i))),
      ...[0, 1, 2].map((i) => h.postUpdate(update(B, '韩梅梅', `B 的第${i + 1}句`, first + 5 + i))),
    ]);
    const relayed = (text: string) => relaysIn(INBOX).find((m) => m.text.includes(text));
    // Posted at once, they may arrive in any order: a late one waits for the topic's next relay.
    const burst = [1, 2, 3].flatMap((i) => [`A 的第${i}句`, `B 的第${i}句`]);
    await waitFor(() => burst.every(relayed), 10_000);
    expect(topicsCreated()).toHaveLength(2);
    const topicOf = (name: string) => {
      const call = topicsCreated().find((c) => String(c.body.name).includes(name));
      return (call?.answer?.body as { result?: { message_thread_id?: number } } | undefined)?.result
        ?.message_thread_id;
    };
    const [topicA, topicB] = [topicOf('李雷'), topicOf('韩梅梅')];
    const ids = await h.db.selectFrom('customers').select(['id', 'display_name']).orderBy('id').execute();
    const idOf = (name: string) => ids.find((c) => c.display_name === name)?.id as number;
    expect(
      topicsCreated()
        .map((c) => c.body.name)
        .sort(),
    ).toEqual([`#${idOf('李雷')} 李雷`, `#${idOf('韩梅梅')} 韩梅梅`].sort());
    for (const i of [1, 2, 3]) {
      expect(relayed(`A 的第${i}句`)?.thread).toBe(topicA);
      expect(relayed(`B 的第${i}句`)?.thread).toBe(topicB);
    }
    const all = relaysIn(INBOX)
      .map((m) => m.text)
      .join('\n');
    for (const i of [1, 2, 3]) expect(all.split(`A 的第${i}句`)).toHaveLength(2);
    expect(relaysIn(MANAGER)).toEqual([]);

    // Redelivered, then after a restart: no second topic; a new message goes into the same topic.
    await h.postUpdate(update(A, '李雷', 'A 的第1句', first));
    await h.restart();
    await h.postUpdate(update(A, '李雷', 'A 的第1句', first));
    await postTelegramPrivate(h, A, '李雷', 'A 重启后又来了');
    await waitFor(() => relayed('A 重启后又来了'));
    expect(relayed('A 重启后又来了')?.thread).toBe(topicA);
    expect(topicsCreated()).toHaveLength(2);
    expect(relaysIn(INBOX).filter((m) => m.text.includes('A 的第1句'))).toHaveLength(1);

    // A rep writes in A's topic: it goes to A (not to B), as theirs; the topic gets no echo from the bot.
    const inTopic = () => sentTo(INBOX).filter((m) => m.thread === topicA && !m.text.startsWith('💬'));
    await postInInbox(REP, '李先生您好，样品明天寄出', { thread: topicA });
    await waitFor(() => sentTo(A).find((m) => m.text === '李先生您好，样品明天寄出'));
    expect(sentTo(B).some((m) => m.text.includes('样品'))).toBe(false);
    const [answer] = await staffTimeline(idOf('李雷'), 1);
    expect([answer?.author?.kind, answer?.author?.name]).toEqual(['staff', '员工002']);
    // A picture there goes on to A as it is.
    await postInInbox(REP, '', { thread: topicA, photo: true });
    const copy = await waitFor(() =>
      h.telegram.callsTo('copyMessage').find((c) => String(c.body.chat_id) === A),
    );
    expect(copy.body).toMatchObject({ from_chat_id: INBOX });
    await new Promise((r) => setTimeout(r, 300));
    expect(inTopic()).toEqual([]);

    // Someone who cannot reach the customer is told so in the topic; nothing goes to the customer.
    await telegramDriver(h).ask(ADMIN, `/assign #${idOf('韩梅梅')} telegram:${REP}`);
    const toB = sentTo(B).length;
    await postInInbox(OTHER_REP, '我来回复', { thread: topicB });
    const refused = await waitFor(() =>
      sentTo(INBOX).find((m) => m.thread === topicB && !m.text.startsWith('💬')),
    );
    expect(refused.text).toContain('没有找到');
    // Nor from someone who is not staff.
    await postInInbox(STRANGER, '我不是员工', { thread: topicB });
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(B)).toHaveLength(toB);
    expect(
      await h.db.selectFrom('identities').select('id').where('external_id', '=', STRANGER).execute(),
    ).toEqual([]);
    // Owned now, B's next message goes to the owner privately.
    await postTelegramPrivate(h, B, '韩梅梅', 'B 有了负责人');
    await waitFor(() => relaysIn(REP).find((m) => m.text.includes('B 有了负责人')));
    expect(relayed('B 有了负责人')).toBeUndefined();
  });

  it('relays every customer into the inbox when set so, the owner still getting theirs', async () => {
    const chat = await organisation({ RELAY_INBOX_ALL: 'on', RELAY_INBOX_LANGUAGE: 'en' });
    const CUSTOMER = '7480000301';
    const id = await telegramCustomer(h, CUSTOMER, 'Ann Lee', 'hello');
    await waitFor(() => relaysIn(INBOX).find((m) => m.text.includes('hello')));
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    await postTelegramPrivate(h, CUSTOMER, 'Ann Lee', 'any news?');
    const inInbox = await waitFor(() => relaysIn(INBOX).find((m) => m.text.includes('any news?')));
    expect(inInbox.text).toContain('To answer: reply to this message');
    await waitFor(() => relaysIn(REP).find((m) => m.text.includes('any news?')));
    expect(relaysIn(MANAGER)).toEqual([]);
  });
});

describe('Telegram forum topics', () => {
  const bot = { id: String(BOT_ID), username: 'LiaisonCrmBot' };
  const group = { id: Number(INBOX), type: 'supergroup', title: '客服收件箱', is_forum: true };
  const opening = {
    message_id: 77,
    date: 0,
    chat: group,
    from: { id: BOT_ID, is_bot: true, first_name: '客户助手' },
  };
  const decode = (message: object) =>
    decodeTelegram(
      JSON.stringify({
        update_id: 1,
        message: {
          message_id: 90,
          date: 1,
          chat: group,
          from: { id: 5480000002, first_name: '员工' },
          ...message,
        },
      }),
      0,
      bot,
    )[0] as MessageEvent;

  it('reads the topic, and the topic’s opening as no reply (nor a message to the bot)', () => {
    const plain = decode({
      text: '你好',
      message_thread_id: 77,
      is_topic_message: true,
      reply_to_message: opening,
    });
    expect(plain.threadId).toBe('77');
    expect(plain.replyToMessageId).toBeUndefined();
    expect(plain.botCommandText).toBeUndefined();
    const reply = decode({
      text: '好的',
      message_thread_id: 77,
      is_topic_message: true,
      reply_to_message: { ...opening, message_id: 80 },
    });
    expect([reply.threadId, reply.replyToMessageId, reply.botCommandText]).toEqual(['77', '80', '好的']);
    // Outside a forum, message_thread_id is a reply thread, not a topic.
    const thread = decode({
      text: '嗯',
      message_thread_id: 80,
      reply_to_message: { ...opening, message_id: 80 },
    });
    expect([thread.threadId, thread.replyToMessageId]).toEqual([undefined, '80']);
  });

  it('fits topic names to 128 characters on one line, never splitting a character', () => {
    expect(topicName('#12 王芳\n<b>VIP</b>')).toBe('#12 王芳 <b>VIP</b>');
    const long = topicName(`#7 ${'😀'.repeat(100)}`);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long.endsWith('😀')).toBe(true);
    expect(topicName('\n\t')).toBe('?');
  });
});

describe('RELAY_INBOX_CHAT', () => {
  it('reads platform:chatId with its options, and names what is wrong', () => {
    expect(loadConfig({}).org.relayInbox).toBeNull();
    expect(
      loadConfig({
        RELAY_INBOX_CHAT: 'telegram:-1001234567890',
        RELAY_INBOX_ALL: 'on',
        RELAY_INBOX_LANGUAGE: 'en',
      }).org.relayInbox,
    ).toEqual({ platform: 'telegram', chatId: '-1001234567890', everyCustomer: true, language: 'en' });
    expect(
      loadConfig({ RELAY_INBOX_CHAT: 'feishu:oc_84983ff6516d731e5b5f68d4ea2e1da5' }).org.relayInbox,
    ).toMatchObject({ platform: 'feishu', everyCustomer: false, language: 'zh' });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ RELAY_INBOX_CHAT: '-1001234567890' })).toEqual([
      expect.stringContaining('RELAY_INBOX_CHAT must be platform:chatId'),
    ]);
    expect(
      problems({ RELAY_INBOX_CHAT: 'web:x', RELAY_INBOX_ALL: 'yes', RELAY_INBOX_LANGUAGE: 'fr' }),
    ).toHaveLength(3);
  });
});
