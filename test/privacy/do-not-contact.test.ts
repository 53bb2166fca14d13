import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

/** Background work (sends, timed work, the model) on a machine shared with other work: generous waits. */
const eventually: typeof waitFor = (probe, timeoutMs = 10_000) => waitFor(probe, timeoutMs);

const ADMIN = '5123456789';
const REP = '5611000001';
const OTHER_REP = '5611000002';
const QUIET = '8811000001'; // asks not to be contacted
const OPEN = '8811000002';
const ELSEWHERE = '8811000003'; // another rep's customer
const GROUP = -1001555666777;
const ACK = '您好，已收到，我们会尽快回复';
const HOUR = 3_600_000;

let nextUpdate = 991_000_000;

/** An admin asks for the digest in the group; resolves with it (charts make it slow on a loaded machine). */
async function digestNow(h: Harness): Promise<string> {
  const inGroup = () => h.telegram.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === GROUP);
  const before = inGroup().length;
  const id = nextUpdate++;
  const command = '/digest@LiaisonCrmBot';
  await h.postUpdate({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(h.clock.now() / 1000),
      chat: { id: GROUP, title: '销售群', type: 'supergroup' },
      from: { id: Number(ADMIN), is_bot: false, first_name: '管理员', language_code: 'zh-hans' },
      text: `${command} now`,
      entities: [{ offset: 0, length: command.length, type: 'bot_command' }],
    },
  });
  return String((await eventually(() => inGroup()[before], 20_000)).body.text);
}

/** The `#id name` lines of one digest section. */
function section(digest: string, heading: string): string[] {
  const lines = digest.split('\n');
  const start = lines.findIndex((l) => l.includes(heading));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  return rest.slice(0, end < 0 ? undefined : end).map((l) => l.trim());
}

describe.each(serverDialectsUnderTest())('do-not-contact on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  let quiet = 0;
  let open = 0;
  let elsewhere = 0;
  const sentTo = (userId: string) =>
    h.telegram.callsTo('sendMessage').filter((c) => String(c.body.chat_id) === userId);
  const audits = (action: string) =>
    h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_staff_id', 'subject_id', 'via', 'detail'])
      .where('action', '=', action)
      .execute();

  beforeAll(async () => {
    h = await startHarness(dialect, { env: { CUSTOMER_AUTO_REPLY: ACK } });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    quiet = await telegramCustomer(h, QUIET, '沈静', '多少钱？想买两台');
    open = await telegramCustomer(h, OPEN, '高远', '多少钱？想买三台');
    elsewhere = await telegramCustomer(h, ELSEWHERE, '韩梅', '你好');
    await eventually(() => sentTo(QUIET).length === 1 && sentTo(OPEN).length === 1);
    await chat.ask(ADMIN, `/assign #${quiet} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${open} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${elsewhere} telegram:${OTHER_REP}`);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sets and clears the flag through the API, audited, with clear answers to bad requests', async () => {
    const put = (id: number | string, body: unknown) =>
      h.api<{ id: number; doNotContact: boolean; changed: boolean }>(
        `/customers/${id}/do-not-contact`,
        undefined,
        {
          method: 'PUT',
          body: JSON.stringify(body),
        },
      );
    expect(await put(quiet, { doNotContact: true })).toEqual({
      status: 200,
      body: { id: quiet, doNotContact: true, changed: true },
    });
    expect((await put(quiet, { doNotContact: true })).body.changed).toBe(false);
    expect((await put(quiet, { doNotContact: 'yes' })).status).toBe(400);
    expect((await put(quiet, {})).status).toBe(400);
    expect((await put(424242, { doNotContact: true })).status).toBe(404);
    expect((await put('abc', { doNotContact: true })).status).toBe(400);
    expect(await audits('customer.do_not_contact_set')).toEqual([
      { actor_kind: 'api', actor_staff_id: null, subject_id: String(quiet), via: 'api', detail: null },
    ]);
    const detail = await h.api<{ doNotContact: boolean }>(`/customers/${quiet}`);
    expect(detail.body.doNotContact).toBe(true);
  });

  it('leaves her off the digest’s hot leads, shows the flag on her card, and says so in reminders', async () => {
    const digest = await digestNow(h);
    const hot = section(digest, '高意向客户');
    expect(hot).toContain(`#${open} 高远`);
    expect(hot.join('\n')).not.toContain(`#${quiet}`);

    const card = await chat.ask(REP, `/show #${quiet}`);
    expect(card).toContain('⛔ 免打扰：客户要求勿联系');
    expect(await chat.ask(REP, `/show #${open}`)).not.toContain('免打扰');

    await chat.ask(REP, `/remind #${quiet} in 1h 回电确认型号`);
    await chat.ask(REP, `/remind #${open} in 1h 回电报价`);
    h.clock.advance(HOUR + 60_000);
    const reminders = () => chat.sentTo(REP).filter((t) => t.startsWith('⏰ 提醒')); // not the reply-time alerts
    await eventually(() => reminders().length === 2);
    expect(reminders()).toEqual(
      expect.arrayContaining([
        `⏰ 提醒：回电确认型号 — #${quiet} 沈静（客户要求勿联系）`,
        `⏰ 提醒：回电报价 — #${open} 高远`,
      ]),
    );
  });

  it('sends her no acknowledgement while others still get theirs', async () => {
    h.clock.advance(13 * HOUR); // past the acknowledgement's quiet spell
    await postTelegramPrivate(h, QUIET, '沈静', '请别再联系我');
    await postTelegramPrivate(h, OPEN, '高远', '在吗');
    await eventually(() => sentTo(OPEN).length === 2);
    await eventually(async () => {
      const rows = await h.db.selectFrom('messages').select('id').where('customer_id', '=', quiet).execute();
      return rows.length >= 2;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(QUIET)).toHaveLength(1); // only the one before she asked
    const acks = await h.db
      .selectFrom('outbox')
      .select('id')
      .where('customer_id', '=', quiet)
      .where('idempotency_key', 'like', '%:ack')
      .execute();
    expect(acks).toHaveLength(1);
  });

  it('lets staff read, lift and set the flag by chat within their scope, audited', async () => {
    expect(await chat.ask(REP, `/dnc #${quiet}`)).toBe(`#${quiet} 沈静：已设为免打扰（客户要求勿联系）。`);
    expect(await chat.ask(REP, `/免打扰 #${quiet} 关`)).toBe(`已取消 #${quiet} 沈静 的免打扰。`);
    expect(await chat.ask(REP, `/dnc #${quiet} on`)).toContain('设为免打扰');
    expect(await chat.ask(REP, `/dnc #${elsewhere} on`)).toContain('没有找到');
    expect(await chat.ask(REP, `/dnc #${quiet} maybe`)).toContain('用法');
    const cleared = await audits('customer.do_not_contact_cleared');
    expect(cleared).toEqual([
      expect.objectContaining({ actor_kind: 'staff', via: 'telegram', subject_id: String(quiet) }),
    ]);
    expect(await audits('customer.do_not_contact_set')).toHaveLength(2);
    const row = await h.db
      .selectFrom('customers')
      .select('do_not_contact')
      .where('id', '=', elsewhere)
      .executeTakeFirstOrThrow();
    expect(row.do_not_contact).toBe(0);
  });

  it('leaves her off the stale lists of /stale and the digest', async () => {
    h.clock.advance(31 * 24 * HOUR);
    const stale = await chat.ask(REP, '/stale');
    expect(stale).toContain(`#${open}`);
    expect(stale).not.toContain(`#${quiet}`);
    const digest = await digestNow(h);
    const lines = section(digest, '天未跟进');
    expect(lines).toContain(`#${open} 高远`);
    expect(lines.join('\n')).not.toContain(`#${quiet}`);
  });
});
