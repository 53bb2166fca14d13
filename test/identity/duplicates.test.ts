// Identity signals and duplicate suggestions, end to end. The automatic link of a WeCom contact and a 微信客服 user
// with the same unionid is covered in test/wecom/messaging.test.ts ("links a 微信客服 user to the contact…").
import { afterEach, describe, expect, it } from 'vitest';
import { defaultStages } from '../../src/core/kernel/runtime.ts';
import {
  markSuggestionsNotified,
  suggestionNotices,
} from '../../src/core/records/customers/duplicate-notices.ts';
import { duplicatesOf, refreshSuggestionsFor } from '../../src/core/records/customers/duplicates.ts';
import { mapColumns } from '../../src/core/records/imports/columns.ts';
import { importCustomers } from '../../src/core/records/imports/import-customers.ts';
import { enqueue } from '../../src/queue/outbox.ts';
import {
  askInTelegramGroup,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { wecomRequest } from '../helpers/wecom-callbacks.ts';

const ADMIN = '5123456789';
const REP = '6500000001';
const OTHER_REP = '6500000002';
const UNIONID = 'oj5zbW9sygGNyAZwADfcL91kJcxk'; // the fixture contact's (api-externalcontact-get.json)
const settle = () => new Promise((r) => setTimeout(r, 400));

describe.each(serverDialectsUnderTest())('duplicate suggestions on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const staffId = async (externalId: string) =>
    (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', externalId)
        .executeTakeFirstOrThrow()
    ).staff_id;

  let lastSuggested = 0;
  /** Imports one spreadsheet the way `liaison import` does; returns the new customer's id. */
  const importOne = async (row: Record<string, string>, ownerId: number | null = null) => {
    const headers = Object.keys(row);
    const result = await importCustomers(
      h.db,
      headers,
      [{ row: 2, cells: Object.values(row) }],
      mapColumns(headers, new Map()),
      {
        stages: defaultStages,
        defaultOwnerId: ownerId,
        dryRun: false,
        skipInvalid: false,
        source: 'import:customers.csv',
        format: 'csv',
        unionIdsOn: { platform: 'wecom', workspace: WECOM_ENV.WECOM_CORP_ID },
        now: h.clock.now(),
      },
    );
    expect(result.written).toBe(true);
    lastSuggested = result.suggested;
    const created = await h.db
      .selectFrom('customers')
      .select('id')
      .where('source', '=', 'import:customers.csv')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return created.id;
  };
  const suggestions = () =>
    h.db
      .selectFrom('merge_suggestions')
      .select(['customer_a_id', 'customer_b_id', 'score', 'evidence', 'status'])
      .orderBy('id')
      .execute();
  const customers = () =>
    h.db.selectFrom('customers').select(['id', 'display_name', 'merged_into_id']).orderBy('id').execute();
  const addContact = async () => {
    const add = wecomRequest('post-event-add-external-contact.json');
    await fetch(`${h.url}/webhooks/wecom?${add.rawQuery}`, { method: 'POST', body: add.body });
    return waitFor(() =>
      h.db
        .selectFrom('customer_events')
        .select('customer_id')
        .where('kind', '=', 'contact_added')
        .executeTakeFirst(),
    );
  };
  const shareContact = (userId: string, name: string, phone: string) =>
    h.postUpdate({
      update_id: Number(userId.slice(-6)) * 10 + Math.floor(Math.random() * 9),
      message: {
        message_id: Math.floor(Math.random() * 1e6),
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(userId), type: 'private', first_name: name },
        from: { id: Number(userId), first_name: name, language_code: 'zh-hans' },
        contact: { phone_number: phone, first_name: name, user_id: Number(userId) },
      },
    });

  it('puts a later WeCom contact on the imported record that carried its unionid, with no suggestion', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    const imported = await importOne({
      name: '王芳',
      company: '杭州云栖贸易有限公司',
      phone: '13900001234',
      unionid: UNIONID,
    });
    const event = await addContact();
    expect(event.customer_id).toBe(imported);
    expect(await customers()).toEqual([{ id: imported, display_name: '王芳', merged_into_id: null }]);
    const identities = await h.db
      .selectFrom('identities')
      .select(['customer_id', 'external_id'])
      .orderBy('id')
      .execute();
    expect(identities).toEqual([
      { customer_id: imported, external_id: `unionid:${UNIONID}` },
      { customer_id: imported, external_id: 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA' },
    ]);
    await settle();
    expect(await suggestions()).toEqual([]);
  });

  it('only suggests, never merges, a WeCom contact whose remark mobile is an imported customer’s phone and name; the owner is told once', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    const imported = await importOne({
      name: '王芳',
      company: '杭州云栖贸易有限公司',
      phone: '+86 139 0000 1234',
    });
    const event = await addContact();
    expect(event.customer_id).not.toBe(imported);
    const rows = await waitFor(async () => {
      const s = await suggestions();
      return s.length > 0 ? s : undefined;
    });
    expect(rows).toEqual([
      {
        customer_a_id: imported,
        customer_b_id: event.customer_id,
        score: 93,
        evidence: JSON.stringify([
          { signal: 'phone', detail: '13900001234' },
          { signal: 'name_company', detail: '王芳 · 杭州云栖贸易有限公司' },
        ]),
        status: 'open',
      },
    ]);
    expect((await customers()).map((c) => c.merged_into_id)).toEqual([null, null]);

    // The timed step tells the owner (the imported record has none: the contact's, zhangsan) once.
    const core = h.server.liaison.core;
    const step = async () => {
      const notices = await suggestionNotices(core);
      await enqueue(h.db, notices.sends, h.clock.now());
      h.server.liaison.outbox.kick();
      await markSuggestionsNotified(core, notices.suggestionIds);
      return notices.sends.length;
    };
    await step();
    const told = () =>
      h.wecom
        .callsTo('/cgi-bin/message/send')
        .filter((c) => (c.body as { touser?: string }).touser === 'zhangsan')
        .map((c) => (c.body as { text?: { content: string } }).text?.content ?? '')
        .filter((t) => t.includes('可能是同一位客户'));
    const [notice] = await waitFor(() => (told().length > 0 ? told() : undefined));
    expect(notice).toContain(`#${imported} 王芳 与 #${event.customer_id} 王芳`);
    expect(notice).toContain('93分，手机号相同、姓名和公司相同');
    expect(await step()).toBe(0);
    const [row] = await h.db.selectFrom('merge_suggestions').select('notified_at').execute();
    expect(row?.notified_at).not.toBeNull();
    await settle();
    expect(told()).toHaveLength(1);
  });

  it('suggests a Telegram customer who shares an imported customer’s phone, tells the owner once, and a dismissed pair stays dismissed', async () => {
    h = await startHarness(dialect);
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/help'); // the admin exists as staff
    const owner = await staffId(ADMIN);
    const imported = await importOne({ name: '李雷', company: '云栖贸易', phone: '13812345678' }, owner);
    const other = await telegramCustomer(h, '6400000001', '小李');
    await shareContact('6400000001', '小李', '+8613812345678');
    const [first] = await waitFor(async () => {
      const s = await suggestions();
      return s.length > 0 ? s : undefined;
    });
    expect(first).toMatchObject({ customer_a_id: imported, customer_b_id: other, score: 80, status: 'open' });
    const notices = () => chat.sentTo(ADMIN).filter((t) => t.includes('可能是同一位客户'));
    const [notice] = await waitFor(() => (notices().length > 0 ? notices() : undefined));
    expect(notice).toContain(`#${imported} 李雷 与 #${other} 小李`);
    expect(notice).toContain('手机号相同');

    // The same customer writes the number too: more evidence, a higher score, and still one notice.
    await postTelegramPrivate(h, '6400000001', '小李', '我的手机是 138 1234 5678，麻烦回电');
    const raised = await waitFor(async () => {
      const [s] = await suggestions();
      return s && s.score > 80 ? s : undefined;
    });
    expect(raised.score).toBe(95);
    expect(JSON.parse(raised.evidence)).toEqual([
      { signal: 'phone', detail: '13812345678' },
      { signal: 'stated_phone', detail: '13812345678' },
    ]);
    await settle();
    expect(notices()).toHaveLength(1);
    expect((await customers()).map((c) => c.merged_into_id)).toEqual([null, null]);

    const listed = await chat.ask(ADMIN, '/dupes');
    expect(listed).toContain(`#${imported} 李雷 ↔ #${other} 小李 · 95 · 手机号相同 138****5678`);
    expect(listed).not.toContain('13812345678');
    expect(await chat.ask(ADMIN, `/dupes #${other}`)).toContain(`#${imported} 李雷 · 95`);
    expect(await chat.ask(ADMIN, `/dupes 忽略 #${other} #${imported}`)).toContain('已忽略');

    // The same signal again does not bring it back.
    await shareContact('6400000001', '小李', '+8613812345678');
    await postTelegramPrivate(h, '6400000001', '小李', '电话 13812345678');
    await settle();
    expect((await suggestions()).map((s) => s.status)).toEqual(['dismissed']);
    expect(await chat.ask(ADMIN, '/dupes')).toBe('没有待处理的重复客户建议。');
    expect(await chat.ask(ADMIN, `/dupes dismiss #${other} #${imported}`)).toContain('没有待处理的重复建议');
  });

  /** Two pairs of customers linked by a phone stated in a message: one in the pool, one with another rep's customer. */
  const twoPairs = async () => {
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    const pooled = await telegramCustomer(h, '6600000001', '周杰');
    const theirs = await telegramCustomer(h, '6600000002', '吴敏');
    await chat.ask(ADMIN, `/assign #${theirs} telegram:${OTHER_REP}`);
    await h.db.updateTable('customers').set({ phone: '13700000001' }).where('id', '=', pooled).execute();
    await h.db.updateTable('customers').set({ phone: '+8613700000002' }).where('id', '=', theirs).execute();
    const writer1 = await telegramCustomer(h, '6600000003', '周先生', '我电话13700000001');
    const writer2 = await telegramCustomer(h, '6600000004', '吴女士', '联系我 137-0000-0002');
    await waitFor(async () => ((await suggestions()).length === 2 ? true : undefined));
    return { chat, pooled, theirs, writer1, writer2 };
  };

  it('shows a rep only pairs of customers they can see, and the API and the digest agree', async () => {
    h = await startHarness(dialect);
    const { chat, pooled, theirs, writer1, writer2 } = await twoPairs();
    // Both in the unowned pool: the rep finds the pair by either customer, but their own list is their book's.
    expect(await chat.ask(REP, '/dupes')).toBe(
      '你名下的客户没有待处理的重复建议（公海客户的：/dupes <客户>）。',
    );
    expect(await chat.ask(REP, `/dupes #${pooled}`)).toContain(
      `#${writer1} 周先生 · 60 · 客户在消息中留了同一手机号 137****0001`,
    );
    await chat.ask(ADMIN, `/assign #${writer1} telegram:${REP}`);
    const asRep = await chat.ask(REP, '/dupes');
    expect(asRep).toContain('你名下客户可能的重复');
    expect(asRep).toContain(
      `#${pooled} 周杰 ↔ #${writer1} 周先生 · 60 · 客户在消息中留了同一手机号 137****0001`,
    );
    expect(asRep).not.toContain('吴');
    expect(await chat.ask(REP, `/dupes #${writer2}`)).toBe(`#${writer2} 吴女士 没有待处理的重复建议。`);
    const asAdmin = await chat.ask(ADMIN, '/dupes');
    expect(asAdmin).toContain(`#${theirs} 吴敏 ↔ #${writer2} 吴女士 · 60`);
    expect(asAdmin).toContain(`#${pooled} 周杰 ↔ #${writer1} 周先生 · 60`);

    const api = await h.api(`/customers/${writer2}/duplicates`);
    expect(api).toEqual({
      status: 200,
      body: {
        items: [
          {
            customer: { id: theirs, name: '吴敏', company: null },
            score: 60,
            evidence: [{ signal: 'stated_phone', detail: '137****0002' }],
          },
        ],
      },
    });
    expect((await h.api(`/customers/${pooled}/duplicates`)).body).toMatchObject({
      items: [{ customer: { id: writer1 }, score: 60 }],
    });
    expect(await h.api('/customers/987654/duplicates')).toEqual({
      status: 404,
      body: { error: 'no such customer' },
    });

    const digest = await askInTelegramGroup(h, ADMIN, -1001900000001, '/digest now');
    expect(digest).toContain('待处理的重复客户建议: 2 (/dupes)');
  });

  it('answers a rep-bound API token within the rep’s scope: a customer outside it does not exist', async () => {
    h = await startHarness(dialect, { env: { API_TOKEN_STAFF: `telegram:${REP}` } });
    const { pooled, theirs, writer1, writer2 } = await twoPairs();
    expect(await h.api(`/customers/${pooled}/duplicates`)).toEqual({
      status: 200,
      body: {
        items: [
          {
            customer: { id: writer1, name: '周先生', company: null },
            score: 60,
            evidence: [{ signal: 'stated_phone', detail: '137****0001' }],
          },
        ],
      },
    });
    expect(await h.api(`/customers/${writer2}/duplicates`)).toEqual({ status: 200, body: { items: [] } });
    const unknown = await h.api('/customers/987654/duplicates');
    expect(unknown).toEqual({ status: 404, body: { error: 'no such customer' } });
    expect(await h.api(`/customers/${theirs}/duplicates`)).toEqual(unknown);
  });

  it('matches emails whatever their case, suggests on import, and refreshing again changes nothing', async () => {
    h = await startHarness(dialect);
    const first = await importOne({ name: '韩梅梅', email: 'Han.MeiMei@Example.com' });
    expect(lastSuggested).toBe(0);
    const second = await importOne({ name: 'Meimei Han', email: 'han.meimei@example.com' });
    // The import matched neither phone, unionid nor name + company, so it created a record and suggested the pair.
    expect(lastSuggested).toBe(1);
    expect((await suggestions()).map((s) => s.status)).toEqual(['open']);
    const core = h.server.liaison.core;
    expect(await refreshSuggestionsFor(core, second, h.clock.now())).toBe(1);
    expect(await refreshSuggestionsFor(core, second, h.clock.now() + 1)).toBe(1);
    expect(await suggestions()).toEqual([
      {
        customer_a_id: first,
        customer_b_id: second,
        score: 70,
        evidence: JSON.stringify([{ signal: 'email', detail: 'han.meimei@example.com' }]),
        status: 'open',
      },
    ]);
    expect(await duplicatesOf(core, first, null, 10)).toEqual([
      {
        customerId: second,
        name: 'Meimei Han',
        company: null,
        score: 70,
        evidence: [{ signal: 'email', detail: 'han.meimei@example.com' }],
      },
    ]);
  });

  it('drops evidence a correction removed, and the suggestion once none is left', async () => {
    h = await startHarness(dialect);
    const create = async (body: object) =>
      (
        await h.api<{ id: number }>('/customers', undefined, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).body.id;
    const edit = (id: number, body: object) =>
      h.api(`/customers/${id}`, undefined, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await create({ name: '李雷', company: '星河科技', email: 'lilei@xinghe.cn' });
    const second = await create({ name: '李雷', company: '星河科技', email: 'LiLei@xinghe.cn' });
    const dupes = async () =>
      (
        await h.api<{ items: Array<{ score: number; evidence: Array<{ signal: string }> }> }>(
          `/customers/${first}/duplicates`,
        )
      ).body.items.map((d) => [d.score, d.evidence.map((e) => e.signal)]);
    expect(await dupes()).toEqual([[83, ['email', 'name_company']]]);
    // The email was a typo on the second record: only the name and company still point at the first.
    expect((await edit(second, { email: 'lei.li@other.cn' })).status).toBe(200);
    expect(await dupes()).toEqual([[50, ['name_company']]]);
    // Another company: nothing left to suggest.
    expect((await edit(second, { company: '云帆物流' })).status).toBe(200);
    expect(await dupes()).toEqual([]);
    expect(await suggestions()).toEqual([]);
  });
});
