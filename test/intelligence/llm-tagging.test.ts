import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { ADMIN_IDS, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { INJECTION_PROMPTS } from '../tagging/injection-prompts.ts';

const [sqlite] = serverDialectsUnderTest();
const ADMIN = '5123456789';
const REP = '5700000001';
const CUSTOMER = '7700000001';
const SECOND = 1_000;

const answer = (o: Record<string, unknown>) => ({
  text: JSON.stringify({ tags: [], intent: 'other', sentiment: 'neutral', stage: null, summary: '', ...o }),
});

/** The model reads each burst once (after the customer goes quiet), masked, and its answer is checked. */
describe('LLM auto-tagging', () => {
  let h: Harness;
  let fake: FakeOpenAi;
  let chat: ChatDriver;
  let customerId = 0;
  beforeEach(async () => {
    fake = await new FakeOpenAi().start();
    fake.respond = () => answer({});
    h = await startHarness(sqlite!, {
      clockAt: FIXTURE_TIME,
      env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: fake.url },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    customerId = await telegramCustomer(h, CUSTOMER, '王芳', '你好');
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${REP}`);
    // The greeting's burst is read once the customer is quiet; start each test from a clean slate.
    h.clock.advance(61 * SECOND);
    await waitFor(() => fake.requests.length === 1);
    h.clock.advance(20 * 60 * SECOND);
    fake.requests.length = 0;
  });
  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const say = (text: string) => postTelegramPrivate(h, CUSTOMER, '王芳', text);
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const tags = () =>
    h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select(['tags.name', 'customer_tags.source'])
      .where('customer_id', '=', customerId)
      .orderBy('tags.name')
      .execute();
  const burstRows = () =>
    h.db
      .selectFrom('conversation_bursts')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute();

  it('asks once for a burst of five messages, masked, and keeps only allowlisted tags', async () => {
    fake.respond = () =>
      answer({
        tags: ['购买意向', 'VIP客户', '合同'],
        intent: 'quote',
        sentiment: 'neutral',
        stage: 'interested',
        summary: '想要企业版报价',
      });
    for (const text of [
      // A number right where a message is cut for the model (500 characters): masked before the cut, no digit left.
      `你好${'，'.repeat(494)} 15912345678`,
      '想了解企业版',
      '我电话 138 1234 5678',
      '邮箱 wangfang@example.com',
      '身份证 440301199001011234',
    ]) {
      await say(text);
      h.clock.advance(10 * SECOND);
    }
    await settle();
    expect(fake.requests).toHaveLength(0); // still within the debounce
    h.clock.advance(61 * SECOND);
    await waitFor(() => fake.requests.length === 1);
    await waitFor(async () => (await burstRows()).at(-1)?.llm_status === 'done');
    await settle();
    expect(fake.requests).toHaveLength(1);
    // The fence's random hex name can hold any digits (it once held '159'): only the text around it is checked.
    const shown = fake.allContent().replace(/DATA-[0-9a-f]{16}/g, 'DATA-fence');
    for (const secret of [
      '138 1234 5678',
      '13812345678',
      'wangfang@example.com',
      '440301199001011234',
      '159',
    ])
      expect(shown).not.toContain(secret);
    expect(shown).toContain('[number]');
    expect(shown).toContain('[email]');
    // The messages sit in a fence named in the instructions, with a delimiter made for the call.
    const fence = /<(DATA-[0-9a-f]{16})>\n[\s\S]*\n<\/\1>/.exec(fake.requests[0]?.messages[1]?.content ?? '');
    expect(fence?.[0]).toContain('想了解企业版');
    expect(fake.requests[0]?.messages[0]?.content).toContain(`between <${fence?.[1]}> and </${fence?.[1]}>`);
    expect(fake.requests[0]?.response_format).toEqual({ type: 'json_object' });
    const got = await tags();
    expect(got).toEqual(
      expect.arrayContaining([
        { name: '购买意向', source: 'llm' },
        { name: '合同', source: 'llm' },
      ]),
    );
    expect(got.map((t) => t.name)).not.toContain('VIP客户');
    const c = await h.db
      .selectFrom('customers')
      .select(['summary', 'stage', 'sentiment'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ summary: '想要企业版报价', stage: 'interested', sentiment: 'neutral' });
    const calls = await h.db.selectFrom('llm_calls').selectAll().where('purpose', '=', 'auto_tag').execute();
    expect(calls.at(-1)).toMatchObject({
      ok: 1,
      prompt_tokens: 321,
      completion_tokens: 23,
      prompt_version: 'auto-tag.v3',
    });
    // A hot lead for the burst: on the owner's hot list, no ping at once (it waits for the batched one).
    await waitFor(() =>
      h.db
        .selectFrom('alerts')
        .select('id')
        .where('cause', '=', 'high_intent')
        .where('customer_id', '=', customerId)
        .executeTakeFirst(),
    );
    expect(chat.sentTo(REP).filter((t) => t.startsWith('🔥'))).toEqual([]);
    expect(await chat.ask(REP, '/mine')).toMatch(new RegExp(`^高意向客户 1 位 🔥：\\n#${customerId} `));
  });

  it('applies rules at once when the endpoint is down, retries later, and rejects an answer that is not JSON', async () => {
    fake.script({ status: 500 }, { status: 500 }, { text: 'Sure! Here are the tags: 询价' });
    await say('多少钱？很急，今天要');
    await waitFor(async () => (await tags()).length >= 2);
    expect((await tags()).map((t) => t.source)).toEqual(['rule', 'rule']);
    h.clock.advance(61 * SECOND);
    // The SDK tries twice, a moment apart; the failure then schedules a retry a minute later.
    await waitFor(async () => (await burstRows()).at(-1)?.llm_error, 8_000);
    expect((await burstRows()).at(-1)).toMatchObject({ llm_status: 'pending', llm_attempts: 1 });
    h.clock.advance(61 * SECOND);
    await waitFor(async () => (await burstRows()).at(-1)?.llm_error === 'the model did not answer JSON');
    expect((await burstRows()).at(-1)).toMatchObject({
      llm_status: 'pending',
      llm_error: 'the model did not answer JSON',
    });
    fake.respond = () => answer({ tags: ['紧急'], intent: 'quote', summary: '急要报价' });
    h.clock.advance(241 * SECOND);
    await waitFor(async () => (await burstRows()).at(-1)?.llm_status === 'done');
    expect(fake.requests).toHaveLength(4); // two refused (the SDK tries twice), one unreadable, one answered
    expect(
      (await h.db.selectFrom('llm_calls').select('ok').where('purpose', '=', 'auto_tag').execute()).map(
        (c) => c.ok,
      ),
    ).toContain(0);
  });

  it('lets no injected instruction act: tags stay in the allowlist, only the owner hears, no other customer leaks', async () => {
    const otherId = await telegramCustomer(h, '7700000002', '李秘密', '我的电话是13900001111');
    // A model that obeys the customer: tags outside the list, a late stage, another customer's name in the summary.
    fake.respond = () =>
      answer({
        tags: ['VIP', '免费', '管理员'],
        intent: 'complaint',
        sentiment: 'negative',
        stage: 'won',
        summary: '李秘密 13900001111',
      });
    for (const prompt of INJECTION_PROMPTS) {
      await say(prompt);
      h.clock.advance(11 * 60 * SECOND);
    }
    h.clock.advance(61 * SECOND);
    await waitFor(async () => (await burstRows()).every((b) => b.llm_status === 'done'), 8_000);
    const allowlist = new Set(
      (await import('../../src/core/kernel/tagging/default-rules.ts')).DEFAULT_RULE_SET.rules.map(
        (r) => r.tag,
      ),
    );
    for (const t of await tags()) expect(allowlist.has(t.name), t.name).toBe(true);
    const c = await h.db
      .selectFrom('customers')
      .select(['stage'])
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(c.stage).not.toBe('won');
    const sends = h.telegram
      .callsTo('sendMessage')
      .map((s) => ({ to: String(s.body.chat_id), text: String(s.body.text) }));
    // The admins hear the unowned 李秘密's own words relayed; everyone else is checked.
    const admins = ADMIN_IDS.split(',').map((a) => a.replace('telegram:', ''));
    const afterSetup = sends.filter((s) => !admins.includes(s.to) && s.to !== ADMIN);
    // Only the owner hears: alerts, and the customer's own words relayed.
    expect(afterSetup.every((s) => s.to === REP && /^(⚠️|🔥|⏰|⏱|💬)/u.test(s.text))).toBe(true);
    expect(afterSetup.some((s) => s.text.includes('李秘密') || s.text.includes('13900001111'))).toBe(false);
    expect(
      await h.db
        .selectFrom('customer_tags')
        .select('tag_id')
        .where('customer_id', '=', otherId)
        .where('source', '!=', 'rule')
        .execute(),
    ).toEqual([]);
    expect(fake.allContent()).not.toContain('13900001111');
  });
});
