import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsContactData, maskText, maskTextFor } from '../../src/core/kernel/permissions/mask.ts';
import { maskSensitive } from '../../src/core/reading/intelligence/mask-text.ts';
import {
  askInTelegramGroup,
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const PHONE = '13812345678';
const EMAIL = 'wang.fang@example.com';
const ID_CARD = '110101199003071234';
const ORDER = '20261205001';
const AMOUNT = '12000';
const SAID = `我要投诉！我的手机 ${PHONE}，邮箱 ${EMAIL}，身份证 ${ID_CARD}，订单号 ${ORDER} 金额 ${AMOUNT} 元`;
const MASKED = ['138****5678', 'w***@example.com', '110***********1234'];
const NOTE_PHONE = '13987654321';
const NAME_PHONE = '13700001111';
const NAME_PHONE2 = '13600002222';

/** Checks a text a rep was shown: none of the three whole, each masked, the order number and amount as written. */
function expectMaskedForRep(text: string) {
  for (const whole of [PHONE, EMAIL, ID_CARD]) expect(text).not.toContain(whole);
  for (const masked of MASKED) expect(text).toContain(masked);
  expect(text).toContain(`订单号 ${ORDER} 金额 ${AMOUNT} 元`);
}

describe('maskText: contact data inside free text', () => {
  it.each([
    ['a mobile', `电话${PHONE}。`, '电话138****5678。'],
    ['a mobile with dashes', '138-1234-5678', '138****5678'],
    ['a mobile with spaces', '138 1234 5678', '138****5678'],
    ['a mobile with +86', '+86 138 1234 5678', '+86 138****5678'],
    ['a mobile with (+86)', '(+86) 13812345678', '+86 138****5678'],
    ['a mobile with +86 and dashes', '+86-138-1234-5678', '+86 138****5678'],
    ['an international number', 'call +44 20 7946 0958 today', 'call +44 ****0958 today'],
    ['an international number with parentheses', '+1 (415) 555-2671', '+1 ****2671'],
    ['a landline', '座机 010-12345678 转 123', '座机 010****5678 转 123'],
    ['a landline with a 4-digit area code', '(0755) 8765 4321', '075****4321'],
    ['an email', `邮箱${EMAIL}，谢谢`, '邮箱w***@example.com，谢谢'],
    ['an email ending a sentence', 'mail li.lei@example.com.cn.', 'mail l***@example.com.cn.'],
    ['an email whose name is a phone', '13812345678@qq.com', '1***@qq.com'],
    ['an ID card', `身份证 ${ID_CARD}`, '身份证 110***********1234'],
    ['an ID card ending in X', '身份证11010119900307123X', '身份证110***********123X'],
    ['an ID card ending in x', '11010119900307123x。', '110***********123x。'],
    ['an old 15-digit ID card', '110101900307123', '110********7123'],
  ])('masks %s', (_, text, masked) => {
    expect(maskText(text)).toBe(masked);
    expect(holdsContactData(text)).toBe(true);
  });

  it.each([
    ['a date and a time', '2026-12-05 10:30 到店'],
    ['a date without separators', '20261205'],
    ['a Chinese date', '2026年12月5日 14:00'],
    ['prices', '价格 ¥12,000.00，优惠 12000 元，涨价 +12000.50'],
    ['a long order number', `订单号 ${ORDER}`],
    ['an 18-digit order number', '订单 202612050010001234'],
    ['a digit run longer than a mobile', '单号 13812345678901'],
    ['a digit run shorter than a mobile', 'SKU 1381234567'],
    ['short numbers and hotlines', '投诉 12315，热线 400-820-8820，QQ 12345678'],
    ['a range', '预算 5-8 万，共 3 人'],
  ])('keeps %s', (_, text) => {
    expect(maskText(text)).toBe(text);
    expect(holdsContactData(text)).toBe(false);
  });

  it('masks all three in one message and keeps the rest', () => {
    expectMaskedForRep(maskText(SAID));
  });

  it('shows text whole to a viewer who may unmask, telling the caller to audit only when it held something', () => {
    expect(maskTextFor(true, SAID)).toEqual({ text: SAID, unmasked: true });
    expect(maskTextFor(true, `订单号 ${ORDER}`)).toEqual({ text: `订单号 ${ORDER}`, unmasked: false });
    expect(maskTextFor(false, SAID)).toEqual({ text: maskText(SAID), unmasked: false });
  });

  it('leaves nothing of them in what the model is shown', () => {
    const shown = maskSensitive(SAID);
    for (const part of [PHONE, '5678', EMAIL, 'example.com', ID_CARD, '123X'])
      expect(shown).not.toContain(part);
    expect(maskSensitive('身份证 11010119900307123X')).toBe('身份证 [number]');
  });
});

describe.each(serverDialectsUnderTest())('masking inside customer text ($name)', (dialect) => {
  const ADMIN = '5123456789';
  const MANAGER = '5700000001';
  const REP = '5700000002';
  const REP2 = '5700000003';
  const CUSTOMER = '7700000001';
  const GROUP = -1001777666555;
  let h: Harness;
  let fake: FakeOpenAi;
  let chat: ChatDriver;
  let customerId = 0;

  const unmaskedReads = () =>
    h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_staff_id', 'subject_id', 'detail'])
      .where('action', '=', 'customer.unmasked_read')
      .orderBy('id')
      .execute();
  const staffId = async (telegramId: string) =>
    (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', telegramId)
        .executeTakeFirstOrThrow()
    ).staff_id;
  const alertsTo = (userId: string) => chat.sentTo(userId).filter((t) => t.startsWith('⚠️'));
  // What the bot answered after the echo of the command (the first line).
  const after = (reply: string) => reply.split('\n').slice(1).join('\n');

  beforeAll(async () => {
    fake = await new FakeOpenAi().start();
    h = await startHarness(dialect, {
      env: {
        API_TOKEN_STAFF: `telegram:${REP}`,
        OPENAI_API_KEY: 'test',
        OPENAI_BASE_URL: fake.url,
        AUTO_TAG_LLM: 'off',
      },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华东组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 华东组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华东组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP2} rep 华东组`);
    customerId = await telegramCustomer(h, CUSTOMER, '王芳', '你好');
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${REP}`);
    await postTelegramPrivate(h, CUSTOMER, '王芳', SAID);
    await waitFor(() => alertsTo(REP)[0]);
    await chat.ask(REP, `/note #${customerId} 客户的备用电话 ${NOTE_PHONE}`);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('masks the message, the note and the alert for the rep, keeping the order number and amount', async () => {
    const shown = after(await chat.ask(REP, `/show #${customerId}`));
    expectMaskedForRep(shown);
    expect(shown).toContain('139****4321');
    expect(shown).not.toContain(NOTE_PHONE);
    const alerts = alertsTo(REP);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expectMaskedForRep(alert);
    expect(await unmaskedReads()).toEqual([]);
  });

  it('masks the API timeline for a token bound to a rep', async () => {
    const detail = await h.api<{ timeline: Array<{ type: string; text?: string }> }>(
      `/customers/${customerId}`,
    );
    expect(detail.status).toBe(200);
    const said = detail.body.timeline.find((e) => e.type === 'message' && e.text?.includes(ORDER));
    expectMaskedForRep(said?.text ?? '');
    expect(JSON.stringify(detail.body)).not.toContain(PHONE);
    expect(await unmaskedReads()).toEqual([]);
  });

  it('masks the assistant’s answers to the rep: the card it shows and its own words', async () => {
    fake.script({ toolCalls: [{ name: 'show_customer', arguments: { customer: `#${customerId}` } }] });
    expectMaskedForRep(await chat.ask(REP, '看看王芳最近说了什么'));
    fake.script({ text: `王芳的手机是 ${PHONE}，邮箱 ${EMAIL}` });
    const answer = await chat.ask(REP, '王芳的联系方式是什么');
    expect(answer).toBe('王芳的手机是 138****5678，邮箱 w***@example.com');
    expect(await unmaskedReads()).toEqual([]);
  });

  it('shows a manager all of it whole, and audits the read', async () => {
    const shown = await chat.ask(MANAGER, `/show #${customerId}`);
    for (const whole of [PHONE, EMAIL, ID_CARD, NOTE_PHONE]) expect(shown).toContain(whole);
    expect(await unmaskedReads()).toEqual([
      {
        actor_kind: 'staff',
        actor_staff_id: await staffId(MANAGER),
        subject_id: String(customerId),
        detail: JSON.stringify({ command: 'show' }),
      },
    ]);
  });

  it('masks a customer’s name in the group digest', async () => {
    const other = await telegramCustomer(h, '7700000002', `李雷 ${NAME_PHONE}`, '在吗');
    await chat.ask(ADMIN, `/assign #${other} telegram:${REP}`);
    const digest = await askInTelegramGroup(h, MANAGER, GROUP, '/digest now');
    expect(digest).toContain(`#${other} 李雷 137****1111`);
    expect(digest).not.toContain(NAME_PHONE);
  });

  it('masks the notes in a handover brief to a rep', async () => {
    const before = chat.sentTo(REP2).length;
    await chat.ask(MANAGER, `/handover telegram:${REP} telegram:${REP2}`);
    const brief = await waitFor(() =>
      chat
        .sentTo(REP2)
        .slice(before)
        .find((t) => t.startsWith('交接简报')),
    );
    expect(brief).toContain(`#${customerId} 王芳`);
    expect(brief).toContain('139****4321');
    expect(brief).not.toContain(NOTE_PHONE);
  });

  it('masks a phone inside a customer’s name and company for the rep on every list, card and API answer', async () => {
    const named = await telegramCustomer(h, '7700000004', `韩梅梅 ${NAME_PHONE2}`, '在吗');
    await chat.ask(ADMIN, `/assign #${named} telegram:${REP}`);
    await h.db
      .updateTable('customers')
      .set({ company: `梅梅商行 ${NAME_PHONE2}` })
      .where('id', '=', named)
      .execute();
    for (const asked of ['/find 韩梅梅', `/show #${named}`, '/mine', `/remind #${named} 明天10点 回电`]) {
      const answer = await chat.ask(REP, asked);
      expect(answer, asked).toContain('韩梅梅 136****2222');
      expect(answer, asked).not.toContain(NAME_PHONE2);
    }
    for (const path of [`/customers?q=${encodeURIComponent('韩梅梅')}`, `/customers/${named}`]) {
      const res = await h.api(path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body), path).toContain('136****2222');
      expect(JSON.stringify(res.body), path).not.toContain(NAME_PHONE2);
    }
    // The reminder reaches the rep with the name masked as well.
    h.clock.advance(2 * 86_400_000);
    const reminder = await waitFor(() =>
      chat.sentTo(REP).find((t) => t.startsWith('⏰') && t.includes('韩梅梅')),
    );
    expect(reminder).not.toContain(NAME_PHONE2);
    expect(await chat.ask(MANAGER, `/show #${named}`)).toContain(NAME_PHONE2);
  });

  it('quotes the customer whole in a manager’s alert, audited', async () => {
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${MANAGER}`);
    const audited = (await unmaskedReads()).length;
    h.clock.advance(30 * 60_000); // a new burst, so a new alert
    await postTelegramPrivate(h, CUSTOMER, '王芳', SAID);
    const alert = await waitFor(() => alertsTo(MANAGER).find((t) => t.startsWith('⚠️ 客户投诉')));
    for (const whole of [PHONE, EMAIL, ID_CARD]) expect(alert).toContain(whole);
    const complaint = {
      actor_kind: 'system',
      actor_staff_id: await staffId(MANAGER),
      subject_id: String(customerId),
      detail: JSON.stringify({ alert: 'complaint' }),
    };
    const reads = await waitFor(async () => {
      const rows = (await unmaskedReads()).slice(audited);
      return rows.some((r) => r.detail === complaint.detail) ? rows : undefined;
    });
    expect(reads).toContainEqual(complaint);
  });

  it('shows the API timeline whole once the token’s staff member may unmask, audited', async () => {
    await chat.ask(ADMIN, `/staff add telegram:${REP} manager 华东组`);
    const audited = (await unmaskedReads()).length;
    const detail = await h.api<{ timeline: Array<{ type: string; text?: string }> }>(
      `/customers/${customerId}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.timeline.some((e) => e.text === SAID)).toBe(true);
    const reads = await unmaskedReads();
    expect(reads).toHaveLength(audited + 1);
    expect(reads.at(-1)).toMatchObject({
      actor_kind: 'api',
      actor_staff_id: await staffId(REP),
      subject_id: String(customerId),
    });
  });
});
