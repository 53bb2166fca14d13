import { afterEach, describe, expect, it } from 'vitest';
import {
  askInTelegramGroup,
  type ChatDriver,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const TEAMLESS = '5420000001';
const MANAGER = '5420000002';
const REP = '5420000003';
const GROUP = -1001420000001;
const HOUR = 3_600_000;

describe.each(serverDialectsUnderTest())('digest scopes and subscriptions on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  async function org() {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 甲组');
    for (const line of [
      `/staff add telegram:${TEAMLESS} manager`,
      `/staff add telegram:${MANAGER} manager 甲组`,
      `/staff add telegram:${REP} rep 甲组`,
    ])
      expect(await chat.ask(ADMIN, line)).toContain('现在是');
    const id = await telegramCustomer(h, '7420000001', '甲组客户', '你好');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
  }

  it('gives a manager without a team only their own figures, never the organisation’s', async () => {
    await org();
    const teamless = await askInTelegramGroup(h, TEAMLESS, GROUP, '/digest now');
    expect(teamless).toContain('新客户: 0');
    expect(teamless).not.toContain('甲组客户');
    const all = await askInTelegramGroup(h, ADMIN, GROUP - 1, '/digest now');
    expect(all).toContain('新客户: 1');
  });

  it('stops a subscription whose subscriber lost the role, tells the admins once, and audits API subscriptions', async () => {
    await org();
    expect(await askInTelegramGroup(h, MANAGER, GROUP, '/日报 on')).toContain('已订阅');
    expect(await chat.ask(ADMIN, `/staff add telegram:${MANAGER} rep 甲组`)).toContain('现在是销售');
    const toGroup = () => h.telegram.callsTo('sendMessage').filter((c) => Number(c.body.chat_id) === GROUP);
    const before = toGroup().length;
    const toAdmin = () =>
      h.telegram
        .callsTo('sendMessage')
        .filter((c) => String(c.body.chat_id) === ADMIN && String(c.body.text).includes('已停止'));
    // The next day's 09:00 passes twice over: nothing goes to the group, the admin hears of it once.
    h.clock.advance(24 * HOUR);
    await waitFor(async () => toAdmin().length === 1, 15_000);
    h.clock.advance(24 * HOUR);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(toGroup().length).toBe(before);
    expect(toAdmin()).toHaveLength(1);
    const sub = await h.db.selectFrom('digest_subscriptions').selectAll().executeTakeFirstOrThrow();
    expect(sub.enabled).toBe(0);
    expect(sub.stop_reason).toBe('subscriber_gone');

    const res = await fetch(`${h.url}/api/digests/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'telegram', target: { kind: 'chat', ref: String(GROUP - 5) } }),
    });
    expect(res.status).toBe(201);
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'action'])
      .where('subject_kind', '=', 'digest_subscription')
      .execute();
    expect(audited).toContainEqual({ actor_kind: 'api', action: 'digest.subscribed' });
    expect(audited).toContainEqual({ actor_kind: 'system', action: 'digest.stopped' });
  });
});
