import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askInTelegramGroup,
  type ChatDriver,
  postTelegramPrivate,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const ADMIN = '5123456789';
const MANAGER = '5500000001';
const REP = '5500000002';
const OTHER_REP = '5500000003';
const PHONE = '13812345678';
const EMAIL = 'chen.xiaoyu@example.com';

/** Phones and emails are masked for reps on every surface; every unmasked read is audited; logs carry neither. */
describe('masking', () => {
  let h: Harness;
  let chat: ChatDriver;
  let customerId = 0;
  let hiddenId = 0;

  beforeAll(async () => {
    h = await startHarness(sqlite!, { env: { API_TOKEN_STAFF: `telegram:${REP}` } });
    chat = telegramDriver(h);
    // Until the token's staff member exists, the API refuses (fail closed).
    expect((await h.api('/customers')).status).toBe(403);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    await postTelegramPrivate(h, '6234567890', '陈小雨', '你好');
    await h.postUpdate({
      update_id: 881999001,
      message: {
        message_id: 5,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: 6234567890, type: 'private', first_name: '陈小雨' },
        from: { id: 6234567890, first_name: '陈小雨', language_code: 'zh-hans' },
        contact: { phone_number: `+86${PHONE}`, first_name: '陈小雨', user_id: 6234567890 },
      },
    });
    const row = await waitFor(() =>
      h.db.selectFrom('customers').select(['id', 'phone']).where('phone', 'is not', null).executeTakeFirst(),
    );
    customerId = row.id;
    // No platform reports emails yet (imports will): set one as an import would.
    await h.db.updateTable('customers').set({ email: EMAIL }).where('id', '=', customerId).execute();
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${REP}`);
    await postTelegramPrivate(h, '6234567999', '周杰', '在吗');
    hiddenId = (
      await waitFor(() =>
        h.db.selectFrom('customers').select('id').where('display_name', '=', '周杰').executeTakeFirst(),
      )
    ).id;
    await chat.ask(ADMIN, `/assign #${hiddenId} telegram:${OTHER_REP}`);
  });
  afterAll(async () => {
    await h.close();
  });

  const unmaskedReads = () =>
    h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'via', 'subject_id'])
      .where('action', '=', 'customer.unmasked_read')
      .execute();

  it('masks phone and email in a rep’s /find and /show, and shows a manager both whole, audited', async () => {
    for (const command of ['/find 陈小雨', '/show 陈小雨', `/find ${PHONE}`]) {
      // The first line echoes what the rep typed; the customer's data follows.
      const reply = (await chat.ask(REP, command)).split('\n').slice(1).join('\n');
      expect(reply).toContain('+86 138****5678');
      expect(reply).toContain('c***@example.com');
      expect(reply).not.toContain(PHONE);
      expect(reply).not.toContain(EMAIL);
    }
    expect(await unmaskedReads()).toEqual([]);
    const managerView = await chat.ask(MANAGER, '/show 陈小雨');
    expect(managerView).toContain(`+86${PHONE}`);
    expect(managerView).toContain(EMAIL);
    expect(await unmaskedReads()).toEqual([
      { actor_kind: 'staff', via: 'telegram', subject_id: String(customerId) },
    ]);
  });

  it('gives an API token its staff member’s role: masked, and only their customers', async () => {
    const list = await h.api<{ items: Array<{ id: number; phone: string; email: string }> }>('/customers');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.id)).toEqual([customerId]);
    expect(list.body.items[0]).toMatchObject({ phone: '+86 138****5678', email: 'c***@example.com' });
    const detail = await h.api<{ phone: string }>(`/customers/${customerId}`);
    expect(detail.body.phone).toBe('+86 138****5678');
    expect((await h.api(`/customers/${hiddenId}`)).status).toBe(404);
    expect(
      (await h.api(`/customers/${hiddenId}/tags`, undefined, { method: 'POST', body: '{"name":"x"}' }))
        .status,
    ).toBe(404);
    expect((await h.api('/inbox')).status).toBe(403);
    expect(JSON.stringify(list.body)).not.toContain(PHONE);
  });

  it('keeps phones out of the group digest and the logs', async () => {
    const digest = await askInTelegramGroup(h, MANAGER, -1001222333444, '/digest now');
    expect(digest).toContain('客户日报');
    expect(digest).toContain(`#${customerId} 陈小雨`);
    expect(digest).not.toContain('5678');
    const logs = JSON.stringify(h.logs);
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain(EMAIL);
    expect(logs).not.toContain('陈小雨');
  });
});
