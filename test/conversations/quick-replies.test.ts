import { afterEach, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { API_TOKEN, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5234567890';
const MANAGER = '5490000001';
const REP = '5490000002';
const OTHER_MANAGER = '5490000003';
const OTHER_REP = '5490000004';
const CUSTOMER = '7490000001';
const OTHER_CUSTOMER = '7490000002';

/** Quick replies (话术库): saved per team by chat or API, sent as `/reply #12 :price`; and replies the assistant drafts. */
describe.each(serverDialectsUnderTest())('quick replies on $name', (dialect) => {
  let h: Harness;
  let fake: FakeOpenAi | undefined;
  afterEach(async () => {
    await h?.close();
    await fake?.close();
    fake = undefined;
  });

  const sentTo = (chatId: string) =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === chatId)
      .map((c) => String(c.body.text));
  /** Waits a moment for anything else the outbox would still send. */
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const audited = async (prefix: string) =>
    (await h.db.selectFrom('audit_log').select(['action', 'via']).orderBy('id').execute()).filter((a) =>
      a.action.startsWith(prefix),
    );

  /** 华南组 with 广州组 under it, and 华北组; a customer of 广州组's rep and one of 华北组's. */
  async function organisation(env: Record<string, string> = {}) {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, '/team add 广州组 华南组');
    await chat.ask(ADMIN, '/team add 华北组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 广州组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_MANAGER} manager 华北组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep 华北组`);
    const ours = await telegramCustomer(h, CUSTOMER, '王芳', '想了解企业版的价格');
    const theirs = await telegramCustomer(h, OTHER_CUSTOMER, '李雷', '你好');
    await chat.ask(ADMIN, `/assign #${ours} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${theirs} telegram:${OTHER_REP}`);
    return { chat, ours, theirs };
  }

  /** Sends by chat and waits for the customer to get it; resolves with what they got. */
  async function replied(chat: ChatDriver, from: string, line: string, customer: string): Promise<string> {
    const before = sentTo(customer).length;
    expect(await chat.ask(from, line)).toContain('已回复');
    return waitFor(() => sentTo(customer)[before]);
  }

  it('saves a team’s quick reply by chat, and sends it to the team and the teams under it, filled with the name', async () => {
    const { chat, ours, theirs } = await organisation();
    expect(await chat.ask(MANAGER, '/quick add price {name}您好，企业版每年 12000 元。')).toContain(
      '已添加快捷回复 :price（华南组）',
    );
    expect(await chat.ask(REP, '/快捷 列表')).toContain(':price（华南组');
    expect(await replied(chat, REP, `/reply #${ours} :price`, CUSTOMER)).toBe(
      '王芳您好，企业版每年 12000 元。',
    );
    // A full-width colon, another letter case, and more text after the key.
    expect(await replied(chat, REP, `/reply #${ours} ：Price 今天下单送安装`, CUSTOMER)).toBe(
      '王芳您好，企业版每年 12000 元。\n今天下单送安装',
    );

    // An unknown key sends nothing, and says so.
    const before = sentTo(CUSTOMER).length;
    expect(await chat.ask(REP, `/reply #${ours} :nope`)).toContain('快捷回复');
    // Another team neither sees nor sends it; reps only read.
    expect(await chat.ask(OTHER_MANAGER, '/quick list')).not.toContain(':price');
    expect(await chat.ask(OTHER_MANAGER, '/quick remove price')).toContain('没有你可以删除的快捷回复');
    expect(await chat.ask(OTHER_REP, `/reply #${theirs} :price`)).toContain('快捷回复');
    expect(await chat.ask(REP, '/quick add hi 你好')).toContain('只有经理及以上');
    expect(await chat.ask(REP, '/快捷 删除 price')).toContain('只有经理及以上');
    await settle();
    expect(sentTo(CUSTOMER)).toHaveLength(before);
    expect(sentTo(OTHER_CUSTOMER).filter((t) => t.includes('12000'))).toEqual([]);

    // The organisation's, added by an admin, is everyone's; a team's own of the same key comes first for that team.
    expect(await chat.ask(ADMIN, '/quick add price 价格表请见官网。')).toContain('（全公司）');
    expect(await replied(chat, OTHER_REP, `/reply #${theirs} :price`, OTHER_CUSTOMER)).toBe(
      '价格表请见官网。',
    );
    expect(await chat.ask(MANAGER, '/quick add price {name}您好，今年优惠价 9800 元。')).toContain(
      '已更新快捷回复 :price（华南组）',
    );
    expect(await replied(chat, REP, `/reply #${ours} :price`, CUSTOMER)).toBe(
      '王芳您好，今年优惠价 9800 元。',
    );
    expect(await chat.ask(MANAGER, '/快捷 删除 :price')).toContain('已删除快捷回复 :price（华南组）');
    expect(await replied(chat, REP, `/reply #${ours} :price`, CUSTOMER)).toBe('价格表请见官网。');

    expect(await audited('quick_reply.')).toEqual([
      { action: 'quick_reply.added', via: 'telegram' },
      { action: 'quick_reply.added', via: 'telegram' },
      { action: 'quick_reply.changed', via: 'telegram' },
      { action: 'quick_reply.removed', via: 'telegram' },
    ]);
  });

  it('keeps quick replies through the API once per Idempotency-Key, and sends the organisation’s by key', async () => {
    const { ours } = await organisation();
    const post = (body: unknown, key?: string) =>
      h.api<Record<string, unknown>>('/quick-replies', API_TOKEN, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    const team = await h.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', '华南组')
      .executeTakeFirstOrThrow();

    const hello = await post({ key: ':Hello', text: '{name}您好，有什么可以帮您？' }, 'qr-hello-1');
    expect(hello).toMatchObject({ status: 201, body: { key: 'hello', team: null } });
    expect(await post({ key: ':Hello', text: '{name}您好，有什么可以帮您？' }, 'qr-hello-1')).toEqual(hello);
    expect((await post({ key: 'hello', text: '另一段话' }, 'qr-hello-1')).status).toBe(422);
    expect(await audited('quick_reply.')).toEqual([{ action: 'quick_reply.added', via: 'api' }]);

    const price = await post({ key: 'price', text: '企业版每年 12000 元', teamId: team.id });
    expect(price).toMatchObject({ status: 201, body: { team: { id: team.id, name: '华南组' } } });
    expect(await post({ key: 'price', text: '企业版今年 9800 元', teamId: team.id })).toMatchObject({
      status: 200,
      body: { id: price.body.id, text: '企业版今年 9800 元' },
    });
    expect(await post({ key: 'two words', text: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'key' },
    });
    expect(await post({ key: 'x', text: 'x', teamId: 999999 })).toMatchObject({
      status: 400,
      body: { field: 'teamId' },
    });
    const list = await h.api<{ items: Array<{ key: string }> }>('/quick-replies');
    expect(list.body.items.map((i) => i.key)).toEqual(['hello', 'price']);

    // A message by key: the unbound (admin) token sends the organisation's, never a team's.
    const send = (text: string) =>
      h.api<Record<string, unknown>>(`/customers/${ours}/messages`, API_TOKEN, {
        method: 'POST',
        body: JSON.stringify({ text }),
      });
    expect((await send(':hello')).status).toBe(202);
    expect(await waitFor(() => sentTo(CUSTOMER).find((t) => t.includes('有什么可以帮您')))).toBe(
      '王芳您好，有什么可以帮您？',
    );
    expect(await send(':price')).toMatchObject({ status: 422, body: { field: 'text' } });
    expect(await send(':nope')).toMatchObject({ status: 422, body: { field: 'text' } });
    await settle();
    expect(sentTo(CUSTOMER).filter((t) => t.includes('元'))).toEqual([]);

    const remove = (id: unknown) => h.api(`/quick-replies/${id}`, API_TOKEN, { method: 'DELETE' });
    expect(await remove(price.body.id)).toEqual({ status: 200, body: { deleted: true, id: price.body.id } });
    expect((await remove(price.body.id)).status).toBe(404);
    expect((await h.api<{ items: unknown[] }>('/quick-replies')).body.items).toHaveLength(1);
  });

  it('drafts a reply with the assistant, shows it, and sends it once only after the rep confirms', async () => {
    fake = await new FakeOpenAi().start();
    const { chat, ours } = await organisation({
      OPENAI_API_KEY: 'test',
      OPENAI_BASE_URL: fake.url,
      AUTO_TAG_LLM: 'off',
    });
    // The model's text as written, on the one line the plan shows it on (a line break becomes a space).
    const text = '王芳您好，您的订单明天发货（顺丰）。\n有问题随时联系我：/help 不是命令。';
    const draft = '王芳您好，您的订单明天发货（顺丰）。 有问题随时联系我：/help 不是命令。';
    fake.script({ toolCalls: [{ name: 'reply_to_customer', arguments: { customer: '王芳', text } }] });
    const before = sentTo(CUSTOMER).length;
    const plan = await chat.ask(REP, '帮我回复王芳说明天发货');
    expect(plan).toContain(`我将执行（王芳 #${ours}）`);
    expect(plan).toContain(`/reply #${ours} ${draft}`);
    expect(plan).toContain('回复「确认」执行');
    const [request] = fake.requests;
    expect(request?.tools?.map((t) => t.function.name)).toContain('reply_to_customer');
    expect(request?.messages[0]?.content).toContain('Replies:');
    expect(request?.messages[1]?.content).toBe('帮我回复王芳说明天发货');
    await settle();
    expect(sentTo(CUSTOMER)).toHaveLength(before);

    expect(await chat.ask(REP, '确认')).toContain(`已回复 #${ours} 王芳`);
    expect(await waitFor(() => sentTo(CUSTOMER)[before])).toBe(draft);
    expect(await chat.ask(REP, '确认')).toBe('没有待确认的操作。');
    await settle();
    expect(sentTo(CUSTOMER).slice(before)).toEqual([draft]);
    expect(fake.requests).toHaveLength(1);
    const sent = await h.db
      .selectFrom('messages')
      .select(['author_kind', 'text'])
      .where('customer_id', '=', ours)
      .where('direction', '=', 'out')
      .execute();
    expect(sent).toEqual([{ author_kind: 'staff', text: draft }]);
  });
});
