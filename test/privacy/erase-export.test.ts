import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED_TABLES } from '../../src/core/records/privacy/erase-steps.ts';
import { type ChatDriver, postTelegramPrivate, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { failDeletes, tablesWithCustomerId, textsLeft } from './scan-database.ts';

const ADMIN = '5123456789';
const OFFICER = '5600000001'; // the staff member the API token is bound to
const CUSTOMER = '8765432109';
const NAME = '欧阳娜娜';
const PHONE = '13987654321';
const EMAIL = 'ouyang.nana@example.org';
const TEXT = '紫罗兰净水器订三百台';
const OLD_ACCOUNT = '8765432110'; // her old account, merged into her record
const OLD_TEXT = '旧号留言请寄样品到梧桐路';
const BYSTANDER = '8765400001';
const REFERRED = '8765400002'; // a friend she referred

/** The first update the customer sent, kept to be redelivered after the erasure. */
const firstUpdate = (date: number) => ({
  update_id: 990_000_001,
  message: {
    message_id: 1,
    date,
    chat: { id: Number(CUSTOMER), type: 'private', first_name: NAME },
    from: { id: Number(CUSTOMER), is_bot: false, first_name: NAME, language_code: 'zh-hans' },
    text: TEXT,
  },
});

describe.each(serverDialectsUnderTest())('customer export and erasure on $name', (dialect) => {
  let h: Harness;
  let fake: FakeOpenAi;
  let chat: ChatDriver;
  let id = 0;
  let oldId = 0;
  let update: ReturnType<typeof firstUpdate>;

  const customerOf = async (userId: string) =>
    (
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('external_id', '=', userId)
          .executeTakeFirst(),
      )
    ).customer_id;
  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').select('id').where('status', '=', 'pending').execute()).length === 0,
    );

  beforeAll(async () => {
    fake = await new FakeOpenAi().start();
    h = await startHarness(dialect, {
      env: {
        OPENAI_API_KEY: 'test',
        OPENAI_BASE_URL: fake.url,
        CUSTOMER_AUTO_REPLY: '您好，我们已收到您的消息',
        API_TOKEN_STAFF: `telegram:${OFFICER}`,
      },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${OFFICER} rep`);
    update = firstUpdate(Math.floor(h.clock.now() / 1000));
    await h.postUpdate(update);
    id = await customerOf(CUSTOMER);
    await h.postUpdate({
      update_id: 990_000_002,
      message: {
        message_id: 2,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: NAME },
        from: { id: Number(CUSTOMER), first_name: NAME, language_code: 'zh-hans' },
        contact: { phone_number: `+86${PHONE}`, first_name: NAME, user_id: Number(CUSTOMER) },
      },
    });
    await waitFor(() =>
      h.db.selectFrom('customers').select('id').where('phone', 'is not', null).executeTakeFirst(),
    );
    // No platform reports emails: set one as an import would.
    await h.db.updateTable('customers').set({ email: EMAIL }).where('id', '=', id).execute();
    await postTelegramPrivate(h, OLD_ACCOUNT, '娜娜小号', OLD_TEXT);
    oldId = await customerOf(OLD_ACCOUNT);
    await h.db.updateTable('customers').set({ merged_into_id: id }).where('id', '=', oldId).execute();
    await postTelegramPrivate(h, BYSTANDER, '路人甲', '随便问问');
    await customerOf(BYSTANDER);

    /** Background work (sends, timed work, the model) on a machine shared with other work: generous waits. */
    const eventually: typeof waitFor = (probe, timeoutMs = 10_000) => waitFor(probe, timeoutMs);

    // She refers a friend through her referral link (老客户推荐).
    const referral = await chat.ask(ADMIN, `/channel referral #${id}`);
    const code = /\?start=([A-Za-z0-9_-]+)/.exec(referral)?.[1];
    expect(code).toBeDefined();
    await postTelegramPrivate(h, REFERRED, '朋友乙', `/start ${code}`);
    await waitFor(() =>
      h.db
        .selectFrom('customer_sources')
        .select('id')
        .where('referrer_customer_id', '=', id)
        .executeTakeFirst(),
    );
    await chat.ask(ADMIN, `/note ${NAME} 回访约在周三`);
    await chat.ask(ADMIN, `/tag #${id} VIP客户`);
    await chat.ask(ADMIN, `/deal #${id} 5万 proposal 净水器三百台`);
    await chat.ask(ADMIN, `/remind #${id} 明天10点 回电给${NAME}`);
    await chat.ask(ADMIN, `/stage #${id} 成交`);
    // A plan the assistant holds for confirmation.
    fake.script({ toolCalls: [{ name: 'add_note', arguments: { customer: NAME, text: '想要报价' } }] });
    expect(await chat.ask(ADMIN, `给${NAME}记一笔想要报价`)).toContain(`/note #${id}`);
    // The model reads her conversation: tags, a summary naming her, a cached answer.
    fake.respond = (req) => {
      const hers = req.messages.some((m) => m.content.includes(TEXT));
      return {
        text: JSON.stringify({
          tags: hers ? ['合同'] : [],
          intent: hers ? 'quote' : 'chitchat',
          sentiment: 'positive',
          stage: null,
          summary: hers ? `${NAME}想订购净水器` : '闲聊',
        }),
      };
    };
    h.clock.advance(61_000);
    await eventually(async () => {
      const b = await h.db
        .selectFrom('conversation_bursts')
        .select('llm_status')
        .where('customer_id', '=', id)
        .executeTakeFirst();
      return b?.llm_status === 'done';
    }, 8_000);
    await eventually(() => h.db.selectFrom('llm_cache').select('cache_key').executeTakeFirst());
    await settled();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('refuses exports and erasures to a token below director, then answers a director, 404 for unknown', async () => {
    expect((await h.api(`/customers/${id}/export`)).status).toBe(403);
    expect((await h.api(`/customers/${id}`, undefined, { method: 'DELETE' })).status).toBe(403);
    await chat.ask(ADMIN, `/staff add telegram:${OFFICER} director`);
    expect((await h.api('/customers/424242/export')).status).toBe(404);
    expect((await h.api('/customers/424242', undefined, { method: 'DELETE' })).status).toBe(404);
    expect((await h.api('/customers/abc/export')).status).toBe(400);
  });

  it('exports every kind of record held about her, merged records included, and audits it', async () => {
    const { status, body } = await h.api<Record<string, Array<Record<string, unknown>>>>(
      `/customers/${id}/export`,
    );
    expect(status).toBe(200);
    const text = JSON.stringify(body);
    for (const expected of [NAME, PHONE, EMAIL, TEXT, OLD_TEXT, CUSTOMER, OLD_ACCOUNT])
      expect(text).toContain(expected);
    expect(body.customers?.map((c) => c.id)).toEqual([id, oldId]);
    expect(body.identities?.map((i) => i.externalId).sort()).toEqual([CUSTOMER, OLD_ACCOUNT]);
    expect(body.messages?.map((m) => m.text)).toEqual(expect.arrayContaining([TEXT, OLD_TEXT]));
    expect(body.tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'VIP客户', source: 'manual' }),
        // Her order is purchase intent by the rules; the model adds what the rules did not see.
        expect.objectContaining({ name: '购买意向', source: 'rule' }),
        expect.objectContaining({ name: '合同', source: 'llm' }),
      ]),
    );
    expect(body.notes?.map((n) => n.body)).toEqual(['回访约在周三']);
    expect(body.deals?.[0]).toMatchObject({ title: '净水器三百台', amountMinor: 5_000_000 });
    expect(body.reminders?.[0]?.text).toBe(`回电给${NAME}`);
    // Her order moved her to 意向 by the rules, then the admin to 成交: both are in her history.
    expect(body.stageHistory).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'stage_suggested', detail: { from: 'lead', to: 'interested' } }),
        expect.objectContaining({ kind: 'stage_changed', detail: { from: 'interested', to: 'won' } }),
      ]),
    );
    expect(body.conversations?.some((c) => c.summary === `${NAME}想订购净水器`)).toBe(true);
    expect(body.auditLog?.map((a) => a.action)).toEqual(
      expect.arrayContaining(['customer.created', 'customer.tag_added']),
    );
    expect(body.pendingRequests).toHaveLength(1);
    expect(JSON.stringify(body.inbox)).toContain(TEXT);
    expect(body.outbox?.some((o) => JSON.stringify(o.content).includes('我们已收到'))).toBe(true);
    expect(body.chats?.length).toBe(2);
    expect(body.customers?.[0]?.firstContactAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'subject_id', 'detail'])
      .where('action', '=', 'customer.exported')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_kind: 'api', subject_id: String(id) });
    expect(audit.detail).not.toContain(NAME);
  });

  it('erases her and every trace, even when the first attempt dies half-way; an old update does not bring her back', async () => {
    const needles = [NAME, PHONE, EMAIL, TEXT, OLD_TEXT, CUSTOMER, OLD_ACCOUNT, '娜娜小号'];
    expect((await textsLeft(h.db, h.database.dialect, needles)).length).toBeGreaterThan(10);
    const heal = await failDeletes(h.db, h.database.dialect, 'identities');
    expect((await h.api(`/customers/${id}`, undefined, { method: 'DELETE' })).status).toBe(500);
    await heal();
    const { status, body } = await h.api<{ customers: number[]; erased: Record<string, number> }>(
      `/customers/${id}`,
      undefined,
      { method: 'DELETE' },
    );
    expect(status).toBe(200);
    expect(body.customers).toEqual([oldId, id]);
    // The interrupted run had already removed her chats and messages: this one finishes with what was left.
    expect(body.erased).toEqual({ identities: 2, customers: 2 });

    expect(await textsLeft(h.db, h.database.dialect, needles)).toEqual([]);
    expect(JSON.stringify(h.logs)).not.toContain(NAME);
    const erasures = await h.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'customer.erased')
      .execute();
    expect(erasures.length).toBeGreaterThan(0);
    expect((await h.api(`/customers/${id}`)).status).toBe(404);
    // The bystander is untouched.
    const bystander = await h.db
      .selectFrom('identities')
      .select('customer_id')
      .where('external_id', '=', BYSTANDER)
      .executeTakeFirstOrThrow();
    const theirs = await h.db
      .selectFrom('messages')
      .select('text')
      .where('customer_id', '=', bystander.customer_id)
      .execute();
    expect(theirs.map((m) => m.text)).toContain('随便问问');

    const customersBefore = (await h.db.selectFrom('customers').select('id').execute()).length;
    expect((await h.postUpdate(update)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await settled();
    expect(
      await h.db.selectFrom('identities').select('id').where('external_id', '=', CUSTOMER).execute(),
    ).toEqual([]);
    expect((await h.db.selectFrom('customers').select('id').execute()).length).toBe(customersBefore);
    expect(await textsLeft(h.db, h.database.dialect, needles)).toEqual([]);
    // The friend she referred stays, without a pointer to her; her referral link no longer works.
    expect(
      await h.db
        .selectFrom('customer_sources')
        .select('id')
        .where('referrer_customer_id', 'is not', null)
        .execute(),
    ).toEqual([]);
    expect(
      await h.db.selectFrom('channel_codes').select(['active', 'referrer_customer_id']).execute(),
    ).toEqual([{ active: 0, referrer_customer_id: null }]);
    expect((await h.api(`/customers/${id}`, undefined, { method: 'DELETE' })).status).toBe(404);
  });

  it('knows every table that points at a customer', async () => {
    const linked = await tablesWithCustomerId(h.db, h.database.dialect);
    expect(linked.filter((t) => !ERASED_TABLES.includes(t as never))).toEqual([]);
  });
});
